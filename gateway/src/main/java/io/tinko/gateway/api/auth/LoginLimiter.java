package io.tinko.gateway.api.auth;

import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Login throttling in Redis, shared by every gateway: fixed windows counting all attempts per client address and
 * failed attempts per account. Over either limit the caller gets 429 with Retry-After (the window's remaining
 * time) before any password work. When Redis cannot answer, logins fail closed with 503: without the limiter a
 * password could be guessed at full speed.
 */
public final class LoginLimiter {
  // KEYS[1] = address counter (incremented), KEYS[2] = account failures (read); ARGV[1] = window seconds
  private static final String CHECK = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      local ipTtl = redis.call('TTL', KEYS[1])
      local f = tonumber(redis.call('GET', KEYS[2]) or '0')
      local fTtl = redis.call('TTL', KEYS[2])
      return {n, ipTtl, f, fTtl}""";
  private static final String FAIL = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      return n""";

  private final Redis redis;
  private final int maxPerAddress;
  private final int maxFailuresPerAccount;
  private final int windowSeconds;

  public LoginLimiter(Redis redis, int maxPerAddress, int maxFailuresPerAccount, int windowSeconds) {
    this.redis = redis;
    this.maxPerAddress = maxPerAddress;
    this.maxFailuresPerAccount = maxFailuresPerAccount;
    this.windowSeconds = windowSeconds;
  }

  /**
   * Counts one attempt from {@code address} for {@code action} (login, register, invitation) and fails with 429
   * when the address or, when given, the account is over its limit.
   */
  public Future<Void> admit(String action, String address, String email) {
    Request req = Request.cmd(Command.EVAL).arg(CHECK).arg(2).arg("tinko:limit:" + action + ":ip:" + address)
        .arg(accountKey(email)).arg(windowSeconds);
    return send(req).compose(r -> {
      if (r.get(0).toLong() > maxPerAddress) {
        return Future.failedFuture(tooMany("too many attempts from this address", r.get(1).toLong()));
      }
      if (email != null && r.get(2).toLong() >= maxFailuresPerAccount) {
        return Future.failedFuture(tooMany("too many failed logins for this account; it is locked for a while",
            r.get(3).toLong()));
      }
      return Future.succeededFuture();
    });
  }

  /** Counts a failed login against the account; best effort (admit already needed Redis to answer). */
  public Future<Void> failed(String email) {
    return redis.send(Request.cmd(Command.EVAL).arg(FAIL).arg(1).arg(accountKey(email)).arg(windowSeconds))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  /** A successful login clears the account's failures. */
  public Future<Void> succeeded(String email) {
    return redis.send(Request.cmd(Command.DEL).arg(accountKey(email))).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Response> send(Request req) {
    return redis.send(req).recover(err -> Future.failedFuture(err instanceof ApiException ? err
        : new ApiException(503, "unavailable", "sign-in is temporarily unavailable, retry shortly", 5)));
  }

  /** Hashed so Redis holds no email addresses. */
  static String accountKey(String email) {
    String e = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    return "tinko:limit:acct:" + HexFormat.of().formatHex(Tokens.sha256(e), 0, 16);
  }

  private ApiException tooMany(String message, long ttl) {
    int retryAfter = (int) Math.max(1, ttl > 0 ? ttl : windowSeconds);
    return new ApiException(429, "rate_limited", message + "; retry in " + retryAfter + " s", retryAfter);
  }
}
