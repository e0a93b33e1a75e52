package io.tinko.gateway.webhook.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;

/** Shared test inputs. */
final class Fixtures {
  /** A fixed receiver clock: 2026-01-01T00:00:00Z. */
  static final long NOW = 1_767_225_600L;

  static final String STRIPE_BODY = "{\"id\":\"evt_1QxT\",\"object\":\"event\",\"api_version\":\"2024-06-20\","
      + "\"type\":\"invoice.payment_failed\",\"data\":{\"object\":{\"id\":\"in_1Qx\",\"object\":\"invoice\","
      + "\"amount_due\":4200,\"currency\":\"eur\"}}}";

  private Fixtures() {
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static MultiMap headers(String... namesAndValues) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }

  /** The HMAC schemes answer with a completed future; unwrap it. */
  static Verdict done(Future<Verdict> f) {
    assertThat(f.isComplete()).as("HMAC schemes answer synchronously").isTrue();
    return f.result();
  }

  /** The body with one byte changed, same length. */
  static byte[] tampered(byte[] body) {
    byte[] copy = body.clone();
    int i = copy.length / 2;
    copy[i] = (byte) (copy[i] == '1' ? '2' : '1');
    return copy;
  }
}
