package io.tinko.gateway.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque bearer secrets (API keys, refresh tokens, invitation tokens): 256 random bits, URL-safe, with a readable
 * prefix. Only their SHA-256 is stored: with that much entropy a fast hash is enough, and it lets a lookup be one
 * indexed equality.
 */
public final class Tokens {
  public static final String API_KEY_PREFIX = "tk_live_";
  public static final String REFRESH_PREFIX = "tkr_";
  public static final String INVITATION_PREFIX = "tki_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** What the merchant sees of an API key in lists: the prefix and the first 8 characters of the secret part. */
  public static String visiblePrefix(String apiKey) {
    return apiKey.substring(0, Math.min(apiKey.length(), API_KEY_PREFIX.length() + 8));
  }
}
