package io.tinko.gateway.api.analytics;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * GET /v1/analytics/export.csv: the daily rollup rows themselves (RFC 4180, one header line), in the chosen zone,
 * filtered like the other routes. asOf travels in a response header so the rows stay plain data.
 */
final class CsvExport {
  static final String AS_OF_HEADER = "Tinko-Analytics-As-Of";
  static final String[] COLUMNS = {"day", "zone", "psp", "decline_class", "decline_code", "currency", "exponent",
      "failed_count", "failed_amount_minor", "recovered_count", "recovered_amount_minor", "recovery_rate",
      "retry_count", "retry_amount_minor", "customer_link_count", "customer_link_amount_minor", "card_update_count",
      "card_update_amount_minor", "psp_retry_count", "psp_retry_amount_minor", "other_method_count",
      "other_method_amount_minor", "in_recovery_count", "in_recovery_amount_minor", "given_up_count",
      "given_up_amount_minor", "attempts_made", "attempts_per_recovery", "recover_p50_seconds",
      "recover_p90_seconds"};
  static final String SQL = AnalyticsQuery.inContext("SELECT " + String.join(", ", COLUMNS)
      + " FROM analytics_daily WHERE " + AnalyticsQuery.DAILY_WHERE,
      // byte order whatever the database's collation (uppercase codes before lowercase ones): the same order on every
      // deployment, and a cheaper sort than the locale's string comparison
      "r.day, r.psp COLLATE \"C\", r.decline_class COLLATE \"C\", r.decline_code COLLATE \"C\", "
          + "r.currency COLLATE \"C\", r.exponent");

  private CsvExport() {}

  static String render(RowSet<Row> rows) {
    StringBuilder b = new StringBuilder(128 + rows.size() * 160);
    b.append(String.join(",", COLUMNS)).append("\r\n");
    for (Row r : rows) {
      if (!AnalyticsQuery.isData(r)) {
        continue;
      }
      for (int i = 0; i < COLUMNS.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        Object v = r.getValue(COLUMNS[i]);
        if (v instanceof String s) {
          field(b, s);
        } else if (v != null) {
          b.append(v);
        }
      }
      b.append("\r\n");
    }
    return b.toString();
  }

  /**
   * A text field: quoted when it holds a separator, quote or line break; a leading = + - @ (a spreadsheet formula)
   * is neutralised with a quote character, since decline codes come from PSPs, not from us.
   */
  private static void field(StringBuilder b, String s) {
    String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      b.append('"').append(v.replace("\"", "\"\"")).append('"');
    } else {
      b.append(v);
    }
  }
}
