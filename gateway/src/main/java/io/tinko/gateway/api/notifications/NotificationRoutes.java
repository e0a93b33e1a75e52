package io.tinko.gateway.api.notifications;

import io.tinko.engine.dunning.DunningSequences;
import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Cursor;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The customer-notification side of the merchant API: the notification log (every email Tinko tried to send to a
 * tenant's customers, with what became of it) and the tenant's dunning sequences per decline class.
 */
public final class NotificationRoutes {
  private static final String COLUMNS = """
      id, transaction_id, step_id, step_no, recipient, template, locale, status, provider_message_id, error,
      created_at""";
  private static final int DEFAULT_LIMIT = 50;

  private final Pool pool;
  private final int maxPageSize;
  private final Future<DunningSequences> defaults;

  /** @param defaults the shipped sequences, loaded off the event loop before the server listens */
  public NotificationRoutes(Pool pool, int maxPageSize, Future<DunningSequences> defaults) {
    this.pool = pool;
    this.maxPageSize = maxPageSize;
    this.defaults = defaults;
  }

  /** GET /v1/notifications, newest first, filtered by transaction and status. */
  public void list(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Tuple args = Tuple.of(p.orgId());
    StringBuilder where = new StringBuilder("org_id = $1");
    String tx = Params.query(ctx, "transactionId");
    if (tx != null) {
      args.addUUID(uuid(tx));
      where.append(" AND transaction_id = $").append(args.size());
    }
    String status = Params.query(ctx, "status");
    if (status != null) {
      args.addString(status);
      where.append(" AND status = $").append(args.size());
    }
    String cursor = Params.query(ctx, "cursor");
    if (cursor != null) {
      Cursor c = Cursor.decode(cursor);
      args.addOffsetDateTime(c.at()).addUUID(c.id());
      where.append(" AND (created_at, id) < ($").append(args.size() - 1).append(", $").append(args.size())
          .append(')');
    }
    Long requested = Params.queryLong(ctx, "limit");
    int limit = (int) Math.max(1, Math.min(maxPageSize, requested == null ? DEFAULT_LIMIT : requested));
    args.addInteger(limit + 1);
    Reply.json(ctx, 200, pool.preparedQuery("SELECT " + COLUMNS + " FROM notification_log WHERE " + where
            + " ORDER BY created_at DESC, id DESC LIMIT $" + args.size())
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
          String next = rows.size() > limit ? new Cursor(last.getOffsetDateTime("created_at"), last.getUUID("id"))
              .encode() : null;
          return new JsonObject().put("items", items).put("nextCursor", next);
        }));
  }

  /** GET /v1/dunning-sequences: every class's sequence in force for the tenant, its own or the shipped one. */
  public void listSequences(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Reply.json(ctx, 200, pool.preparedQuery("SELECT decline_class, sequence, updated_at FROM dunning_sequences"
            + " WHERE org_id = $1").execute(Tuple.of(p.orgId()))
        .map(rows -> {
          java.util.Map<String, Row> custom = new java.util.HashMap<>();
          rows.forEach(r -> custom.put(r.getString("decline_class"), r));
          JsonArray items = new JsonArray();
          for (String cls : DunningSequences.CLASSES.stream().sorted().toList()) {
            Row r = custom.get(cls);
            items.add(r == null ? entry(cls, null, null)
                : entry(cls, ((JsonObject) r.getValue("sequence")).getJsonArray("steps"), r));
          }
          return new JsonObject().put("items", items);
        }));
  }

  /** DELETE /v1/dunning-sequences/{class}: back to the shipped sequence. */
  public void resetSequence(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    String cls = knownClass(ctx);
    Reply.json(ctx, 200, pool.preparedQuery("DELETE FROM dunning_sequences WHERE org_id = $1 AND decline_class = $2")
        .execute(Tuple.of(p.orgId(), cls)).map(v -> entry(cls, null, null)));
  }

  private JsonObject entry(String cls, JsonArray steps, Row custom) {
    JsonArray shipped = DunningSequences.toJson(defaults.result().forClass(cls)).getJsonArray("steps");
    return new JsonObject().put("declineClass", cls).put("source", custom == null ? "default" : "custom")
        .put("steps", steps == null ? shipped : steps).put("default", shipped)
        .put("updatedAt", custom == null ? null : Reply.time(custom.getOffsetDateTime("updated_at")));
  }

  private static String knownClass(RoutingContext ctx) {
    String cls = Params.path(ctx, "class");
    if (!DunningSequences.CLASSES.contains(cls)) {
      throw new ApiException(404, "not_found", "no decline class '" + cls + "'; known: "
          + String.join(", ", DunningSequences.CLASSES.stream().sorted().toList()));
    }
    return cls;
  }

  /** PUT /v1/dunning-sequences/{class}: the tenant's own steps for one class (an empty list: no emails). */
  public void putSequence(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    String cls = knownClass(ctx);
    List<DunningSequences.Step> steps;
    try {
      steps = DunningSequences.steps(Params.body(ctx).getJsonArray("steps", new JsonArray()));
    } catch (IllegalArgumentException | ClassCastException e) {
      ctx.fail(new ApiException(400, "validation_failed", "invalid request: body " + e.getMessage()));
      return;
    }
    JsonObject stored = DunningSequences.toJson(steps);
    Reply.json(ctx, 200, pool.preparedQuery("""
            INSERT INTO dunning_sequences (org_id, decline_class, sequence) VALUES ($1, $2, $3)
            ON CONFLICT (org_id, decline_class) DO UPDATE SET sequence = excluded.sequence, updated_at = now()
            RETURNING updated_at""")
        .execute(Tuple.of(p.orgId(), cls, stored))
        .map(rows -> new JsonObject().put("declineClass", cls).put("source", "custom")
            .put("steps", stored.getJsonArray("steps"))
            .put("default", DunningSequences.toJson(defaults.result().forClass(cls)).getJsonArray("steps"))
            .put("updatedAt", Reply.time(rows.iterator().next().getOffsetDateTime("updated_at")))));
  }

  private static UUID uuid(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "validation_failed", "invalid request: transactionId must be a UUID");
    }
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString())
        .put("transactionId", r.getUUID("transaction_id").toString())
        .put("stepId", r.getUUID("step_id") == null ? null : r.getUUID("step_id").toString())
        .put("stepNo", r.getInteger("step_no")).put("recipient", r.getString("recipient"))
        .put("template", r.getString("template")).put("locale", r.getString("locale"))
        .put("status", r.getString("status")).put("providerMessageId", r.getString("provider_message_id"))
        .put("error", r.getString("error")).put("createdAt", Reply.time(r.getOffsetDateTime("created_at")));
  }
}
