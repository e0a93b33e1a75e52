package io.tinko.gateway.webhook.verify;

import io.tinko.common.domain.Psp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks: headers {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}, a
 * space-separated list of {@code <version>,<base64>}; the signed message is {@code id + "." + timestamp + "." + body}.
 *
 * <p>Secrets, per the specification's serialization:
 * <ul>
 *   <li>{@code whsec_<base64>}: symmetric, checks {@code v1} signatures (HMAC-SHA256 keyed with the decoded bytes).
 *   The prefix is optional, as in the reference library.</li>
 *   <li>{@code whpk_<base64 of the raw 32-byte ed25519 public key>}: asymmetric, checks {@code v1a} signatures
 *   (64-byte ed25519). The specification leaves the key's byte layout open; the raw RFC 8032 encoding is what
 *   ed25519 libraries print and exchange, so that is the one accepted.</li>
 * </ul>
 * A secret that cannot be decoded matches nothing. Unknown versions are ignored; a list without a single well-formed
 * {@code v1}/{@code v1a} signature is MALFORMED. The timestamp (±tolerance) is checked before any signature.
 */
public final class StandardWebhooksScheme implements WebhookScheme {
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";
  public static final String SECRET_PREFIX = "whsec_";
  public static final String PUBLIC_KEY_PREFIX = "whpk_";
  static final int MAX_SIGNATURES = 16;
  private static final int HMAC_BYTES = 32;
  private static final int ED25519_BYTES = 64;

  private final long toleranceSeconds;
  private final Mac mac = Verdicts.hmacSha256();
  private final Signature ed25519 = Ed25519Keys.verifier();
  private final KeyCache<Object> keys = new KeyCache<>(KeyCache.DEFAULT_CAPACITY, StandardWebhooksScheme::key);
  private final byte[] expected = new byte[HMAC_BYTES];
  private final byte[][] hmacs = new byte[MAX_SIGNATURES][HMAC_BYTES];
  private final byte[][] edSignatures = new byte[MAX_SIGNATURES][ED25519_BYTES];
  private final byte[] digits = new byte[20];

  /** @param toleranceSeconds {@code webhooks.standardToleranceSeconds}: accepted distance of the timestamp from now */
  public StandardWebhooksScheme(long toleranceSeconds) {
    this.toleranceSeconds = Verdicts.requirePositive(toleranceSeconds);
  }

  @Override
  public Psp psp() {
    return Psp.STANDARD;
  }

  @Override
  public Future<Verdict> verify(byte[] body, MultiMap headers, List<String> secrets, String webhookId,
                                long nowEpochSeconds) {
    return Verdicts.of(check(body, headers, secrets, nowEpochSeconds));
  }

  private Verdict check(byte[] body, MultiMap headers, List<String> secrets, long now) {
    String id = headers.get(ID_HEADER);
    String timestamp = headers.get(TIMESTAMP_HEADER);
    String header = headers.get(SIGNATURE_HEADER);
    if (id == null || timestamp == null || header == null) {
      return Verdict.MISSING;
    }
    long ts = Codecs.parseDigits(timestamp, 0, timestamp.length());
    if (ts < 0 || id.isEmpty()) {
      return Verdict.MALFORMED;
    }
    int v1 = 0;
    int v1a = 0;
    int len = header.length();
    for (int start = 0; start < len; ) {
      int end = header.indexOf(' ', start);
      if (end < 0) {
        end = len;
      }
      int comma = header.indexOf(',', start);
      if (comma > start && comma < end) {
        if (isVersion(header, start, comma, "v1")) {
          if (v1 < MAX_SIGNATURES && Codecs.decodeBase64(header, comma + 1, end, hmacs[v1])) {
            v1++;
          }
        } else if (isVersion(header, start, comma, "v1a")) {
          if (v1a < MAX_SIGNATURES && Codecs.decodeBase64(header, comma + 1, end, edSignatures[v1a])) {
            v1a++;
          }
        }
      }
      start = end + 1;
    }
    if (v1 + v1a == 0) {
      return Verdict.MALFORMED;
    }
    if (Verdicts.outsideTolerance(ts, now, toleranceSeconds)) {
      return Verdict.EXPIRED;
    }
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    // the reference library signs the parsed number, so "0123" is signed as "123"; do the same
    int digitCount = Codecs.writeDecimal(ts, digits);
    for (String secret : secrets) {
      Object key = keys.get(secret);
      if (key instanceof SecretKeySpec hmacKey && v1 > 0) {
        if (matchesHmac(hmacKey, idBytes, digitCount, body, v1)) {
          return Verdict.VALID;
        }
      } else if (key instanceof PublicKey publicKey && v1a > 0) {
        if (matchesEd25519(publicKey, idBytes, digitCount, body, v1a)) {
          return Verdict.VALID;
        }
      }
    }
    return Verdict.MISMATCH;
  }

  private boolean matchesHmac(SecretKeySpec key, byte[] id, int digitCount, byte[] body, int count) {
    if (!Verdicts.init(mac, key)) {
      return false;
    }
    mac.update(id);
    mac.update((byte) '.');
    mac.update(digits, 0, digitCount);
    mac.update((byte) '.');
    mac.update(body);
    Verdicts.finish(mac, expected);
    for (int i = 0; i < count; i++) {
      if (MessageDigest.isEqual(expected, hmacs[i])) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesEd25519(PublicKey key, byte[] id, int digitCount, byte[] body, int count) {
    for (int i = 0; i < count; i++) {
      try {
        ed25519.initVerify(key);
        ed25519.update(id);
        ed25519.update((byte) '.');
        ed25519.update(digits, 0, digitCount);
        ed25519.update((byte) '.');
        ed25519.update(body);
        if (ed25519.verify(edSignatures[i])) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // an undecodable signature point: this candidate does not match, try the next one
      }
    }
    return false;
  }

  private static boolean isVersion(String header, int from, int to, String version) {
    return to - from == version.length() && header.startsWith(version, from);
  }

  /** A prepared key: SecretKeySpec for v1, PublicKey for v1a, null when the secret is unusable. */
  private static Object key(String secret) {
    if (secret == null || secret.isEmpty()) {
      return null;
    }
    if (secret.startsWith(PUBLIC_KEY_PREFIX)) {
      return Ed25519Keys.publicKey(secret.substring(PUBLIC_KEY_PREFIX.length()));
    }
    String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    try {
      byte[] raw = java.util.Base64.getDecoder().decode(encoded);
      return raw.length == 0 ? null : new SecretKeySpec(raw, "HmacSHA256");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public EventIdentity identify(byte[] body, MultiMap headers) throws BadPayloadException {
    String id = headers.get(ID_HEADER);
    JsonFields.Found found = JsonFields.read(body, "type", null);
    if (id == null || id.isEmpty()) {
      throw new BadPayloadException(ID_HEADER + " is missing");
    }
    return new EventIdentity(id, found.first());
  }

  @Override
  public List<String> signatureHeaders() {
    return List.of(ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER);
  }
}
