package io.tinko.gateway.api.transactions;

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
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** GET /v1/transactions (filtered, keyset-paginated) and GET /v1/transactions/{id} with its timeline. */
public final class TransactionRoutes {
  static final String COLUMNS = """
      id, psp, endpoint_id, status, decline_class, decline_code, amount_minor, currency, customer_id,
      customer_email, invoice_id, payment_id, subscription_id, card_network, failed_at, recovered_at, recovered_by,
      last_event_at, created_at, updated_at""";
  private static final int DEFAULT_LIMIT = 50;
  /** For this transaction only: plan the cached statement for its values (see TransactionFilter#planPerValue). */
  private static final String CUSTOM_PLAN = "SET LOCAL plan_cache_mode = force_custom_plan";

  private final Pool pool;
  private final int maxPageSize;
  private final Timeline timeline;

  public TransactionRoutes(Pool pool, int maxPageSize) {
    this.pool = pool;
    this.maxPageSize = maxPageSize;
    this.timeline = new Timeline(pool);
  }

  public void list(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    TransactionFilter f = TransactionFilter.from(ctx, p.orgId());
    Long requested = Params.queryLong(ctx, "limit");
    int limit = (int) Math.max(1, Math.min(maxPageSize, requested == null ? DEFAULT_LIMIT : requested));
    String sql = "SELECT " + COLUMNS + " FROM transactions WHERE " + f.where()
        + " ORDER BY created_at DESC, id DESC LIMIT $" + f.nextParam();
    // one row more than the page tells whether another page follows
    Tuple args = f.params(limit + 1);
    Future<RowSet<Row>> rows = f.planPerValue()
        ? pool.withTransaction(conn -> conn.query(CUSTOM_PLAN).execute()
            .compose(v -> conn.preparedQuery(sql).execute(args)))
        : pool.preparedQuery(sql).execute(args);
    Reply.json(ctx, 200, rows.map(r -> page(r, limit)));
  }

  public void get(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    UUID id = Params.pathUuid(ctx, "id");
    Reply.json(ctx, 200, pool.preparedQuery("SELECT " + COLUMNS
            + ", psp_payment_key, payment_method_id, card_funding FROM transactions WHERE id = $1 AND org_id = $2")
        .execute(Tuple.of(id, p.orgId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiException(404, "not_found", "no such transaction"));
          }
          Row r = rows.iterator().next();
          JsonObject txn = json(r).put("pspPaymentKey", r.getString("psp_payment_key"))
              .put("paymentMethodId", r.getString("payment_method_id")).put("cardFunding", r.getString("card_funding"));
          return timeline.of(id, p.orgId(), txn).map(t -> txn.put("timeline", t));
        }));
  }

  private static JsonObject page(RowSet<Row> rows, int limit) {
    JsonArray items = new JsonArray();
    Row last = null;
    int n = 0;
    for (Row r : rows) {
      if (n++ == limit) {
        break;
      }
      items.add(json(r));
      last = r;
    }
    String next = rows.size() > limit && last != null
        ? new Cursor(last.getOffsetDateTime("created_at"), last.getUUID("id")).encode() : null;
    return new JsonObject().put("items", items).put("nextCursor", next);
  }

  static JsonObject json(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("psp", r.getString("psp"))
        .put("endpointId", r.getString("endpoint_id")).put("status", r.getString("status"))
        .put("declineClass", r.getString("decline_class")).put("declineCode", r.getString("decline_code"))
        .put("amountMinor", r.getLong("amount_minor")).put("currency", r.getString("currency"))
        .put("customerId", r.getString("customer_id")).put("customerEmail", r.getString("customer_email"))
        .put("invoiceId", r.getString("invoice_id")).put("paymentId", r.getString("payment_id"))
        .put("subscriptionId", r.getString("subscription_id")).put("cardNetwork", r.getString("card_network"))
        .put("failedAt", Reply.time(r.getOffsetDateTime("failed_at")))
        .put("recoveredAt", Reply.time(r.getOffsetDateTime("recovered_at")))
        .put("recoveredBy", r.getString("recovered_by"))
        .put("lastEventAt", Reply.time(r.getOffsetDateTime("last_event_at")))
        .put("createdAt", Reply.time(r.getOffsetDateTime("created_at")))
        .put("updatedAt", Reply.time(r.getOffsetDateTime("updated_at")));
  }
}
