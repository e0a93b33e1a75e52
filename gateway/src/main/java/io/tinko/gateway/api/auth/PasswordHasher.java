package io.tinko.gateway.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id password hashes (PHC string format, salt and parameters inside), always computed on a worker thread:
 * one hash takes tens of milliseconds and tens of MiB by design, which must never stall an event loop.
 */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final int LANES = 1;

  private final Vertx vertx;
  private final Argon2PasswordEncoder encoder;
  private volatile String decoy;

  public PasswordHasher(Vertx vertx, int memoryKib, int iterations) {
    this.vertx = vertx;
    this.encoder = new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, LANES, memoryKib, iterations);
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> encoder.encode(password), false);
  }

  public Future<Boolean> matches(String password, String hash) {
    return vertx.executeBlocking(() -> encoder.matches(password, hash), false);
  }

  /**
   * Spends the same time as {@link #matches} against a hash nobody has, so an unknown email answers as slowly as a
   * wrong password and does not tell which emails have accounts.
   */
  public Future<Boolean> matchesNothing(String password) {
    return vertx.executeBlocking(() -> {
      String d = decoy;
      if (d == null) {
        d = encoder.encode(Tokens.generate(""));
        decoy = d;
      }
      encoder.matches(password, d);
      return false;
    }, false);
  }
}
