package io.tinko.loadtests.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * What the feeder needs to sign PayPal deliveries: the private key of the signing certificate served at
 * {@code certUrl} (by {@link io.tinko.loadtests.bench.PaypalCertServer} in bench runs) and the webhook id the
 * endpoint was created with (PayPal signs it into every message).
 */
public record PaypalKey(PrivateKey privateKey, String certUrl, String webhookId) {
  /** PAYPAL-AUTH-ALGO; the one PayPal uses. */
  public static final String ALGORITHM = "SHA256withRSA";

  /** From {@code tinko.lt.paypal.keyFile}, {@code tinko.lt.paypal.certUrl} and {@code tinko.lt.paypal.webhookId}. */
  public static PaypalKey fromParams() {
    String keyFile = Params.str("paypal.keyFile", null);
    String certUrl = Params.str("paypal.certUrl", null);
    if (keyFile == null || certUrl == null) {
      throw new IllegalStateException("paypal is in tinko.lt.mix but tinko.lt.paypal.keyFile / tinko.lt.paypal.certUrl "
          + "are not set: bench sets them when it starts tinko up; against a deployment see load-tests/README.md "
          + "(or leave paypal out of --mix)");
    }
    return new PaypalKey(readPkcs8(Path.of(keyFile)), certUrl, Params.paypalWebhookId());
  }

  /** A key no certificate vouches for, at the real certificate URL: a forged PayPal delivery. */
  public PaypalKey forger() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return new PaypalKey(g.generateKeyPair().getPrivate(), certUrl, webhookId);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY") RSA key. */
  public static PrivateKey readPkcs8(Path pem) {
    try {
      String text = Files.readString(pem, StandardCharsets.US_ASCII)
          .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the PayPal signing key " + pem, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("not a PKCS#8 RSA key: " + pem, e);
    }
  }
}
