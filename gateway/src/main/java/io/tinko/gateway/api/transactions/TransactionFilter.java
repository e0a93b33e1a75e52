package io.tinko.gateway.api.transactions;

import io.tinko.gateway.api.Cursor;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * The WHERE clause of GET /v1/transactions. Every filter is an equality or a range the tenant's
 * (org_id, [status | currency | decline_class, status,] created_at DESC, id DESC) indexes, its (org_id, amount_minor)
 * index or the (org_id, psp, psp_payment_key) key can serve (V15); the keyset condition is a row comparison so the
 * page starts inside the index range, without OFFSET.
 */
final class TransactionFilter {
  private final StringBuilder where = new StringBuilder("org_id = $1");
  private final Tuple params = Tuple.tuple();
  private boolean planPerValue;

  private TransactionFilter(UUID orgId) {
    params.addUUID(orgId);
  }

  static TransactionFilter from(RoutingContext ctx, UUID orgId) {
    TransactionFilter f = new TransactionFilter(orgId);
    String psp = Params.query(ctx, "psp");
    String declineClass = Params.query(ctx, "declineClass");
    f.eq("status", Params.query(ctx, "status"));
    f.eq("psp", psp);
    f.eq("decline_class", declineClass);
    String currency = Params.query(ctx, "currency");
    Long amountMin = Params.queryLong(ctx, "amountMin");
    Long amountMax = Params.queryLong(ctx, "amountMax");
    f.eq("currency", currency);
    f.cmp("created_at", ">=", time(ctx, "createdFrom"));
    f.cmp("created_at", "<", time(ctx, "createdTo"));
    f.cmp("amount_minor", ">=", amountMin);
    f.cmp("amount_minor", "<=", amountMax);
    f.planPerValue = psp != null || declineClass != null || currency != null || amountMin != null
        || amountMax != null;
    String cursor = Params.query(ctx, "cursor");
    if (cursor != null) {
      Cursor c = Cursor.decode(cursor);
      f.params.addOffsetDateTime(c.at()).addUUID(c.id());
      f.where.append(" AND (created_at, id) < ($").append(f.params.size() - 1).append(", $").append(f.params.size())
          .append(')');
    }
    return f;
  }

  /**
   * Whether the best plan depends on the values, not just on which filters are set: how many rows an amount range, a
   * currency, a PSP or a decline class matches decides between reading them through their index and sorting, or
   * reading the tenant newest first until the page is full (PSP and class alone have no ordered index since V15).
   * Postgres may give a cached statement one generic plan after five executions, and
   * at 1M transactions per tenant that plan (newest first) took 2 s for an amount range or currency with no rows,
   * where the plan made for the values took under 5 ms (load-tests/README.md, issue 5).
   */
  boolean planPerValue() {
    return planPerValue;
  }

  String where() {
    return where.toString();
  }

  /** The parameters, then {@code extra} appended (the LIMIT). */
  Tuple params(Object extra) {
    Tuple t = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) {
      t.addValue(params.getValue(i));
    }
    return t.addValue(extra);
  }

  int nextParam() {
    return params.size() + 1;
  }

  private void eq(String column, String value) {
    cmp(column, "=", value);
  }

  private void cmp(String column, String op, Object value) {
    if (value == null) {
      return;
    }
    params.addValue(value);
    where.append(" AND ").append(column).append(' ').append(op).append(" $").append(params.size());
  }

  private static OffsetDateTime time(RoutingContext ctx, String name) {
    String v = Params.query(ctx, name);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "validation_failed", "invalid request: query " + name
          + ": must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z");
    }
  }
}
