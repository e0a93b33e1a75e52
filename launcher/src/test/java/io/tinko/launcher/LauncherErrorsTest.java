package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.embedded.FreePort;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees when a start-up goes wrong: one clear line and a non-zero exit, no stack trace. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class LauncherErrorsTest {

  private static Map<String, String> env(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("TINKO_EMBEDDED_DATA_DIR", dir.resolve("data").toString());
    env.put("TINKO_SMTP_URL", "smtp://127.0.0.1:1");
    return env;
  }

  private static String run(Path dir, Map<String, String> env, int expectedExit, String... args) throws Exception {
    TinkoProcess p = TinkoProcess.start(dir, "run-" + System.nanoTime(), env, args);
    assertThat(p.process.waitFor(90, TimeUnit.SECONDS)).as("finished").isTrue();
    String out = p.output();
    assertThat(p.process.exitValue()).as(out).isEqualTo(expectedExit);
    return out;
  }

  private static void assertOneCleanLine(String out, String expected) {
    assertThat(out).contains(expected);
    assertThat(out).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
    assertThat(out.lines().filter(l -> l.startsWith("tinko: ")).count()).as(out).isEqualTo(1);
  }

  @Test
  @DisplayName("a malformed configuration file is one line and exit 1")
  void malformedConfig(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("tinko.yaml");
    Files.writeString(bad, "http:\n  port: [8080\n");
    assertOneCleanLine(run(dir, env(dir), 1, "up", "--config", bad.toString()), "is not valid YAML");
  }

  @Test
  @DisplayName("an unreachable configured Postgres is one line and exit 1")
  void unreachablePostgres(@TempDir Path dir, TestRedis redis) throws Exception {
    Map<String, String> env = env(dir);
    env.put("TINKO_PG_URL", "postgresql://postgres@127.0.0.1:" + FreePort.pick(0) + "/tinko");
    env.put("TINKO_REDIS_URL", redis.url());
    env.put("TINKO_PG_CONNECT_TIMEOUT_MS", "2000");
    assertOneCleanLine(run(dir, env, 1, "up"), "cannot connect to Postgres at 127.0.0.1:");
  }

  @Test
  @DisplayName("an HTTP port already in use is one line and exit 1")
  void portInUse(@TempDir Path dir, TestDatabase db, TestRedis redis) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      Map<String, String> env = env(dir);
      env.put("TINKO_PG_URL", db.url());
      env.put("TINKO_REDIS_URL", redis.url());
      env.put("TINKO_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      assertOneCleanLine(run(dir, env, 1, "up"), "already in use");
    }
  }

  @Test
  @DisplayName("version answers, every command has --help, and analytics without a database is one line and exit 1")
  void commands(@TempDir Path dir) throws Exception {
    assertThat(run(dir, env(dir), 0, "version")).startsWith("tinko ");
    for (String cmd : new String[] {"up", "gateway", "engine", "migrate", "endpoint", "bare", "analytics"}) {
      assertThat(run(dir, env(dir), 0, cmd, "--help")).contains("Usage: tinko " + cmd);
    }
    assertOneCleanLine(run(dir, env(dir), 1, "analytics"), "no running `tinko up` was found");
    assertThat(run(dir, env(dir), 2, "nope")).contains("Unmatched argument");
  }
}
