package io.tinko.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  private final SecretBox box = new SecretBox(new byte[32]);

  @Test
  @DisplayName("a sealed secret opens with the same key and associated data")
  void roundTrip() {
    byte[] sealed = box.seal("whsec_abc", "psp_connections/ep_1/webhook_secret");
    assertThat(new String(sealed)).doesNotContain("whsec_abc");
    assertThat(box.open(sealed, "psp_connections/ep_1/webhook_secret")).isEqualTo("whsec_abc");
  }

  @Test
  @DisplayName("a ciphertext moved to another row does not open")
  void boundToRow() {
    byte[] sealed = box.seal("whsec_abc", "psp_connections/ep_1/webhook_secret");
    assertThatThrownBy(() -> box.open(sealed, "psp_connections/ep_2/webhook_secret"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a tampered ciphertext does not open")
  void tampered() {
    byte[] sealed = box.seal("whsec_abc", "a");
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(sealed, "a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("another master key cannot open it")
  void otherKey() {
    byte[] sealed = box.seal("s", "a");
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new SecretBox(other).open(sealed, "a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("generated secrets are written once with mode 600 and reused")
  void generatedSecrets(@TempDir Path dir) throws Exception {
    TinkoConfig config = config(dir, "", "");
    Secrets first = Secrets.load(config);
    Path master = dir.resolve("secrets/master.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(master))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets/jwt.key"))))
        .isEqualTo("rw-------");
    assertThat(Secrets.load(config).masterKey()).isEqualTo(first.masterKey());
    assertThat(first.masterKey()).hasSize(32);
  }

  @Test
  @DisplayName("configured secrets win and are validated")
  void configuredSecrets(@TempDir Path dir) {
    byte[] key = new byte[32];
    key[5] = 7;
    String b64 = Base64.getEncoder().encodeToString(key);
    assertThat(Secrets.load(config(dir, b64, b64)).masterKey()).isEqualTo(key);
    assertThat(Files.exists(dir.resolve("secrets"))).isFalse();
    assertThatThrownBy(() -> Secrets.load(config(dir, b64, "c2hvcnQ="))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("secrets.masterKey");
    assertThatThrownBy(() -> Secrets.load(config(dir, b64, "%%%"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("base64");
  }

  private static TinkoConfig config(Path dir, String jwt, String master) {
    return new TinkoConfig(new JsonObject()
        .put("embedded", new JsonObject().put("dataDir", dir.toString()))
        .put("secrets", new JsonObject().put("jwtKey", jwt).put("masterKey", master)));
  }
}
