package io.tinko.gateway.api.analytics;

import io.vertx.sqlclient.Row;
import java.util.Arrays;

/**
 * Time-to-recover percentiles over a range: the per-day totals' sorted arrays of seconds are gathered and sorted here,
 * and {@link #at} interpolates exactly as Postgres' percentile_cont does (float8, between the two neighbouring
 * values), so the answer equals percentile_cont over every recovered payment of the range. Sorting ten thousand
 * longs in Java costs a fraction of a millisecond; the same sort as a percentile_cont over unnested arrays costs the
 * database tens of milliseconds on a busy machine.
 */
final class Percentiles {
  private long[] values = new long[64];
  private int n;
  private boolean sorted = true;

  /** Adds the row's recover_seconds array. */
  void add(Row r) {
    Long[] a = r.getArrayOfLongs("recover_seconds");
    if (a == null || a.length == 0) {
      return;
    }
    if (n + a.length > values.length) {
      values = Arrays.copyOf(values, Math.max(values.length * 2, n + a.length));
    }
    for (Long v : a) {
      values[n++] = v;
    }
    sorted = false;
  }

  /** percentile_cont(fraction), or null when nothing was recovered. */
  Double at(double fraction) {
    if (n == 0) {
      return null;
    }
    if (!sorted) {
      Arrays.sort(values, 0, n);
      sorted = true;
    }
    double row = fraction * (n - 1);
    double first = Math.floor(row);
    double lo = values[(int) first];
    double hi = values[(int) Math.ceil(row)];
    return lo + ((row - first) * (hi - lo));
  }
}
