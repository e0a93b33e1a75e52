package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.embedded.FreePort;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees when `tinko up` is stopped as it should be (SIGTERM, as Ctrl-C or a service manager do). */
@ExtendWith(PostgresExtension.class)
class CleanStopTest {

  @Test
  @DisplayName("SIGTERM: tinko up stops within seconds, exit 0 path, and logs no warning or error on the way")
  void quietStop(@TempDir Path dir, TestDatabase db) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("TINKO_EMBEDDED_DATA_DIR", dir.resolve("data").toString());
    env.put("TINKO_PG_URL", db.url());   // Redis and the mail sink embedded, as a new user runs it
    env.put("TINKO_HTTP_PORT", Integer.toString(FreePort.pick(0)));
    env.put("TINKO_ENGINE_MANAGEMENT_PORT", "0");
    env.put("TINKO_LOGGING_FORMAT", "text");
    TinkoProcess up = TinkoProcess.start(dir, "up", env, "up");
    try {
      up.awaitOutput("tinko up ready", Duration.ofSeconds(90));
      up.process.destroy();   // SIGTERM
      assertThat(up.process.waitFor(20, TimeUnit.SECONDS)).as("stopped").isTrue();
      String out = up.output();
      assertThat(out).contains("stopping");
      String stopping = out.substring(out.indexOf("stopping"));
      assertThat(stopping).as(stopping).doesNotContain(" WARN ").doesNotContain(" ERROR ");
    } finally {
      up.close();
    }
  }
}
