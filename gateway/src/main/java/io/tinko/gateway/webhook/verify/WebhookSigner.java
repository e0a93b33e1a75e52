package io.tinko.gateway.webhook.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Produces the PSPs' signature headers, the mirror image of the schemes: for the sandbox PSP, load generators and
 * tests that must send webhooks the gateway accepts. Not on the ingestion path, so clarity wins over allocation.
 */
public final class WebhookSigner {
  private WebhookSigner() {
  }

  /** {@code Stripe-Signature} with one {@code v1} per secret, as Stripe sends during a rotation. */
  public static String stripe(long timestamp, byte[] body, String... secrets) {
    StringBuilder header = new StringBuilder("t=").append(timestamp);
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
    for (String secret : secrets) {
      byte[] mac = hmac(secret.getBytes(StandardCharsets.UTF_8), prefix, body);
      header.append(",v1=").append(HexFormat.of().formatHex(mac));
    }
    return header.toString();
  }

  /** {@code X-Razorpay-Signature}. */
  public static String razorpay(String secret, byte[] body) {
    return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), new byte[0], body));
  }

  /** {@code webhook-signature} with one {@code v1} per {@code whsec_} secret (the prefix is optional). */
  public static String standard(String msgId, long timestamp, byte[] body, String... secrets) {
    StringBuilder header = new StringBuilder();
    byte[] prefix = (msgId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    for (String secret : secrets) {
      String encoded = secret.startsWith(StandardWebhooksScheme.SECRET_PREFIX)
          ? secret.substring(StandardWebhooksScheme.SECRET_PREFIX.length()) : secret;
      byte[] mac = hmac(Base64.getDecoder().decode(encoded), prefix, body);
      if (header.length() > 0) {
        header.append(' ');
      }
      header.append("v1,").append(Base64.getEncoder().encodeToString(mac));
    }
    return header.toString();
  }

  /** A {@code v1a} entry of {@code webhook-signature}: ed25519 by the producer's private key. */
  public static String standardEd25519(String msgId, long timestamp, byte[] body, PrivateKey key) {
    byte[] prefix = (msgId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    return "v1a," + Base64.getEncoder().encodeToString(sign("Ed25519", key, prefix, body));
  }

  /** The message PayPal signs: {@code transmissionId|transmissionTime|webhookId|crc32(body)}. */
  public static byte[] paypalMessage(String transmissionId, String transmissionTime, String webhookId, byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return (transmissionId + '|' + transmissionTime + '|' + webhookId + '|' + crc.getValue())
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code PAYPAL-TRANSMISSION-SIG} by the private key of the certificate named in {@code PAYPAL-CERT-URL}. */
  public static String paypal(String algorithm, PrivateKey key, String transmissionId, String transmissionTime,
                              String webhookId, byte[] body) {
    byte[] message = paypalMessage(transmissionId, transmissionTime, webhookId, body);
    return Base64.getEncoder().encodeToString(sign(algorithm, key, message, new byte[0]));
  }

  private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
    Mac mac = Verdicts.hmacSha256();
    if (!Verdicts.init(mac, new SecretKeySpec(key, "HmacSHA256"))) {
      throw new IllegalArgumentException("unusable HMAC key");
    }
    mac.update(prefix);
    return mac.doFinal(body);
  }

  private static byte[] sign(String algorithm, PrivateKey key, byte[] prefix, byte[] body) {
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(prefix);
      s.update(body);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with " + algorithm + ": " + e.getMessage(), e);
    }
  }
}
