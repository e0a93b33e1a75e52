package io.tinko.engine.support;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Event bodies for tests: Tinko's generic payload (Standard Webhooks / sandbox, see StandardNormalizer) built field by
 * field, and the PSP fixtures under src/test/resources/fixtures.
 */
public final class Events {
  private final JsonObject data = new JsonObject();
  private final String type;
  private Instant at = Instant.parse("2026-01-31T10:00:00Z");

  private Events(String type) {
    this.type = type;
  }

  public static Events failed(String paymentKey) {
    return new Events("payment.failed").set("payment_key", paymentKey).amount("49.00", "EUR");
  }

  public static Events succeeded(String paymentKey) {
    return new Events("payment.succeeded").set("payment_key", paymentKey).amount("49.00", "EUR");
  }

  public static Events of(String type) {
    return new Events(type);
  }

  public Events at(Instant t) {
    this.at = t;
    return this;
  }

  public Events set(String key, Object value) {
    data.put(key, value);
    return this;
  }

  public Events amount(String decimal, String currency) {
    return set("amount", decimal).set("currency", currency);
  }

  public Events invoice(String id) {
    return set("invoice_id", id);
  }

  public Events decline(String code) {
    return set("failure_code", "card_declined").set("decline_code", code);
  }

  public Events card(String network, String fingerprint) {
    data.put("card", new JsonObject().put("network", network).put("fingerprint", fingerprint));
    return this;
  }

  public Events nextRetryAt(Instant t) {
    return set("next_retry_at", t.toString());
  }

  public Instant occurredAt() {
    return at;
  }

  public String type() {
    return type;
  }

  public byte[] body() {
    return new JsonObject().put("type", type).put("timestamp", at.toString()).put("data", data).encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A PSP fixture, e.g. {@code stripe/charge.failed.json}. */
  public static byte[] fixture(String path) {
    try {
      return Files.readAllBytes(Path.of("src/test/resources/fixtures", path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A fixture with text replaced (ids, amounts) to make variants. */
  public static byte[] fixture(String path, String... replacements) {
    String s = new String(fixture(path), StandardCharsets.UTF_8);
    for (int i = 0; i + 1 < replacements.length; i += 2) {
      s = s.replace(replacements[i], replacements[i + 1]);
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
