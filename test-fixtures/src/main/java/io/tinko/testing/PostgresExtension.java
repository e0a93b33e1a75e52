package io.tinko.testing;

import io.tinko.common.db.Database;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh database with the schema migrated: one Postgres per JVM, a migrated template
 * database made once, then {@code CREATE DATABASE ... TEMPLATE} per class (fast). Inject {@link TestDatabase}
 * into a constructor, a lifecycle method or a test method.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final String TEMPLATE = "tinko_template";
  private static boolean templateReady;
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String admin = SharedServers.pgAdminUrl();
    ensureTemplate(admin);
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    execute(admin, "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    context.getStore(NS).put(TestDatabase.class, new TestDatabase(withDatabase(admin, name), name));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    TestDatabase db = context.getStore(NS).remove(TestDatabase.class, TestDatabase.class);
    if (db != null) {
      execute(SharedServers.pgAdminUrl(), "DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    ExtensionContext c = e;
    while (c != null) {
      TestDatabase db = c.getStore(NS).get(TestDatabase.class, TestDatabase.class);
      if (db != null) {
        return db;
      }
      c = c.getParent().orElse(null);
    }
    throw new IllegalStateException("PostgresExtension must be registered on the test class");
  }

  private static synchronized void ensureTemplate(String admin) throws SQLException {
    if (templateReady) {
      return;
    }
    execute(admin, "DROP DATABASE IF EXISTS " + TEMPLATE + " WITH (FORCE)");
    execute(admin, "CREATE DATABASE " + TEMPLATE);
    Database.migrateBlocking(Database.connectOptions(withDatabase(admin, TEMPLATE)));
    templateReady = true;
  }

  static String withDatabase(String url, String db) {
    int slash = url.indexOf('/', url.indexOf("://") + 3);
    int query = url.indexOf('?');
    String base = slash < 0 ? url : url.substring(0, slash);
    String params = query < 0 ? "" : url.substring(query);
    return base + "/" + db + params;
  }

  private static void execute(String url, String sql) throws SQLException {
    PgConnectOptions o = Database.connectOptions(url);
    try (Connection c = DriverManager.getConnection(Database.jdbcUrl(o), o.getUser(), o.getPassword());
         Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
