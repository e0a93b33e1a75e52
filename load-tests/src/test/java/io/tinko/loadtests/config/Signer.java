package io.tinko.loadtests.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures as the PSPs compute them (shared/DOMAIN.md section 1); one Mac per signer thread. */
public final class Signer {
  private static final HexFormat HEX = HexFormat.of();

  private final Mac stripe;
  private final Mac razorpay;
  private final Mac standard;

  public Signer(String stripeSecret, String razorpaySecret, String standardSecret) {
    this.stripe = mac(stripeSecret.getBytes(StandardCharsets.UTF_8));
    this.razorpay = mac(razorpaySecret.getBytes(StandardCharsets.UTF_8));
    this.standard = mac(Base64.getDecoder().decode(standardSecret.startsWith("whsec_")
        ? standardSecret.substring("whsec_".length()) : standardSecret));
  }

  /** {@code Stripe-Signature} value: t=ts,v1=hex(HMAC(secret, ts + "." + body)). */
  public String stripe(long ts, EventTemplate t, byte[] id, byte[] key, byte[] decline) {
    stripe.update((ts + ".").getBytes(StandardCharsets.US_ASCII));
    t.update(stripe, id, key, decline);
    return "t=" + ts + ",v1=" + HEX.formatHex(stripe.doFinal());
  }

  public String stripe(long ts, byte[] body) {
    stripe.update((ts + ".").getBytes(StandardCharsets.US_ASCII));
    return "t=" + ts + ",v1=" + HEX.formatHex(stripe.doFinal(body));
  }

  /** {@code X-Razorpay-Signature} value: hex(HMAC(secret, body)). */
  public String razorpay(EventTemplate t, byte[] id, byte[] key, byte[] decline) {
    t.update(razorpay, id, key, decline);
    return HEX.formatHex(razorpay.doFinal());
  }

  /** {@code webhook-signature} value: v1,base64(HMAC(key, msgId + "." + ts + "." + body)). */
  public String standard(String msgId, long ts, EventTemplate t, byte[] id, byte[] key, byte[] decline) {
    standard.update((msgId + "." + ts + ".").getBytes(StandardCharsets.US_ASCII));
    t.update(standard, id, key, decline);
    return "v1," + Base64.getEncoder().encodeToString(standard.doFinal());
  }

  private static Mac mac(byte[] key) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
