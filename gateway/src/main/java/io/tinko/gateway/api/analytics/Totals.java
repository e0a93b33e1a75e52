package io.tinko.gateway.api.analytics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sums of rollup rows: counts, and amounts per currency. A currency whose amounts come in two exponents (ISK is
 * 2-decimal at Stripe, 0 at Razorpay) is stated in the larger one, scaled exactly by powers of ten; amounts are
 * never floats, rates come from counts.
 */
final class Totals {
  /** The summed columns, in the order {@link #SUMS} selects them. */
  static final String[] COLUMNS = {"failed_count", "failed_amount_minor", "recovered_count", "recovered_amount_minor",
      "retry_count", "retry_amount_minor", "customer_link_count", "customer_link_amount_minor", "card_update_count",
      "card_update_amount_minor", "psp_retry_count", "psp_retry_amount_minor", "other_method_count",
      "other_method_amount_minor", "in_recovery_count", "in_recovery_amount_minor", "given_up_count",
      "given_up_amount_minor", "attempts_made"};
  static final String SUMS;
  static final String[] METHODS = {"retry", "customer_link", "card_update", "psp_retry", "other"};
  /** Payments whose amount is not known yet are counted under this code; they have no amount to report. */
  private static final String NO_CURRENCY = "XXX";

  static {
    SUMS = sums(Set.of(COLUMNS));
  }

  /**
   * Every column of {@link #COLUMNS} as a sum over rollup rows, in that order; those not {@code needed} as a constant 0
   * (Postgres sums bigints through numeric: summing only what the answer shows halves a breakdown's aggregate).
   */
  static String sums(Set<String> needed) {
    StringBuilder b = new StringBuilder();
    for (String c : COLUMNS) {
      b.append(b.isEmpty() ? "" : ", ").append(needed.contains(c) ? "sum(" + c + ")::bigint" : "0::bigint")
          .append(" AS ").append(c);
    }
    return b.toString();
  }

  final long[] counts = new long[COLUMNS.length];
  /** Where {@link #COLUMNS}, then currency and exponent, are in the rows added (from the first row). */
  private int[] positions;
  /** currency → exponent → the amount columns' sums (same indexes as COLUMNS; counts unused). */
  private final Map<String, Map<Integer, long[]>> amounts = new TreeMap<>();

  void add(Row r) {
    if (positions == null) {
      // the rows of one answer share their columns: looked up by name once, not 19 times per row
      positions = new int[COLUMNS.length + 2];
      for (int i = 0; i < COLUMNS.length; i++) {
        positions[i] = r.getColumnIndex(COLUMNS[i]);
      }
      positions[COLUMNS.length] = r.getColumnIndex("currency");
      positions[COLUMNS.length + 1] = r.getColumnIndex("exponent");
    }
    String currency = r.getString(positions[COLUMNS.length]);
    int exponent = r.getInteger(positions[COLUMNS.length + 1]);
    long[] a = amounts.computeIfAbsent(currency, c -> new TreeMap<>()).computeIfAbsent(exponent,
        e -> new long[COLUMNS.length]);
    for (int i = 0; i < COLUMNS.length; i++) {
      long v = r.getLong(positions[i]);
      counts[i] = Math.addExact(counts[i], v);
      a[i] = Math.addExact(a[i], v);
    }
  }

  long count(String column) {
    return counts[index(column)];
  }

  /** recovered / failed, 4 decimals, from counts; null when nothing failed. */
  Double recoveryRate() {
    return ratio(count("recovered_count"), count("failed_count"));
  }

  Double attemptsPerRecovery() {
    return ratio(count("attempts_made"), count("recovered_count"));
  }

  JsonObject methodCounts() {
    JsonObject m = new JsonObject();
    for (String method : METHODS) {
      m.put(method, count(countColumn(method)));
    }
    return m;
  }

  /** [{currency, exponent, <name>: amount, ...}] for the named amount columns, currencies in code order. */
  JsonArray amounts(Map<String, String> columnsByName) {
    JsonArray out = new JsonArray();
    amounts.forEach((currency, byExponent) -> {
      if (NO_CURRENCY.equals(currency)) {
        return;
      }
      int exponent = byExponent.keySet().stream().max(Integer::compare).orElse(0);
      JsonObject entry = new JsonObject().put("currency", currency).put("exponent", exponent);
      columnsByName.forEach((name, column) -> entry.put(name, scaled(byExponent, exponent, index(column))));
      out.add(entry);
    });
    return out;
  }

  /** One amount column per currency (the timeseries' amount metrics): currency → [exponent, amount]. */
  Map<String, long[]> amountOf(String column) {
    Map<String, long[]> out = new TreeMap<>();
    amounts.forEach((currency, byExponent) -> {
      if (!NO_CURRENCY.equals(currency)) {
        int exponent = byExponent.keySet().stream().max(Integer::compare).orElse(0);
        out.put(currency, new long[] {exponent, scaled(byExponent, exponent, index(column))});
      }
    });
    return out;
  }

  static String countColumn(String method) {
    return "other".equals(method) ? "other_method_count" : method + "_count";
  }

  static String amountColumn(String method) {
    return "other".equals(method) ? "other_method_amount_minor" : method + "_amount_minor";
  }

  private static long scaled(Map<Integer, long[]> byExponent, int exponent, int column) {
    long sum = 0;
    for (Map.Entry<Integer, long[]> e : byExponent.entrySet()) {
      long factor = 1;
      for (int i = e.getKey(); i < exponent; i++) {
        factor = Math.multiplyExact(factor, 10);
      }
      sum = Math.addExact(sum, Math.multiplyExact(e.getValue()[column], factor));
    }
    return sum;
  }

  private static Double ratio(long numerator, long denominator) {
    return denominator == 0 ? null : BigDecimal.valueOf(numerator)
        .divide(BigDecimal.valueOf(denominator), 4, RoundingMode.HALF_EVEN).doubleValue();
  }

  private static int index(String column) {
    for (int i = 0; i < COLUMNS.length; i++) {
      if (COLUMNS[i].equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException(column);
  }
}
