package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackingSettingsTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static TinkoConfig load(Map<String, String> env) throws Exception {
    return ConfigLoader.load(vertx, null, env).await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("embedded.pgSettings: the shipped list, and the environment's comma-separated one in its place")
  void pgSettingsParsed() throws Exception {
    assertThat(Backing.pgSettings(load(Map.of()))).containsKey("shared_buffers").containsKey("max_wal_size");
    assertThat(Backing.pgSettings(load(Map.of("TINKO_EMBEDDED_PG_SETTINGS",
        "shared_buffers=1GB, work_mem = 16MB,shared_buffers=2GB"))))
        .containsExactly(Map.entry("shared_buffers", "2GB"), Map.entry("work_mem", "16MB"));
  }

  @Test
  @DisplayName("a durability setting is a configuration error before anything starts")
  void durabilityRefused() throws Exception {
    TinkoConfig config = load(Map.of("TINKO_EMBEDDED_PG_SETTINGS", "shared_buffers=1GB,fsync=off"));
    assertThatThrownBy(() -> Backing.pgSettings(config)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("embedded.pgSettings").hasMessageContaining("fsync").hasMessageContaining("durable");
  }

  @Test
  @DisplayName("an entry that is not name=value is a configuration error naming the key")
  void malformedEntryRefused() throws Exception {
    for (String bad : new String[] {"shared_buffers", "=1GB", "shared_buffers="}) {
      TinkoConfig config = load(Map.of("TINKO_EMBEDDED_PG_SETTINGS", bad));
      assertThatThrownBy(() -> Backing.pgSettings(config)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("embedded.pgSettings").hasMessageContaining(bad);
    }
  }
}
