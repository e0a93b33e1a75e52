package io.tinko.gateway.api.events;

import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundEvent;
import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Cursor;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The inbound webhook log and replay. Only verified webhooks are stored (the gateway refuses the rest before any
 * write), so each entry's verification is "verified". A replay clears the event's processed mark and hands it to
 * the engine again; the engine's processing is idempotent, and if no engine takes it now the sweeper will.
 */
public final class EventRoutes {
  private static final String COLUMNS = """
      id, received_at, endpoint_id, psp, event_id, event_type, processed_at, dispatch_count""";
  private static final int DEFAULT_LIMIT = 50;

  private final Vertx vertx;
  private final Pool pool;
  private final int maxPageSize;
  private final DeliveryOptions handoff = new DeliveryOptions().setSendTimeout(5_000);

  public EventRoutes(Vertx vertx, Pool pool, int maxPageSize) {
    this.vertx = vertx;
    this.pool = pool;
    this.maxPageSize = maxPageSize;
  }

  public void list(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Tuple args = Tuple.of(p.orgId());
    StringBuilder where = new StringBuilder("org_id = $1");
    add(where, args, "psp = $", Params.query(ctx, "psp"));
    add(where, args, "endpoint_id = $", Params.query(ctx, "endpointId"));
    String status = Params.query(ctx, "status");
    if (status != null) {
      where.append("processed".equals(status) ? " AND processed_at IS NOT NULL" : " AND processed_at IS NULL");
    }
    String cursor = Params.query(ctx, "cursor");
    if (cursor != null) {
      Cursor c = Cursor.decode(cursor);
      args.addOffsetDateTime(c.at()).addUUID(c.id());
      where.append(" AND (received_at, id) < ($").append(args.size() - 1).append(", $").append(args.size()).append(')');
    }
    Long requested = Params.queryLong(ctx, "limit");
    int limit = (int) Math.max(1, Math.min(maxPageSize, requested == null ? DEFAULT_LIMIT : requested));
    args.addInteger(limit + 1);
    Reply.json(ctx, 200, pool.preparedQuery("SELECT " + COLUMNS + " FROM webhook_events WHERE " + where
            + " ORDER BY received_at DESC, id DESC LIMIT $" + args.size())
        .execute(args)
        .map(rows -> {
          JsonArray items = new JsonArray();
          Row last = null;
          for (Row r : rows) {
            if (items.size() == limit) {
              break;
            }
            items.add(json(r));
            last = r;
          }
          String next = rows.size() > limit ? new Cursor(last.getOffsetDateTime("received_at"), last.getUUID("id"))
              .encode() : null;
          return new JsonObject().put("items", items).put("nextCursor", next);
        }));
  }

  public void replay(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    UUID id = Params.pathUuid(ctx, "id");
    Reply.json(ctx, 202, pool.preparedQuery("""
            UPDATE webhook_events SET processed_at = NULL, dispatch_count = dispatch_count + 1, dispatched_at = now()
             WHERE id = $1 AND org_id = $2
            RETURNING id, received_at, endpoint_id, org_id, psp, event_id, event_type, raw_body, dispatch_count""")
        .execute(Tuple.of(id, p.orgId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiException(404, "not_found", "no such event"));
          }
          Row r = rows.iterator().next();
          InboundEvent event = new InboundEvent(r.getUUID("id"), r.getOffsetDateTime("received_at").toInstant(),
              r.getString("endpoint_id"), r.getUUID("org_id"), r.getString("psp"), r.getString("event_id"),
              r.getString("event_type"), r.getBuffer("raw_body").getBytes(), r.getInteger("dispatch_count"));
          JsonObject answer = new JsonObject().put("id", id.toString());
          return vertx.eventBus().request(Addresses.INBOUND_EVENT, event, handoff)
              .map(m -> answer.put("status", "dispatched"))
              // stored unprocessed: the sweeper re-dispatches it when no engine took it now
              .otherwise(err -> answer.put("status", "queued"));
        }));
  }

  private static void add(StringBuilder where, Tuple args, String condition, String value) {
    if (value != null) {
      args.addValue(value);
      where.append(" AND ").append(condition).append(args.size());
    }
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString())
        .put("receivedAt", Reply.time(r.getOffsetDateTime("received_at")))
        .put("endpointId", r.getString("endpoint_id")).put("psp", r.getString("psp"))
        .put("eventId", r.getString("event_id")).put("eventType", r.getString("event_type"))
        .put("verification", "verified")
        .put("processedAt", Reply.time(r.getOffsetDateTime("processed_at")))
        .put("dispatchCount", r.getInteger("dispatch_count"));
  }
}
