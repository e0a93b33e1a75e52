package io.tinko.common.db;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Column arrays for multi-row statements ({@code unnest($1::uuid[], ...)}): one array per column of the rows. */
public final class SqlArrays {
  private SqlArrays() {}

  /** {@code f} of every row, in order, as an array made by {@code array}. */
  public static <T, R> R[] col(List<T> rows, Function<T, R> f, IntFunction<R[]> array) {
    R[] out = array.apply(rows.size());
    for (int i = 0; i < out.length; i++) {
      out[i] = f.apply(rows.get(i));
    }
    return out;
  }
}
