package io.tinko.engine.execute;

import io.tinko.common.crypto.SecretBox;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens {@code psp_connections.credentials_enc}: AES-GCM under the deployment's master key with the associated data
 * {@code psp_connections/<id>/credentials}, the format the gateway's ConnectionSecrets seals with (the engine does
 * not depend on the gateway, so it reads the format itself). Opened values are cached by ciphertext, so a rotated
 * credential is picked up as soon as the row changes.
 */
public final class ConnectionCredentials {
  private record Cached(byte[] sealed, JsonObject credentials) {}

  private final SecretBox box;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ConnectionCredentials(SecretBox box) {
    this.box = box;
  }

  /** The credentials JSON, empty when the connection has none; fails when the master key does not open it. */
  public JsonObject open(String connectionId, byte[] sealed) {
    if (sealed == null || sealed.length == 0) {
      return new JsonObject();
    }
    Cached c = cache.get(connectionId);
    if (c != null && Arrays.equals(c.sealed(), sealed)) {
      return c.credentials();
    }
    JsonObject credentials = new JsonObject(box.open(sealed, aad(connectionId)));
    cache.put(connectionId, new Cached(sealed.clone(), credentials));
    return credentials;
  }

  /** Seals credentials the way the gateway does (tests and tooling). */
  public byte[] seal(String connectionId, JsonObject credentials) {
    return box.seal(credentials.encode(), aad(connectionId));
  }

  static String aad(String connectionId) {
    return "psp_connections/" + connectionId + "/credentials";
  }
}
