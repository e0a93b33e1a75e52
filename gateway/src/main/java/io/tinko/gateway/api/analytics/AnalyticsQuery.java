package io.tinko.gateway.api.analytics;

import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The filters every analytics route shares: the caller's organisation (from the credential, never the request),
 * the days from..to inclusive, whose days they are (the organisation's zone, or UTC), and optionally one PSP and one
 * currency. Renders them as the WHERE clause over analytics_daily or analytics_day_totals ($1..$6).
 */
record AnalyticsQuery(UUID orgId, LocalDate from, LocalDate to, boolean utc, String psp, String currency) {
  /**
   * $1 org, $2 from, $3 to, $4 psp or null, $5 currency or null; the zone is the context's ({@link #inContext}).
   */
  static final String DAILY_WHERE = """
      org_id = $1 AND day BETWEEN $2 AND $3 AND ($4::text IS NULL OR psp = $4) AND ($5::text IS NULL OR currency = $5)
      AND zone = ctx.ctx_zone""";

  /** The per-day totals rows of the query ($1..$6): every summed column and the sorted times to recover. */
  static final String TOTALS_ROWS = inContext("SELECT day, currency, exponent, " + String.join(", ", Totals.COLUMNS)
      + ", recover_seconds FROM analytics_day_totals WHERE " + DAILY_WHERE, "");
  /**
   * The per-day totals rows without their times to recover: what a count or amount timeseries needs. Sending an
   * array costs Postgres ~0.3 us per value (a 90-day range: ~20,000), more than reading the rows.
   */
  static final String TOTALS_SUMS = inContext("SELECT day, currency, exponent, " + String.join(", ", Totals.COLUMNS)
      + " FROM analytics_day_totals WHERE " + DAILY_WHERE, "");
  /** The per-day totals rows' times to recover only: what a percentile timeseries needs (no sums to send). */
  static final String TOTALS_SECONDS = inContext("SELECT day, currency, recover_seconds FROM analytics_day_totals "
      + "WHERE " + DAILY_WHERE + " AND cardinality(recover_seconds) > 0", "");

  /**
   * One round trip per answer: the rows of {@code inner} (which filters on ctx.ctx_zone) beside the answer's
   * context, ctx_as_of (when the rollups were last brought up to date) and ctx_zone (whose days: $6 utc, else the
   * organisation's zone as the job last counted it). No matching row still yields one row, the context's, with the
   * inner columns null ({@link #isData}).
   */
  static String inContext(String inner, String orderBy) {
    return """
        WITH ctx AS (
          SELECT (SELECT as_of FROM analytics_job_state WHERE job = 'rollups') AS ctx_as_of,
                 CASE WHEN $6 THEN 'UTC'
                      ELSE coalesce((SELECT z.zone FROM analytics_org_zones z WHERE z.org_id = $1), 'UTC') END AS ctx_zone)
        SELECT ctx.ctx_as_of, ctx.ctx_zone, r.* FROM ctx LEFT JOIN LATERAL (
        """ + inner + "\n) r ON true" + (orderBy.isEmpty() ? "" : " ORDER BY " + orderBy);
  }

  /** A row of the answer's data, not the lone context row of an empty answer (every data row has a currency). */
  static boolean isData(Row r) {
    return r.getString("currency") != null;
  }

  static AnalyticsQuery from(RoutingContext ctx, int maxRangeDays) {
    LocalDate from = date(ctx, "from");
    LocalDate to = date(ctx, "to");
    if (to.isBefore(from)) {
      throw new ApiException(400, "validation_failed",
          "invalid request: to (" + to + ") is before from (" + from + ")");
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > maxRangeDays) {
      throw new ApiException(400, "validation_failed", "invalid request: from..to spans " + days
          + " days; at most " + maxRangeDays + " per request");
    }
    return new AnalyticsQuery(Access.of(ctx).orgId(), from, to, "utc".equals(Params.query(ctx, "zone")),
        Params.query(ctx, "psp"), Params.query(ctx, "currency"));
  }

  Tuple params() {
    return Tuple.of(orgId, from, to, psp, currency, utc);
  }

  private static LocalDate date(RoutingContext ctx, String name) {
    String s = Params.query(ctx, name);
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new ApiException(400, "validation_failed", "invalid request: " + name + " must be a date (YYYY-MM-DD)");
    }
  }
}
