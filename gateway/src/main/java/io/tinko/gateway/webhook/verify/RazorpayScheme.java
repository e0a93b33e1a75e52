package io.tinko.gateway.webhook.verify;

import io.tinko.common.domain.Psp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Razorpay: {@code X-Razorpay-Signature} is the lowercase hex HMAC-SHA256 of the raw body keyed with the secret's
 * UTF-8 bytes. The scheme signs no timestamp, so there is no replay window here; de-duplication on
 * {@code X-Razorpay-Event-Id} is what stops a replay from being processed twice.
 *
 * <p>After a secret rotation Razorpay keeps signing retries of older events with the old secret, hence every active
 * secret is tried.
 */
public final class RazorpayScheme implements WebhookScheme {
  public static final String SIGNATURE_HEADER = "X-Razorpay-Signature";
  public static final String EVENT_ID_HEADER = "X-Razorpay-Event-Id";
  private static final int HMAC_BYTES = 32;

  private final Mac mac = Verdicts.hmacSha256();
  private final KeyCache<SecretKeySpec> keys = new KeyCache<>(KeyCache.DEFAULT_CAPACITY, RazorpayScheme::key);
  private final byte[] expected = new byte[HMAC_BYTES];
  private final byte[] received = new byte[HMAC_BYTES];

  @Override
  public Psp psp() {
    return Psp.RAZORPAY;
  }

  @Override
  public Future<Verdict> verify(byte[] body, MultiMap headers, List<String> secrets, String webhookId,
                                long nowEpochSeconds) {
    return Verdicts.of(check(body, headers.get(SIGNATURE_HEADER), secrets));
  }

  private Verdict check(byte[] body, String signature, List<String> secrets) {
    if (signature == null) {
      return Verdict.MISSING;
    }
    if (!Codecs.decodeHex(signature, 0, signature.length(), received)) {
      return Verdict.MALFORMED;
    }
    for (String secret : secrets) {
      SecretKeySpec key = keys.get(secret);
      if (key == null || !Verdicts.init(mac, key)) {
        continue;
      }
      mac.update(body);
      Verdicts.finish(mac, expected);
      if (MessageDigest.isEqual(expected, received)) {
        return Verdict.VALID;
      }
    }
    return Verdict.MISMATCH;
  }

  private static SecretKeySpec key(String secret) {
    return secret == null || secret.isEmpty()
        ? null
        : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** The event id comes from the header (Razorpay's bodies carry no event id); the type from the body's "event". */
  @Override
  public EventIdentity identify(byte[] body, MultiMap headers) throws BadPayloadException {
    String eventId = headers.get(EVENT_ID_HEADER);
    JsonFields.Found found = JsonFields.read(body, "event", null);
    if (eventId == null || eventId.isEmpty()) {
      throw new BadPayloadException(EVENT_ID_HEADER + " is missing");
    }
    return new EventIdentity(eventId, found.first());
  }

  @Override
  public List<String> signatureHeaders() {
    return List.of(SIGNATURE_HEADER, EVENT_ID_HEADER);
  }
}
