package io.tinko.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A full run's replacement of one analytics table: {@code <table>_next} is created with the table's own definition
 * (columns, defaults, generated columns, constraints, storage options and persistence, as the migrations left them),
 * filled without indexes, indexed afterwards (one sort per index instead of millions of insertions), and swapped in
 * by renaming at the very end of the run's transaction. Readers keep the old table until the commit; the exclusive lock
 * the swap takes lasts from the swap to the commit, milliseconds.
 */
final class NextTable {
  private record Index(String name, String definition, String constraint, String constraintType) {
  }

  private final Connection c;
  private final String table;
  private final String next;
  private final List<Index> indexes;

  NextTable(Connection c, String table) {
    this(c, table, new ArrayList<>());
  }

  private NextTable(Connection c, String table, List<Index> indexes) {
    this.c = c;
    this.table = table;
    this.next = table + "_next";
    this.indexes = indexes;
  }

  /**
   * The same replacement worked on through another connection: one that sees it filled (a full run in shares creates
   * it on one connection, fills it on the shares' and indexes and swaps it on the job's).
   */
  NextTable on(Connection other) {
    return new NextTable(other, table, indexes);
  }

  String name() {
    return next;
  }

  /** Creates the empty replacement, like the table but without its indexes. */
  NextTable create() throws SQLException {
    Jdbc.update(c, "DROP TABLE IF EXISTS " + next);
    boolean unlogged = "u".equals(String.valueOf(Jdbc.scalar(c,
        "SELECT relpersistence::text FROM pg_class WHERE oid = ?::regclass", table)));
    Jdbc.update(c, "CREATE " + (unlogged ? "UNLOGGED " : "") + "TABLE " + next + " (LIKE " + table
        + " INCLUDING ALL EXCLUDING INDEXES)");
    Object options = Jdbc.scalar(c, "SELECT array_to_string(reloptions, ', ') FROM pg_class WHERE oid = ?::regclass",
        table);
    if (options != null && !options.toString().isEmpty()) {
      Jdbc.update(c, "ALTER TABLE " + next + " SET (" + options + ")");
    }
    try (PreparedStatement ps = Jdbc.prepare(c, """
        SELECT i.relname, pg_get_indexdef(i.oid), con.conname, con.contype::text
          FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
          LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid
         WHERE x.indrelid = ?::regclass ORDER BY i.relname""", table);
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        indexes.add(new Index(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return this;
  }

  /** Whether the table being replaced has any row (a first build compares with nothing). */
  boolean oldHasRows() throws SQLException {
    return Boolean.TRUE.equals(Jdbc.scalar(c, "SELECT EXISTS (SELECT 1 FROM " + table + ")"));
  }

  /** The table's indexes, built on the filled replacement under temporary names; then its statistics. */
  void index() throws SQLException {
    for (Index i : indexes) {
      Jdbc.update(c, i.definition().replaceFirst("INDEX \\S+ ON \\S+ USING",
          "INDEX " + i.name() + "_next ON " + next + " USING"));
    }
    // statistics for the planner of the next incremental run; arrays' element statistics cost more than they help
    Object columns = Jdbc.scalar(c, """
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
         WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped
           AND (SELECT typcategory FROM pg_type WHERE oid = atttypid) <> 'A'""", next);
    Jdbc.update(c, "ANALYZE " + next + " (" + columns + ")");
  }

  /** The replacement takes the table's place, its indexes and constraints their names. */
  void swap() throws SQLException {
    Jdbc.update(c, "DROP TABLE " + table);
    Jdbc.update(c, "ALTER TABLE " + next + " RENAME TO " + table);
    for (Index i : indexes) {
      if ("p".equals(i.constraintType()) || "u".equals(i.constraintType())) {
        Jdbc.update(c, "ALTER TABLE " + table + " ADD CONSTRAINT " + i.constraint()
            + ("p".equals(i.constraintType()) ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + i.name() + "_next");
      } else {
        Jdbc.update(c, "ALTER INDEX " + i.name() + "_next RENAME TO " + i.name());
      }
    }
  }

  /** Nothing changed: the replacement is dropped and the table stays as it was. */
  void discard() throws SQLException {
    Jdbc.update(c, "DROP TABLE " + next);
  }
}
