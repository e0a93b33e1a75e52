package io.tinko.gateway.webhook.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used map from a configured secret string to its prepared key, owned by one scheme instance
 * (one event loop), hence unsynchronized.
 *
 * <p>It exists because turning a secret into a key costs more than the HMAC of a typical webhook: base64 decoding for
 * Standard Webhooks, a {@code KeyFactory} round for ed25519. Bounded so that a gateway serving many endpoints keeps
 * only the hot ones.
 */
final class KeyCache<V> {
  static final int DEFAULT_CAPACITY = 1024;

  private final Map<String, V> map;
  private final Function<String, V> loader;

  /** @param loader prepares the key; may return null for an unusable secret, which is cached too */
  KeyCache(int capacity, Function<String, V> loader) {
    this.loader = loader;
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > capacity;
      }
    };
  }

  V get(String secret) {
    V v = map.get(secret);
    if (v == null && !map.containsKey(secret)) {
      v = loader.apply(secret);
      map.put(secret, v);
    }
    return v;
  }
}
