package io.tinko.gateway.webhook.verify;

import io.vertx.core.Future;
import java.security.InvalidKeyException;
import java.security.Key;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/** Small pieces shared by the schemes. */
final class Verdicts {
  /**
   * A succeeded future has no context and cannot change, so one per verdict serves every request on every loop
   * instead of allocating a future per webhook.
   */
  private static final Future<Verdict>[] DONE = done();

  private Verdicts() {
  }

  static Future<Verdict> of(Verdict v) {
    return DONE[v.ordinal()];
  }

  /** The replay window: both too old and too far in the future are refused. */
  static boolean outsideTolerance(long timestamp, long now, long toleranceSeconds) {
    return timestamp < now - toleranceSeconds || timestamp > now + toleranceSeconds;
  }

  static long requirePositive(long toleranceSeconds) {
    if (toleranceSeconds <= 0) {
      throw new IllegalArgumentException("tolerance must be positive, was " + toleranceSeconds);
    }
    return toleranceSeconds;
  }

  /** Re-keys a reused Mac; false when the provider refuses the key (it then cannot have signed anything). */
  static boolean init(Mac mac, Key key) {
    try {
      mac.init(key);
      return true;
    } catch (InvalidKeyException e) {
      return false;
    }
  }

  static void finish(Mac mac, byte[] out) {
    try {
      mac.doFinal(out, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("HMAC-SHA256 output buffer too small", e);
    }
  }

  static Mac hmacSha256() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java 17 runtime has HmacSHA256", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Future<Verdict>[] done() {
    Verdict[] all = Verdict.values();
    Future<Verdict>[] f = new Future[all.length];
    for (Verdict v : all) {
      f[v.ordinal()] = Future.succeededFuture(v);
    }
    return f;
  }
}
