package io.tinko.testing;

import io.tinko.embedded.EmbeddedPostgresServer;
import io.tinko.embedded.EmbeddedRedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One Postgres and one Redis per test JVM: embedded ones started on first use, or the servers named by
 * {@code TINKO_TEST_PG_URL} / {@code TINKO_TEST_REDIS_URL}. Stopped by a shutdown hook.
 */
final class SharedServers {
  private static String pgAdminUrl;
  private static String redisUrl;

  private SharedServers() {}

  /** URL of a database the tests may create other databases from (postgresql://user:pass@host:port/db). */
  static synchronized String pgAdminUrl() {
    if (pgAdminUrl == null) {
      String configured = System.getenv("TINKO_TEST_PG_URL");
      if (configured != null && !configured.isBlank()) {
        pgAdminUrl = configured;
      } else {
        try {
          Path dir = Files.createTempDirectory("tinko-test-pg");
          EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, 0, true);
          Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg)));
          pgAdminUrl = pg.url("postgres");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start embedded Postgres for tests", e);
        }
      }
    }
    return pgAdminUrl;
  }

  static synchronized String redisUrl() {
    if (redisUrl == null) {
      String configured = System.getenv("TINKO_TEST_REDIS_URL");
      if (configured != null && !configured.isBlank()) {
        redisUrl = configured;
      } else {
        try {
          EmbeddedRedisServer redis = EmbeddedRedisServer.start(0);
          Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(redis)));
          redisUrl = redis.url();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start embedded Redis for tests", e);
        }
      }
    }
    return redisUrl;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // JVM is exiting
    }
  }
}
