package io.tinko.gateway.api.auth;

import io.tinko.common.util.Ids;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.Role;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Accounts, sessions and refresh tokens in Postgres. Every multi-row change runs in one transaction. */
public final class AuthStore {
  /** A user as login needs it. */
  public record UserRow(UUID id, UUID orgId, String email, String passwordHash, Role role, boolean disabled) {
  }

  /** A session just opened or refreshed: the refresh token in clear, for the caller only. */
  public record Session(UUID sessionId, UUID userId, UUID orgId, Role role, String refreshToken) {
  }

  private final Pool pool;
  private final long refreshSeconds;
  private final long sessionMaxSeconds;

  public AuthStore(Pool pool, long refreshSeconds, long sessionMaxSeconds) {
    this.pool = pool;
    this.refreshSeconds = refreshSeconds;
    this.sessionMaxSeconds = sessionMaxSeconds;
  }

  public Future<JsonObject> register(String organization, String email, String passwordHash) {
    UUID org = Ids.uuid7();
    UUID user = Ids.uuid7();
    return pool.withTransaction(c -> c.preparedQuery(
            "INSERT INTO organizations (id, name) VALUES ($1, $2) RETURNING created_at, time_zone")
        .execute(Tuple.of(org, organization))
        .compose(orgRows -> c.preparedQuery("""
                INSERT INTO users (id, org_id, email, password_hash, role) VALUES ($1, $2, $3, $4, 'owner')
                RETURNING created_at""")
            .execute(Tuple.of(user, org, email, passwordHash))
            .map(userRows -> new JsonObject()
                .put("organization", new JsonObject().put("id", org.toString()).put("name", organization)
                    .put("timeZone", orgRows.iterator().next().getString("time_zone"))
                    .put("createdAt", Reply.time(orgRows.iterator().next().getOffsetDateTime("created_at"))))
                .put("user", new JsonObject().put("id", user.toString()).put("email", email).put("role", "owner")
                    .put("createdAt", Reply.time(userRows.iterator().next().getOffsetDateTime("created_at")))))))
        .recover(AuthStore::emailTaken);
  }

  public Future<UserRow> findByEmail(String email) {
    return pool.preparedQuery("""
            SELECT id, org_id, email, password_hash, role, disabled_at IS NOT NULL AS disabled
              FROM users WHERE lower(email) = lower($1)""")
        .execute(Tuple.of(email))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new UserRow(r.getUUID("id"), r.getUUID("org_id"), r.getString("email"), r.getString("password_hash"),
              Role.parse(r.getString("role")).orElseThrow(), r.getBoolean("disabled"));
        });
  }

  public Future<Session> openSession(UserRow user) {
    UUID session = Ids.uuid7();
    String token = Tokens.generate(Tokens.REFRESH_PREFIX);
    return pool.withTransaction(c -> c.preparedQuery("""
            INSERT INTO api_sessions (id, org_id, user_id, expires_at)
            VALUES ($1, $2, $3, now() + $4::int8 * interval '1 second')""")
        .execute(Tuple.of(session, user.orgId(), user.id(), sessionMaxSeconds))
        .compose(v -> insertToken(c, token, session))
        .map(v -> new Session(session, user.id(), user.orgId(), user.role(), token)));
  }

  /**
   * Exchanges a refresh token for the next one of its session. A token used before revokes the whole session: two
   * parties hold it, and there is no telling which is the rightful one.
   */
  public Future<Session> refresh(String token) {
    Buffer hash = Buffer.buffer(Tokens.sha256(token));
    return pool.withTransaction(c -> c.preparedQuery("""
            SELECT t.session_id, t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired,
                   s.revoked_at IS NOT NULL OR s.expires_at <= now() AS session_over,
                   u.id AS user_id, u.org_id, u.role, u.disabled_at IS NOT NULL AS disabled
              FROM refresh_tokens t
              JOIN api_sessions s ON s.id = t.session_id
              JOIN users u ON u.id = s.user_id
             WHERE t.token_hash = $1
               FOR UPDATE OF t""")
        .execute(Tuple.of(hash))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(invalidRefresh());
          }
          Row r = rows.iterator().next();
          UUID session = r.getUUID("session_id");
          if (r.getBoolean("used")) {
            // rolled back here and revoked below in its own statement, so the revocation commits
            return Future.<Session>failedFuture(new ReuseDetected(session));
          }
          if (r.getBoolean("expired") || r.getBoolean("session_over") || r.getBoolean("disabled")) {
            return Future.failedFuture(invalidRefresh());
          }
          String next = Tokens.generate(Tokens.REFRESH_PREFIX);
          return c.preparedQuery("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1")
              .execute(Tuple.of(hash))
              .compose(v -> insertToken(c, next, session))
              .map(v -> new Session(session, r.getUUID("user_id"), r.getUUID("org_id"),
                  Role.parse(r.getString("role")).orElseThrow(), next));
        }))
        .recover(err -> err instanceof ReuseDetected reuse ? revokeAlone(reuse.session) : Future.failedFuture(err));
  }

  /** Ends the session the refresh token belongs to; unknown tokens change nothing. */
  public Future<Void> logout(String token) {
    return pool.preparedQuery("""
            UPDATE api_sessions SET revoked_at = now(), revoked_why = 'logout'
             WHERE id = (SELECT session_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL""")
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)))).mapEmpty();
  }

  public Future<Void> audit(String email, UserRow user, String address, String outcome) {
    return pool.preparedQuery(
            "INSERT INTO login_audit (id, email, user_id, org_id, ip, outcome) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(Ids.uuid7(), email, user == null ? null : user.id(), user == null ? null : user.orgId(),
            address, outcome))
        .mapEmpty();
  }

  private Future<Void> insertToken(SqlConnection c, String token, UUID session) {
    return c.preparedQuery("""
            INSERT INTO refresh_tokens (token_hash, session_id, expires_at)
            SELECT $1, id, least(now() + $3::int8 * interval '1 second', expires_at) FROM api_sessions WHERE id = $2""")
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)), session, refreshSeconds)).mapEmpty();
  }

  private Future<Session> revokeAlone(UUID session) {
    return pool.preparedQuery("""
            UPDATE api_sessions SET revoked_at = now(), revoked_why = 'reuse' WHERE id = $1 AND revoked_at IS NULL""")
        .execute(Tuple.of(session))
        .compose(v -> Future.failedFuture(invalidRefresh()));
  }

  private static ApiException invalidRefresh() {
    return new ApiException(401, "invalid_token", "the refresh token is not valid; sign in again");
  }

  static <T> Future<T> emailTaken(Throwable err) {
    if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      return Future.failedFuture(new ApiException(409, "email_taken", "an account with this email already exists"));
    }
    return Future.failedFuture(err);
  }

  private static final class ReuseDetected extends RuntimeException {
    final UUID session;

    ReuseDetected(UUID session) {
      super("refresh token reused", null, false, false);
      this.session = session;
    }
  }
}
