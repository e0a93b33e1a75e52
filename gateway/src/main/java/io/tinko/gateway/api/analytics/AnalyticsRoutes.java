package io.tinko.gateway.api.analytics;

import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.openapi.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GET /v1/analytics/summary, /breakdown and /export.csv (timeseries: {@link Timeseries}). They read only what the
 * analytics batch job built, never the transactions: the per-day totals (a tenant's day per PSP and currency, with
 * its sorted times to recover) wherever they hold the answer, the daily rows for decline classes and codes and the
 * export. Each answer states asOf: when the rollups were last brought up to date.
 */
public final class AnalyticsRoutes {
  private static final Map<String, String> DIMENSIONS = Map.of("decline_class", "decline_class",
      "decline_code", "decline_code", "psp", "psp");

  /** The sums {@link #items} shows (the others are read as 0). */
  private static final String ITEM_SUMS = Totals.sums(Set.of("failed_count", "failed_amount_minor",
      "recovered_count", "recovered_amount_minor", "in_recovery_count", "given_up_count", "attempts_made"));

  private final Pool pool;
  private final int maxRangeDays;
  private final Timeseries timeseries;

  public AnalyticsRoutes(Pool pool, int maxRangeDays) {
    this.pool = pool;
    this.maxRangeDays = maxRangeDays;
    this.timeseries = new Timeseries(pool);
  }

  public void summary(RoutingContext ctx) {
    AnalyticsQuery q = AnalyticsQuery.from(ctx, maxRangeDays);
    // the range's per-day totals rows themselves (a few hundred): summed and their percentiles taken here
    Totals t = new Totals();
    Percentiles p = new Percentiles();
    Reply.json(ctx, 200, pool.preparedQuery(AnalyticsQuery.TOTALS_ROWS).execute(q.params()).map(rs -> {
      for (Row r : rs) {
        if (AnalyticsQuery.isData(r)) {
          t.add(r);
          p.add(r);
        }
      }
      return header(q, rs);
    }).map(header -> {
      Map<String, String> amounts = new LinkedHashMap<>();
      amounts.put("failedMinor", "failed_amount_minor");
      amounts.put("recoveredMinor", "recovered_amount_minor");
      amounts.put("inRecoveryMinor", "in_recovery_amount_minor");
      amounts.put("givenUpMinor", "given_up_amount_minor");
      for (String m : Totals.METHODS) {
        amounts.put("recoveredBy_" + m + "_minor", Totals.amountColumn(m));
      }
      return header.put("failed", t.count("failed_count")).put("recovered", t.count("recovered_count"))
          .put("inRecovery", t.count("in_recovery_count")).put("givenUp", t.count("given_up_count"))
          .put("recoveryRate", t.recoveryRate()).put("attemptsMade", t.count("attempts_made"))
          .put("attemptsPerRecovery", t.attemptsPerRecovery())
          .put("timeToRecoverSeconds", new JsonObject().put("median", p.at(0.5)).put("p90", p.at(0.9)))
          .put("recoveredByMethod", t.methodCounts())
          .put("amounts", byMethod(t.amounts(amounts)));
    }));
  }

  public void breakdown(RoutingContext ctx) {
    AnalyticsQuery q = AnalyticsQuery.from(ctx, maxRangeDays);
    String by = Params.query(ctx, "by");
    String column = DIMENSIONS.get(by);
    // by PSP or by method, the per-day totals hold every figure; by decline class or code only the daily rows do
    // (thousands of them for a month: only the sums the items show, grouped on byte order, not the locale's)
    boolean daily = column != null && !"psp".equals(column);
    String table = daily ? "analytics_daily" : "analytics_day_totals";
    String sql = AnalyticsQuery.inContext("SELECT " + (column == null ? "''" : column + " COLLATE \"C\"")
        + " AS k, currency COLLATE \"C\" AS currency, exponent, " + (daily ? ITEM_SUMS : Totals.SUMS) + " FROM "
        + table + " WHERE " + AnalyticsQuery.DAILY_WHERE + " GROUP BY 1, 2, exponent", "");
    Reply.json(ctx, 200, pool.preparedQuery(sql).execute(q.params()).map(rows -> {
      Map<String, Totals> groups = new LinkedHashMap<>();
      for (Row r : rows) {
        if (AnalyticsQuery.isData(r)) {
          groups.computeIfAbsent(r.getString("k"), k -> new Totals()).add(r);
        }
      }
      return header(q, rows).put("by", by).put("items", column == null ? methodItems(groups.get("")) : items(groups));
    }));
  }

  public void export(RoutingContext ctx) {
    AnalyticsQuery q = AnalyticsQuery.from(ctx, maxRangeDays);
    pool.preparedQuery(CsvExport.SQL).execute(q.params()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      String asOf = header(q, ar.result()).getString("asOf");
      ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"tinko-analytics-" + q.from() + "-" + q.to()
              + ".csv\"")
          .putHeader(CsvExport.AS_OF_HEADER, asOf == null ? "never" : asOf)
          .end(CsvExport.render(ar.result()));
    });
  }

  public void timeseries(RoutingContext ctx) {
    AnalyticsQuery q = AnalyticsQuery.from(ctx, maxRangeDays);
    Reply.json(ctx, 200, timeseries.answer(q, Params.query(ctx, "metric"), Params.query(ctx, "interval")));
  }

  /** from, to, zone, asOf and the filters: the part every answer starts with (from the answer's context row). */
  static JsonObject header(AnalyticsQuery q, RowSet<Row> rows) {
    Row r = rows.iterator().next();
    return new JsonObject().put("from", q.from().toString()).put("to", q.to().toString())
        .put("zone", r.getString("ctx_zone")).put("asOf", Reply.time(r.getOffsetDateTime("ctx_as_of")))
        .put("psp", q.psp()).put("currency", q.currency());
  }

  /** Folds the flat recoveredBy_<method>_minor amounts into one recoveredByMethodMinor object per currency. */
  private static JsonArray byMethod(JsonArray amounts) {
    for (Object o : amounts) {
      JsonObject a = (JsonObject) o;
      JsonObject methods = new JsonObject();
      for (String m : Totals.METHODS) {
        methods.put(m, a.remove("recoveredBy_" + m + "_minor"));
      }
      a.put("recoveredByMethodMinor", methods);
    }
    return amounts;
  }

  private static JsonArray items(Map<String, Totals> groups) {
    List<Map.Entry<String, Totals>> sorted = new ArrayList<>(groups.entrySet());
    // most failed first; equal counts by key in byte order, no key last, so an answer does not depend on the plan
    sorted.sort(Comparator.<Map.Entry<String, Totals>>comparingLong(e -> e.getValue().count("failed_count"))
        .reversed().thenComparing(Map.Entry::getKey, Comparator.nullsLast(Comparator.naturalOrder())));
    JsonArray items = new JsonArray();
    Map<String, String> amounts = new LinkedHashMap<>();
    amounts.put("failedMinor", "failed_amount_minor");
    amounts.put("recoveredMinor", "recovered_amount_minor");
    for (Map.Entry<String, Totals> e : sorted) {
      Totals t = e.getValue();
      items.add(new JsonObject().put("key", e.getKey().isEmpty() ? null : e.getKey())
          .put("failed", t.count("failed_count")).put("recovered", t.count("recovered_count"))
          .put("recoveryRate", t.recoveryRate()).put("inRecovery", t.count("in_recovery_count"))
          .put("givenUp", t.count("given_up_count")).put("attemptsMade", t.count("attempts_made"))
          .put("amounts", t.amounts(amounts)));
    }
    return items;
  }

  /** by=method: the recoveries split by how they came back (failed and the rest belong to no method). */
  private static JsonArray methodItems(Totals t) {
    JsonArray items = new JsonArray();
    Totals all = t == null ? new Totals() : t;
    for (String m : Totals.METHODS) {
      items.add(new JsonObject().put("key", m).putNull("failed").put("recovered", all.count(Totals.countColumn(m)))
          .putNull("recoveryRate").putNull("inRecovery").putNull("givenUp").putNull("attemptsMade")
          .put("amounts", all.amounts(Map.of("recoveredMinor", Totals.amountColumn(m)))));
    }
    return items;
  }
}
