package io.tinko.testing;

import io.tinko.common.db.Database;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A fresh, migrated database for one test class. */
public record TestDatabase(String url, String name) {

  public PgConnectOptions connectOptions() {
    return Database.connectOptions(url);
  }

  /** A plain JDBC connection, for assertions that read the truth independently of the code under test. */
  public Connection jdbc() throws SQLException {
    PgConnectOptions o = connectOptions();
    return DriverManager.getConnection(Database.jdbcUrl(o), o.getUser(), o.getPassword());
  }

  /** Runs one scalar query (count(*) and the like) over JDBC. */
  public long scalar(String sql, Object... args) {
    try (Connection c = jdbc(); var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Runs a statement over JDBC (fixtures). */
  public void execute(String sql, Object... args) {
    try (Connection c = jdbc(); var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
