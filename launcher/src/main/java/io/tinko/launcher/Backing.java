package io.tinko.launcher;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.db.RuntimeFile;
import io.tinko.embedded.EmbeddedPostgresServer;
import io.tinko.embedded.EmbeddedRedisServer;
import io.tinko.embedded.MailSink;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backing services one process uses: the configured Postgres, Redis and SMTP, or — for {@code tinko up} —
 * embedded ones it starts itself, or — for the other commands — the embedded ones a running {@code tinko up}
 * announced in its runtime file.
 */
final class Backing implements AutoCloseable {
  final String pgUrl;
  final String redisUrl;
  final String smtpUrl;
  final String pgSource;
  final String redisSource;
  final String smtpSource;
  private final List<AutoCloseable> started;

  private Backing(String pgUrl, String pgSource, String redisUrl, String redisSource, String smtpUrl,
                  String smtpSource, List<AutoCloseable> started) {
    this.pgUrl = pgUrl;
    this.redisUrl = redisUrl;
    this.smtpUrl = smtpUrl;
    this.pgSource = pgSource;
    this.redisSource = redisSource;
    this.smtpSource = smtpSource;
    this.started = started;
  }

  /** For {@code tinko up}: starts what is not configured. Blocking (a few seconds on first run). */
  static Backing startOrConnect(TinkoConfig config) throws IOException {
    List<AutoCloseable> started = new ArrayList<>();
    Path data = config.dataDir();
    // first: a second `tinko up` on this directory must not reach the running one's embedded Postgres
    started.add(DataDirLock.acquire(data));
    try {
      String pg = config.string("pg.url");
      String pgSource = "configured";
      if (pg.isBlank()) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data.resolve("pg"),
            config.integer("embedded.pgPort"), false,
            "true".equalsIgnoreCase(config.string("embedded.pgStatStatements")), pgSettings(config));
        started.add(server);
        pg = server.url("postgres");
        pgSource = "embedded Postgres 17, data in " + data.resolve("pg");
      }
      String redis = config.string("redis.url");
      String redisSource = "configured";
      if (redis.isBlank()) {
        // stopped by close(), which ServerRun's shutdown hook calls once vert.x is closed
        EmbeddedRedisServer server = EmbeddedRedisServer.start(config.integer("embedded.redisPort"), false);
        started.add(server);
        redis = server.url();
        redisSource = "embedded Redis";
      }
      String smtp = config.string("smtp.url");
      String smtpSource = "configured";
      if (smtp.isBlank()) {
        MailSink sink = MailSink.start(data.resolve("mail"), config.integer("embedded.smtpPort"));
        started.add(sink);
        smtp = sink.url();
        smtpSource = "local mail sink, messages written to " + sink.directory();
      }
      return new Backing(pg, pgSource, redis, redisSource, smtp, smtpSource, started);
    } catch (IOException | RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /**
   * {@code embedded.pgSettings}: {@code name=value} entries, in order (a later entry wins), refused as a
   * configuration error before anything starts when the embedded Postgres would refuse them.
   */
  static Map<String, String> pgSettings(TinkoConfig config) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String entry : config.list("embedded.pgSettings")) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new ConfigException("embedded.pgSettings entries are name=value (got '" + entry + "')");
      }
      settings.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    try {
      EmbeddedPostgresServer.checkSettings(settings);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("embedded.pgSettings: " + e.getMessage());
    }
    return settings;
  }

  /** For every other command: the configured services, else those of a running {@code tinko up}. */
  static Backing connect(TinkoConfig config) {
    Optional<JsonObject> runtime = RuntimeFile.read(config.dataDir());
    String pg = pick(config.string("pg.url"), runtime, "pgUrl", "pg.url");
    String redis = pick(config.string("redis.url"), runtime, "redisUrl", "redis.url");
    String smtp = pick(config.string("smtp.url"), runtime, "smtpUrl", "smtp.url");
    return new Backing(pg, source(config.string("pg.url")), redis, source(config.string("redis.url")), smtp,
        source(config.string("smtp.url")), List.of());
  }

  private static String source(String configured) {
    return configured.isBlank() ? "the running `tinko up`'s embedded service" : "configured";
  }

  private static String pick(String configured, Optional<JsonObject> runtime, String runtimeKey, String key) {
    if (!configured.isBlank()) {
      return configured;
    }
    return runtime.map(r -> r.getString(runtimeKey)).filter(s -> !s.isBlank()).orElseThrow(() ->
        new ConfigException(key + " is not configured (set " + io.tinko.common.config.ConfigLoader.envName(key)
            + ") and no running `tinko up` was found to borrow it from"));
  }

  JsonObject runtimeInfo() {
    return new JsonObject().put("pid", ProcessHandle.current().pid()).put("pgUrl", pgUrl).put("redisUrl", redisUrl)
        .put("smtpUrl", smtpUrl);
  }

  @Override
  public void close() {
    closeAll(started);
  }

  private static void closeAll(List<AutoCloseable> services) {
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception ignored) {
        // shutting down; nothing more useful to do
      }
    }
  }
}
