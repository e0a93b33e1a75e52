package io.tinko.engine.recovery;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.List;

/**
 * Column positions of one result set, looked up by name once. {@code Row.getX(name)} scans the result's columns
 * comparing names for every cell it reads, which for the thousands of history rows of a group was about a quarter
 * of the engine thread's samples; reading by position after one look-up per result set costs nothing per row.
 */
final class Columns {
  private final List<String> names;

  Columns(RowSet<Row> rows) {
    this.names = rows.columnsNames();
  }

  /** The position of {@code name}; a name the statement does not return is a programming error. */
  int of(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalStateException("the result has no column " + name + " (it has " + names + ")");
    }
    return i;
  }
}
