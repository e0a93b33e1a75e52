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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The inbound webhook log and replay. The log holds the webhooks the gateway accepted ({@code webhook_events}) and,
 * apart from them, those it refused for one of the organisation's endpoints ({@code webhook_refusals}: bad or expired
 * signature, too large, malformed), so a merchant can see that a PSP signs with the wrong secret. Both are listed
 * together, newest first, on one (received_at, id) keyset; ids are UUIDv7 in both, so a cursor names one row.
 *
 * <p>Only accepted events can be replayed. A replay clears the event's processed mark and hands it to the engine
 * again; the engine's processing is idempotent, and if no engine takes it now the sweeper will.
 */
public final class EventRoutes {
  private static final String ACCEPTED = """
      SELECT 'accepted'::text AS outcome, id, received_at, endpoint_id, psp, event_id, event_type, processed_at,
             dispatch_count, NULL::text AS reason, NULL::int4 AS body_bytes, NULL::bytea AS body_sha256,
             NULL::bytea AS body_prefix
        FROM webhook_events WHERE\s""";
  private static final String REFUSED = """
      SELECT outcome, id, received_at, endpoint_id, psp, event_id, event_type, NULL::timestamptz AS processed_at,
             NULL::int4 AS dispatch_count, reason, body_bytes, body_sha256, body_prefix
        FROM webhook_refusals WHERE\s""";
  private static final String ORDER = " ORDER BY received_at DESC, id DESC LIMIT $";
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
    String cursor = Params.query(ctx, "cursor");
    if (cursor != null) {
      Cursor c = Cursor.decode(cursor);
      args.addOffsetDateTime(c.at()).addUUID(c.id());
      where.append(" AND (received_at, id) < ($").append(args.size() - 1).append(", $").append(args.size()).append(')');
    }
    // processing status belongs to accepted events only; outcome=refused means every kind of refusal
    String status = Params.query(ctx, "status");
    String outcome = Params.query(ctx, "outcome");
    boolean accepted = outcome == null || "accepted".equals(outcome);
    boolean refused = status == null && !"accepted".equals(outcome);
    StringBuilder acceptedWhere = new StringBuilder(where);
    if (status != null) {
      acceptedWhere.append("processed".equals(status) ? " AND processed_at IS NOT NULL" : " AND processed_at IS NULL");
    }
    StringBuilder refusedWhere = new StringBuilder(where);
    if (outcome != null && !"refused".equals(outcome) && !"accepted".equals(outcome)) {
      add(refusedWhere, args, "outcome = $", outcome);
    }
    Long requested = Params.queryLong(ctx, "limit");
    int limit = (int) Math.max(1, Math.min(maxPageSize, requested == null ? DEFAULT_LIMIT : requested));
    args.addInteger(limit + 1);
    String a = ACCEPTED + acceptedWhere + ORDER + args.size();
    String r = REFUSED + refusedWhere + ORDER + args.size();
    String sql = accepted && refused ? "(" + a + ") UNION ALL (" + r + ")" + ORDER + args.size() : accepted ? a : r;
    Reply.json(ctx, 200, pool.preparedQuery(sql)
        .execute(args)
        .map(rows -> {
          JsonArray items = new JsonArray();
          Row last = null;
          for (Row row : rows) {
            if (items.size() == limit) {
              break;
            }
            items.add(json(row));
            last = row;
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
    String outcome = r.getString("outcome");
    JsonObject json = new JsonObject().put("id", r.getUUID("id").toString())
        .put("receivedAt", Reply.time(r.getOffsetDateTime("received_at")))
        .put("endpointId", r.getString("endpoint_id")).put("psp", r.getString("psp"))
        .put("eventId", r.getString("event_id")).put("eventType", r.getString("event_type"))
        .put("outcome", outcome).put("verification", verification(outcome));
    if ("accepted".equals(outcome)) {
      return json.put("processedAt", Reply.time(r.getOffsetDateTime("processed_at")))
          .put("dispatchCount", r.getInteger("dispatch_count"));
    }
    Buffer hash = r.getBuffer("body_sha256");
    Buffer prefix = r.getBuffer("body_prefix");
    return json.put("reason", r.getString("reason")).put("bodyBytes", r.getInteger("body_bytes"))
        .put("bodySha256", hash == null ? null : HexFormat.of().formatHex(hash.getBytes()))
        // an unverified sender's bytes, shown as text (invalid UTF-8 becomes U+FFFD)
        .put("bodyPrefix", prefix == null ? null : new String(prefix.getBytes(), StandardCharsets.UTF_8));
  }

  /** Whether the signature was checked and held: a malformed body was signed correctly, a too large one not read. */
  private static String verification(String outcome) {
    return switch (outcome) {
      case "accepted", "malformed" -> "verified";
      case "too_large" -> "not_checked";
      default -> "failed";
    };
  }
}
