package io.tinko.common.db;

import io.tinko.common.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Postgres access: the reactive pool for the application, JDBC for Flyway migrations. */
public final class Database {
  private Database() {}

  public static PgConnectOptions connectOptions(String url) {
    try {
      PgConnectOptions options = PgConnectOptions.fromUri(url);
      options.setCachePreparedStatements(true);
      options.setPipeliningLimit(256);
      return options;
    } catch (RuntimeException e) {
      throw new ConfigException("pg.url is not a valid postgresql:// URL: " + e.getMessage(), e);
    }
  }

  public static Pool pool(Vertx vertx, PgConnectOptions options, int size, String name, int connectTimeoutMs) {
    PoolOptions poolOptions = new PoolOptions().setMaxSize(size).setName(name).setShared(true)
        .setMaxWaitQueueSize(10_000)
        .setConnectionTimeout(Math.max(1, connectTimeoutMs)).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    return PgBuilder.pool().with(poolOptions).with(new NetClientOptions().setConnectTimeout(connectTimeoutMs))
        .connectingTo(options).using(vertx).build();
  }

  /** Fails with one readable line when Postgres cannot be reached. */
  public static Future<Void> ping(Pool pool, PgConnectOptions options) {
    return pool.query("SELECT 1").execute().<Void>mapEmpty()
        .recover(err -> Future.failedFuture(new ConfigException("cannot connect to Postgres at "
            + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase() + ": " + describe(err), err)));
  }

  /** Runs the Flyway migrations on a worker thread. */
  public static Future<MigrateResult> migrate(Vertx vertx, PgConnectOptions options) {
    return vertx.executeBlocking(() -> migrateBlocking(options), false);
  }

  public static MigrateResult migrateBlocking(PgConnectOptions options) {
    Flyway flyway = Flyway.configure()
        .dataSource(jdbcUrl(options), options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .connectRetries(0)
        .load();
    return flyway.migrate();
  }

  public static String jdbcUrl(PgConnectOptions o) {
    return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/"
        + URLEncoder.encode(o.getDatabase(), StandardCharsets.UTF_8) + "?connectTimeout=10";
  }

  public static String describe(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    return msg == null ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
  }
}
