package io.tinko.engine.ingest;

import io.tinko.common.bus.InboundEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The hand-off's acknowledgement: marks a group of events processed in one statement, only those not marked yet.
 * The recovery pipeline (normalize → classify → decide) runs ahead of this mark in the same transaction.
 */
public final class MarkProcessed {
  static final String SQL = """
      UPDATE webhook_events w SET processed_at = now()
        FROM unnest($1::uuid[], $2::timestamptz[]) AS t(id, received_at)
       WHERE w.id = t.id AND w.received_at = t.received_at AND w.processed_at IS NULL
      RETURNING w.id""";

  private MarkProcessed() {}

  /** Resolves to the number of events this call marked (the others were processed before). */
  public static Future<Integer> mark(io.vertx.sqlclient.SqlClient client, List<InboundEvent> events) {
    UUID[] ids = new UUID[events.size()];
    OffsetDateTime[] at = new OffsetDateTime[events.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = events.get(i).id();
      at[i] = events.get(i).receivedAt().atOffset(ZoneOffset.UTC);
    }
    return client.preparedQuery(SQL).execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(at))
        .map(rows -> rows.rowCount());
  }

  /** The processor used until the recovery pipeline is wired: it only acknowledges. */
  public static EventProcessor only(Pool pool) {
    return events -> mark(pool, events).mapEmpty();
  }
}
