package io.tinko.gateway.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id password hashes (PHC string format, salt and parameters inside), always computed off the event loop:
 * one hash takes tens of milliseconds and tens of MiB by design. They run on their own small worker pool (half the
 * cores, shared by the process's verticles) so a burst of logins queues behind itself instead of taking every CPU
 * from the event loops that serve the rest of the API and the webhooks.
 */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final int LANES = 1;

  private final WorkerExecutor workers;
  private final Argon2PasswordEncoder encoder;
  private volatile String decoy;

  public PasswordHasher(Vertx vertx, int memoryKib, int iterations) {
    this.workers = vertx.createSharedWorkerExecutor("tinko-password-hashing",
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    this.encoder = new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, LANES, memoryKib, iterations);
  }

  public Future<String> hash(String password) {
    return workers.executeBlocking(() -> encoder.encode(password), false);
  }

  public Future<Boolean> matches(String password, String hash) {
    return workers.executeBlocking(() -> encoder.matches(password, hash), false);
  }

  /**
   * Spends the same time as {@link #matches} against a hash nobody has, so an unknown email answers as slowly as a
   * wrong password and does not tell which emails have accounts.
   */
  public Future<Boolean> matchesNothing(String password) {
    return workers.executeBlocking(() -> {
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
