package io.tinko.engine.dunning;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recovery link tokens: {@code <keyId>.<claims>.<hmac>}, base64url without padding, HMAC-SHA256 over
 * {@code <keyId>.<claims>} under the key named by the key id (so keys rotate). The claims bind the link's id, the
 * tenant, the transaction, the purpose and the expiry; the database row of the link id makes the payment action
 * single-use, and the page re-checks that the row names the same tenant and transaction.
 */
public final class LinkTokens {
  /** What a token says; trust it only as returned by {@link #verify}. */
  public record Claims(UUID linkId, UUID orgId, UUID transactionId, String purpose, Instant expiresAt) {}

  /** Why a token was refused. */
  public enum Refusal { MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, WRONG_PURPOSE }

  /** Either claims or a refusal. */
  public record Verdict(Claims claims, Refusal refusal) {
    public boolean ok() {
      return claims != null;
    }
  }

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private final LinkKeys keys;
  private final Clock clock;

  public LinkTokens(LinkKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  public String sign(Claims c) {
    JsonObject json = new JsonObject().put("l", c.linkId().toString()).put("o", c.orgId().toString())
        .put("t", c.transactionId().toString()).put("p", c.purpose()).put("e", c.expiresAt().getEpochSecond());
    String head = keys.signingId() + "." + B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
    return head + "." + B64.encodeToString(hmac(keys.signingKey(), head));
  }

  /** The key id the signing key has now (stored with each link, to know which links a key retirement breaks). */
  public String signingKeyId() {
    return keys.signingId();
  }

  public Verdict verify(String token, String purpose) {
    if (token == null || token.length() > 1024) {
      return refuse(Refusal.MALFORMED);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return refuse(Refusal.MALFORMED);
    }
    byte[] key = keys.key(parts[0]);
    if (key == null) {
      return refuse(Refusal.UNKNOWN_KEY);
    }
    byte[] given;
    try {
      given = B64D.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      return refuse(Refusal.MALFORMED);
    }
    if (!MessageDigest.isEqual(hmac(key, parts[0] + "." + parts[1]), given)) {
      return refuse(Refusal.BAD_SIGNATURE);
    }
    Claims c;
    try {
      JsonObject json = new JsonObject(new String(B64D.decode(parts[1]), StandardCharsets.UTF_8));
      c = new Claims(UUID.fromString(json.getString("l")), UUID.fromString(json.getString("o")),
          UUID.fromString(json.getString("t")), json.getString("p"), Instant.ofEpochSecond(json.getLong("e")));
    } catch (IllegalArgumentException | DecodeException | NullPointerException | ClassCastException e) {
      return refuse(Refusal.MALFORMED);
    }
    if (!clock.instant().isBefore(c.expiresAt())) {
      return refuse(Refusal.EXPIRED);
    }
    if (!c.purpose().equals(purpose)) {
      return refuse(Refusal.WRONG_PURPOSE);
    }
    return new Verdict(c, null);
  }

  private static Verdict refuse(Refusal r) {
    return new Verdict(null, r);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
