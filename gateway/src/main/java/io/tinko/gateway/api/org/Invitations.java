package io.tinko.gateway.api.org;

import io.tinko.common.util.Ids;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.Role;
import io.tinko.gateway.api.auth.Tokens;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Invitations: an owner or admin names an email and a role; the invitee turns the one-time token into an account
 * of that organisation with a password of their own. Only the token's hash is stored.
 */
public final class Invitations {
  private final Pool pool;
  private final long lifetimeSeconds;

  public Invitations(Pool pool, long lifetimeSeconds) {
    this.pool = pool;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  public Future<JsonObject> create(UUID orgId, UUID invitedBy, String email, Role role) {
    UUID id = Ids.uuid7();
    String token = Tokens.generate(Tokens.INVITATION_PREFIX);
    return pool.preparedQuery("SELECT 1 FROM users WHERE lower(email) = lower($1)").execute(Tuple.of(email))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(new ApiException(409, "email_taken", "an account with this email already exists"))
            : pool.preparedQuery("""
                    INSERT INTO invitations (id, org_id, email, role, token_hash, invited_by, expires_at)
                    VALUES ($1, $2, $3, $4, $5, $6, now() + $7::int8 * interval '1 second') RETURNING created_at, expires_at""")
                .execute(Tuple.of(id, orgId, email, role.id(), Buffer.buffer(Tokens.sha256(token)), invitedBy,
                    lifetimeSeconds)))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("id", id.toString()).put("email", email).put("role", role.id())
              .put("token", token).put("createdAt", Reply.time(r.getOffsetDateTime("created_at")))
              .put("expiresAt", Reply.time(r.getOffsetDateTime("expires_at")));
        });
  }

  /** Turns a valid, unused invitation into a user; 404 for any token that is not one (no hint which). */
  public Future<JsonObject> accept(String token, String passwordHash) {
    return pool.withTransaction(c -> c.preparedQuery("""
            UPDATE invitations SET accepted_at = now()
             WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()
            RETURNING org_id, email, role""")
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiException(404, "invitation_not_found",
                "this invitation does not exist, was used or has expired"));
          }
          Row inv = rows.iterator().next();
          UUID user = Ids.uuid7();
          UUID org = inv.getUUID("org_id");
          return c.preparedQuery("""
                  INSERT INTO users (id, org_id, email, password_hash, role) VALUES ($1, $2, $3, $4, $5)
                  RETURNING created_at, (SELECT name FROM organizations WHERE id = $2) AS org_name""")
              .execute(Tuple.of(user, org, inv.getString("email"), passwordHash, inv.getString("role")))
              .map(u -> {
                Row r = u.iterator().next();
                return new JsonObject()
                    .put("organization", new JsonObject().put("id", org.toString()).put("name", r.getString("org_name")))
                    .put("user", new JsonObject().put("id", user.toString()).put("email", inv.getString("email"))
                        .put("role", inv.getString("role")).put("createdAt", Reply.time(r.getOffsetDateTime("created_at"))));
              });
        }))
        .recover(err -> err instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.failedFuture(new ApiException(409, "email_taken", "an account with this email already exists"))
            : Future.failedFuture(err));
  }
}
