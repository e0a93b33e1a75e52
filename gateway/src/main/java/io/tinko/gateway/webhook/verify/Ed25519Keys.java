package io.tinko.gateway.webhook.verify;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Converts between the raw 32-byte ed25519 public keys of {@code whpk_} secrets and JDK keys.
 *
 * <p>The JDK only imports ed25519 keys as X.509 SubjectPublicKeyInfo; for ed25519 that structure is a fixed 12-byte
 * header (RFC 8410) followed by the raw key, so wrapping avoids decoding the curve point by hand.
 */
public final class Ed25519Keys {
  private static final byte[] SPKI_HEADER = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  private static final int RAW_LENGTH = 32;

  private Ed25519Keys() {
  }

  /** The key of {@code whpk_<base64>} without its prefix, or null when it is not 32 bytes of valid base64. */
  static PublicKey publicKey(String base64) {
    try {
      byte[] raw = Base64.getDecoder().decode(base64);
      if (raw.length != RAW_LENGTH) {
        return null;
      }
      byte[] spki = Arrays.copyOf(SPKI_HEADER, SPKI_HEADER.length + RAW_LENGTH);
      System.arraycopy(raw, 0, spki, SPKI_HEADER.length, RAW_LENGTH);
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return null;
    }
  }

  /** The {@code whpk_} form of an ed25519 public key, e.g. to show a merchant or to configure a test. */
  public static String toWhpk(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())
        || spki.length != SPKI_HEADER.length + RAW_LENGTH) {
      throw new IllegalArgumentException("not an ed25519 public key: " + key.getAlgorithm());
    }
    byte[] raw = Arrays.copyOfRange(spki, SPKI_HEADER.length, spki.length);
    return StandardWebhooksScheme.PUBLIC_KEY_PREFIX + Base64.getEncoder().encodeToString(raw);
  }

  static Signature verifier() {
    try {
      return Signature.getInstance("Ed25519");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java 17 runtime has Ed25519", e);
    }
  }
}
