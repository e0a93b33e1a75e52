package io.tinko.gateway.api.analytics;

import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.ext.web.RoutingContext;
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
  /** $1 org, $2 from, $3 to, $4 psp or null, $5 currency or null, $6 utc. */
  static final String DAILY_WHERE = """
      org_id = $1 AND day BETWEEN $2 AND $3 AND ($4::text IS NULL OR psp = $4) AND ($5::text IS NULL OR currency = $5)
      AND zone = CASE WHEN $6 THEN 'UTC'
                      ELSE coalesce((SELECT z.zone FROM analytics_org_zones z WHERE z.org_id = $1), 'UTC') END""";

  /** The per-day totals rows of the query ($1..$6): every summed column and the sorted times to recover. */
  static final String TOTALS_ROWS = "SELECT day, currency, exponent, " + String.join(", ", Totals.COLUMNS)
      + ", recover_seconds FROM analytics_day_totals WHERE " + DAILY_WHERE;

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
