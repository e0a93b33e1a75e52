package io.tinko.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Postgres 17 (zonky binaries) on 127.0.0.1, its data kept in a directory across restarts.
 * Settings favour durability like production (fsync and synchronous_commit stay on), unless {@code ephemeral},
 * which tests use for speed.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_.]*");
  private static final Set<String> DURABILITY = Set.of("fsync", "synchronous_commit", "full_page_writes");
  private final EmbeddedPostgres pg;

  private EmbeddedPostgresServer(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  /** Blocking: initialises the data directory on first use (a few seconds) and starts the server. */
  public static EmbeddedPostgresServer start(Path dataDir, int port, boolean ephemeral) throws IOException {
    return start(dataDir, port, ephemeral, false, Map.of());
  }

  /**
   * As {@link #start(Path, int, boolean)}; {@code statStatements} preloads {@code pg_stat_statements}, so a
   * benchmark can see where Postgres spends its time (the extension itself is created by whoever reads it), and
   * {@code settings} (postgresql.conf names and values, such as {@code shared_buffers}, as {@link #checkSettings}
   * allows them) apply over this class's own.
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port, boolean ephemeral, boolean statStatements,
                                             Map<String, String> settings) throws IOException {
    checkSettings(settings);
    Path dir = dataDir.toAbsolutePath();
    Files.createDirectories(dir);
    stopOrphan(dir);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(ephemeral)
        .setPort(FreePort.pick(port))
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "300")
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("max_wal_size", "2GB")
        .setServerConfig("timezone", "UTC")
        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
        .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
    settings.forEach(builder::setServerConfig);
    if (statStatements) {
      builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
    }
    if (ephemeral) {
      builder.setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off");
    } else {
      // zonky's defaults (-F, synchronous_commit=off) are for throwaway test databases; a 200 must mean durable
      builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    return new EmbeddedPostgresServer(builder.start());
  }

  /**
   * Refuses a name that is not a Postgres setting name, and the settings that make a 200 durable (fsync,
   * synchronous_commit, full_page_writes): no caller may change those.
   */
  public static void checkSettings(Map<String, String> settings) {
    for (String name : settings.keySet()) {
      if (!SETTING_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("'" + name + "' is not a Postgres setting name");
      }
      if (DURABILITY.contains(name)) {
        throw new IllegalArgumentException(name + " cannot be changed for the embedded Postgres: an accepted "
            + "webhook must be durable");
      }
    }
  }

  public int port() {
    return pg.getPort();
  }

  /** postgresql://postgres@127.0.0.1:port/postgres, for the reactive client. */
  public String url(String database) {
    return "postgresql://postgres:postgres@127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }

  /**
   * A previous {@code tinko up} killed with SIGKILL leaves its postmaster running on our data directory; it is
   * ours, so stop it (SIGTERM: a clean shutdown) rather than fail with "lock file already exists". (The launcher
   * holds the data directory's lock before it gets here, so a live {@code tinko up}'s Postgres is never taken for
   * a leftover.)
   */
  private static void stopOrphan(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid)
        .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
    if (process.isEmpty()) {
      return;
    }
    LOG.warn("stopping a leftover embedded Postgres (pid {}) on {}", pid, dataDir);
    process.get().destroy();
    try {
      process.get().onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("a leftover Postgres (pid " + pid + ") holds " + dataDir + " and did not stop", e);
    }
  }
}
