package io.tinko.engine.dunning;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.KeyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HMAC keys of recovery links, by key id. The first key signs; every key verifies, so an operator rotates by
 * putting a new key first and dropping the old one once the links it signed have expired
 * ({@code dunning.linkTtlSeconds}).
 */
public final class LinkKeys {
  static final String GENERATED_ID = "local";
  private final String signingId;
  private final Map<String, byte[]> keys;

  public LinkKeys(String signingId, Map<String, byte[]> keys) {
    if (!keys.containsKey(signingId)) {
      throw new IllegalArgumentException("no key " + signingId);
    }
    keys.forEach((id, k) -> {
      if (k.length < 32) {
        throw new ConfigException("recovery link key '" + id + "' must be at least 32 bytes");
      }
      if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
        throw new ConfigException("recovery link key id '" + id + "' must be 1-32 letters, digits, _ or -");
      }
    });
    this.signingId = signingId;
    this.keys = Map.copyOf(keys);
  }

  /** From "id:base64" entries, the first signing. */
  public static LinkKeys parse(List<String> entries) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    String first = null;
    for (String e : entries) {
      int colon = e.indexOf(':');
      if (colon <= 0) {
        throw new ConfigException("dunning.linkKeys entries are keyId:base64, got one without a key id");
      }
      String id = e.substring(0, colon).trim();
      try {
        keys.put(id, Base64.getDecoder().decode(e.substring(colon + 1).trim()));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException("dunning.linkKeys: key '" + id + "' is not valid base64");
      }
      first = first == null ? id : first;
    }
    return new LinkKeys(first, keys);
  }

  /**
   * The configured keys, or one generated once into {@code <dataDir>/secrets/link.key} (mode 600). Blocking: call it
   * from a worker thread or before the event loops run.
   */
  public static LinkKeys load(TinkoConfig config) {
    List<String> configured = config.list("dunning.linkKeys");
    if (!configured.isEmpty()) {
      return parse(configured);
    }
    Path file = config.dataDir().resolve("secrets").resolve("link.key");
    try {
      return new LinkKeys(GENERATED_ID, Map.of(GENERATED_ID, KeyFile.readOrCreate(file, 32)));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }

  String signingId() {
    return signingId;
  }

  byte[] signingKey() {
    return keys.get(signingId);
  }

  /** The key with this id, or null when it is unknown (retired or never ours). */
  byte[] key(String id) {
    return keys.get(id);
  }
}
