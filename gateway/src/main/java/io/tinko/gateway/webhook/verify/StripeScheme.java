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
 * Stripe: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]}, HMAC-SHA256 over {@code t + "." + rawBody}
 * keyed with the UTF-8 bytes of the whole {@code whsec_...} string, as stripe-java does.
 *
 * <p>Header parsing follows stripe-java's {@code Webhook.Signature} so that both accept and refuse the same inputs:
 * items split on {@code ','} and on the first {@code '='}, no trimming, the first {@code t} wins, any {@code v1} may
 * match (Stripe sends one per active secret during a rotation), every other scheme such as {@code v0} is ignored so a
 * downgrade cannot be forced. Two deliberate differences, both stricter: {@code t} must be plain digits, and a
 * timestamp too far in the future is refused as well as a too old one (stripe-java only checks the past; a future
 * timestamp would let a captured webhook be replayed for longer).
 *
 * <p>The timestamp is checked before the HMAC: it is cheaper, so EXPIRED means "outside the window", not "genuine
 * but stale".
 */
public final class StripeScheme implements WebhookScheme {
  public static final String SIGNATURE_HEADER = "Stripe-Signature";
  /** v1 signatures read from one header at most; Stripe sends one per active secret, so two in practice. */
  static final int MAX_SIGNATURES = 16;
  private static final int HMAC_BYTES = 32;

  private final long toleranceSeconds;
  private final Mac mac = Verdicts.hmacSha256();
  private final KeyCache<SecretKeySpec> keys = new KeyCache<>(KeyCache.DEFAULT_CAPACITY, StripeScheme::key);
  private final byte[] expected = new byte[HMAC_BYTES];
  private final byte[][] received = new byte[MAX_SIGNATURES][HMAC_BYTES];
  private final byte[] digits = new byte[20];

  /** @param toleranceSeconds {@code webhooks.stripeToleranceSeconds}: accepted distance of {@code t} from now */
  public StripeScheme(long toleranceSeconds) {
    this.toleranceSeconds = Verdicts.requirePositive(toleranceSeconds);
  }

  @Override
  public Psp psp() {
    return Psp.STRIPE;
  }

  @Override
  public Future<Verdict> verify(byte[] body, MultiMap headers, List<String> secrets, String webhookId,
                                long nowEpochSeconds) {
    return Verdicts.of(check(body, headers.get(SIGNATURE_HEADER), secrets, nowEpochSeconds));
  }

  private Verdict check(byte[] body, String header, List<String> secrets, long now) {
    if (header == null) {
      return Verdict.MISSING;
    }
    long t = -1;
    boolean seenT = false;
    int count = 0;
    int len = header.length();
    for (int start = 0; start <= len; ) {
      int end = header.indexOf(',', start);
      if (end < 0) {
        end = len;
      }
      int eq = header.indexOf('=', start);
      boolean hasValue = eq >= 0 && eq < end;
      int keyEnd = hasValue ? eq : end;
      if (isKey(header, start, keyEnd, "t") && !seenT) {
        seenT = true;
        t = hasValue ? Codecs.parseDigits(header, eq + 1, end) : -1;
      } else if (isKey(header, start, keyEnd, "v1")) {
        if (!hasValue) {
          return Verdict.MALFORMED; // stripe-java fails on it outright
        }
        if (count < MAX_SIGNATURES && Codecs.decodeHex(header, eq + 1, end, received[count])) {
          count++;
        }
      }
      start = end + 1;
    }
    if (t <= 0 || count == 0) {
      return Verdict.MALFORMED;
    }
    if (Verdicts.outsideTolerance(t, now, toleranceSeconds)) {
      return Verdict.EXPIRED;
    }
    int digitCount = Codecs.writeDecimal(t, digits);
    for (String secret : secrets) {
      SecretKeySpec key = keys.get(secret);
      if (key == null || !Verdicts.init(mac, key)) {
        continue;
      }
      mac.update(digits, 0, digitCount);
      mac.update((byte) '.');
      mac.update(body);
      Verdicts.finish(mac, expected);
      for (int i = 0; i < count; i++) {
        if (MessageDigest.isEqual(expected, received[i])) {
          return Verdict.VALID;
        }
      }
    }
    return Verdict.MISMATCH;
  }

  private static boolean isKey(String header, int from, int to, String key) {
    return to - from == key.length() && header.startsWith(key, from);
  }

  private static SecretKeySpec key(String secret) {
    return secret == null || secret.isEmpty()
        ? null
        : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  @Override
  public EventIdentity identify(byte[] body, MultiMap headers) throws BadPayloadException {
    return JsonFields.identity(body, "id", "type");
  }

  @Override
  public List<String> signatureHeaders() {
    return List.of(SIGNATURE_HEADER);
  }
}
