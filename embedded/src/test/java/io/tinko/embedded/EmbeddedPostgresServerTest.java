package io.tinko.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

  @Test
  @DisplayName("settings given to start() are the server's, over the class's own")
  void settingsApplied(@TempDir Path dir) throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, 0, true, false,
        Map.of("shared_buffers", "48MB", "max_wal_size", "3GB", "work_mem", "7MB"))) {
      try (Connection c = DriverManager.getConnection(
          "jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres", "postgres", "postgres")) {
        assertThat(show(c, "shared_buffers")).isEqualTo("48MB");
        assertThat(show(c, "max_wal_size")).isEqualTo("3GB");
        assertThat(show(c, "work_mem")).isEqualTo("7MB");
      }
    }
  }

  @Test
  @DisplayName("the durability settings and names that are not settings are refused before anything starts")
  void durabilityAndBadNamesRefused(@TempDir Path dir) {
    for (String name : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(dir, 0, false, false, Map.of(name, "off")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name).hasMessageContaining("durable");
    }
    assertThatThrownBy(() -> EmbeddedPostgresServer.start(dir, 0, false, false, Map.of("work_mem = 1; x", "1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Postgres setting name");
    assertThat(Files.exists(dir.resolve("PG_VERSION"))).as("no data directory initialised").isFalse();
  }

  private static String show(Connection c, String name) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
