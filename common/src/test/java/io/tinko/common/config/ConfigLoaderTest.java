package io.tinko.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static TinkoConfig load(Path file, Map<String, String> env) throws Exception {
    return ConfigLoader.load(vertx, file, env).await(10, TimeUnit.SECONDS);
  }

  /** The ConfigException somewhere in what the call threw; fails the test when there is none. */
  private static ConfigException configError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof ConfigException ce) {
        return ce;
      }
    }
    throw new AssertionError("expected a ConfigException, got " + thrown, thrown);
  }

  @Test
  @DisplayName("the shipped defaults are those documented in conf/tinko.yaml")
  void defaults() throws Exception {
    TinkoConfig c = load(null, Map.of());
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.integer("webhooks.maxBodyBytes")).isEqualTo(512 * 1024);
    assertThat(c.string("pg.url")).isEmpty();
    assertThat(c.list("cluster.members")).contains("127.0.0.1:5701");
    assertThat(c.publicUrl()).isEqualTo("http://localhost:8080");
  }

  @Test
  @DisplayName("a file overrides only the keys it names")
  void fileOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, "http:\n  port: 9999\nwebhooks:\n  paypal:\n    certCacheSeconds: 5\n");
    TinkoConfig c = load(file, Map.of());
    assertThat(c.httpPort()).isEqualTo(9999);
    assertThat(c.string("http.host")).isEqualTo("0.0.0.0");
    assertThat(c.longValue("webhooks.paypal.certCacheSeconds")).isEqualTo(5);
    assertThat(c.list("webhooks.paypal.certHosts")).contains("api.paypal.com");
  }

  @Test
  @DisplayName("environment variables derived from the key path override the file")
  void environmentOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, "http:\n  port: 9999\n");
    TinkoConfig c = load(file, Map.of("TINKO_HTTP_PORT", "7000", "TINKO_PG_URL", "postgresql://h/db",
        "TINKO_WEBHOOKS_MAX_BODY_BYTES", "1024", "TINKO_CLUSTER_MEMBERS", "a:1, b:2"));
    assertThat(c.httpPort()).isEqualTo(7000);
    assertThat(c.string("pg.url")).isEqualTo("postgresql://h/db");
    assertThat(c.integer("webhooks.maxBodyBytes")).isEqualTo(1024);
    assertThat(c.list("cluster.members")).containsExactly("a:1", "b:2");
  }

  @Test
  @DisplayName("env names are TINKO_ plus the path in upper snake case")
  void envNames() {
    assertThat(ConfigLoader.envName("http.port")).isEqualTo("TINKO_HTTP_PORT");
    assertThat(ConfigLoader.envName("webhooks.paypal.certCacheSeconds"))
        .isEqualTo("TINKO_WEBHOOKS_PAYPAL_CERT_CACHE_SECONDS");
    assertThat(ConfigLoader.envName("embedded.dataDir")).isEqualTo("TINKO_EMBEDDED_DATA_DIR");
  }

  @Test
  @DisplayName("a non-numeric value for a numeric key is refused naming the variable")
  void badNumber() {
    assertThat(configError(() -> load(null, Map.of("TINKO_HTTP_PORT", "eighty"))).getMessage())
        .contains("TINKO_HTTP_PORT").contains("eighty");
  }

  @Test
  @DisplayName("a malformed YAML file is refused with one line naming the file")
  void malformedYaml(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "http:\n  port: [8080\n  host: x\n");
    assertThat(configError(() -> load(file, Map.of())).getMessage())
        .contains("bad.yaml").contains("not valid YAML").doesNotContain("\n");
  }

  @Test
  @DisplayName("a missing configuration file is refused")
  void missingFile(@TempDir Path dir) {
    assertThat(configError(() -> load(dir.resolve("nope.yaml"), Map.of())).getMessage())
        .contains("does not exist");
  }

  @Test
  @DisplayName("an unknown key is a programming error, not an empty value")
  void unknownKey() throws Exception {
    TinkoConfig c = load(null, Map.of());
    assertThatThrownBy(() -> c.string("http.nope")).isInstanceOf(IllegalArgumentException.class);
  }
}
