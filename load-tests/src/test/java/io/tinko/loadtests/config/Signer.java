package io.tinko.loadtests.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures as the PSPs compute them (shared/DOMAIN.md section 1): HMAC-SHA256 for Stripe, Razorpay and Standard
 * Webhooks, RSA over a CRC32 of the body for PayPal. One Mac/Signature per signer thread.
 */
public final class Signer {
  private static final HexFormat HEX = HexFormat.of();

  private final Mac stripe;
  private final Mac razorpay;
  private final Mac standard;
  private final PaypalKey paypalKey;
  private final Signature paypal;
  private final CRC32 crc = new CRC32();

  public Signer(String stripeSecret, String razorpaySecret, String standardSecret) {
    this(stripeSecret, razorpaySecret, standardSecret, null);
  }

  /** @param paypalKey null when PayPal is not in the mix */
  public Signer(String stripeSecret, String razorpaySecret, String standardSecret, PaypalKey paypalKey) {
    this.stripe = mac(stripeSecret.getBytes(StandardCharsets.UTF_8));
    this.razorpay = mac(razorpaySecret.getBytes(StandardCharsets.UTF_8));
    this.standard = mac(Base64.getDecoder().decode(standardSecret.startsWith("whsec_")
        ? standardSecret.substring("whsec_".length()) : standardSecret));
    this.paypalKey = paypalKey;
    try {
      this.paypal = paypalKey == null ? null : Signature.getInstance(PaypalKey.ALGORITHM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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

  /**
   * {@code PAYPAL-TRANSMISSION-SIG} value: base64(SHA256withRSA(key, transmissionId|time|webhookId|crc32(body))),
   * CRC32 as unsigned decimal. About a millisecond of CPU, which is why events are signed before the run.
   */
  public String paypal(String transmissionId, String time, EventTemplate t, byte[] id, byte[] key, byte[] decline) {
    crc.reset();
    t.update(crc, id, key, decline);
    return paypal(transmissionId, time, crc.getValue());
  }

  public String paypal(String transmissionId, String time, byte[] body) {
    crc.reset();
    crc.update(body);
    return paypal(transmissionId, time, crc.getValue());
  }

  private String paypal(String transmissionId, String time, long crc32) {
    if (paypal == null) {
      throw new IllegalStateException("no PayPal signing key: paypal is not in the mix this signer was made for");
    }
    byte[] message = (transmissionId + '|' + time + '|' + paypalKey.webhookId() + '|' + crc32)
        .getBytes(StandardCharsets.UTF_8);
    try {
      paypal.initSign(paypalKey.privateKey());
      paypal.update(message);
      return Base64.getEncoder().encodeToString(paypal.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a PayPal delivery", e);
    }
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
