package io.tinko.common.crypto;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The deployment's own secrets: the JWT signing key and the master key for PSP secrets at rest. Taken from the
 * configuration when set, otherwise generated once into {@code <dataDir>/secrets/} with mode 600. Never logged.
 */
public final class Secrets {
  private final byte[] jwtKey;
  private final byte[] masterKey;

  private Secrets(byte[] jwtKey, byte[] masterKey) {
    this.jwtKey = jwtKey;
    this.masterKey = masterKey;
  }

  /** Blocking: reads or writes files. Call from a worker thread or before the event loops run. */
  public static Secrets load(TinkoConfig config) {
    Path dir = config.dataDir().resolve("secrets");
    byte[] jwt = resolve(config.string("secrets.jwtKey"), dir.resolve("jwt.key"), 32, "secrets.jwtKey");
    byte[] master = resolve(config.string("secrets.masterKey"), dir.resolve("master.key"), 32, "secrets.masterKey");
    if (master.length != 32) {
      throw new ConfigException("secrets.masterKey must be 32 bytes, base64-encoded (AES-256)");
    }
    return new Secrets(jwt, master);
  }

  public byte[] jwtKey() {
    return jwtKey.clone();
  }

  public byte[] masterKey() {
    return masterKey.clone();
  }

  private static byte[] resolve(String configured, Path file, int size, String key) {
    if (!configured.isBlank()) {
      try {
        byte[] k = Base64.getDecoder().decode(configured.trim());
        if (k.length < size) {
          throw new ConfigException(key + " must be at least " + size + " bytes, base64-encoded");
        }
        return k;
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + " is not valid base64");
      }
    }
    try {
      return KeyFile.readOrCreate(file, size);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }
}
