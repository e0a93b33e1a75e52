package io.tinko.gateway.api.auth;

import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Role;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code Authorization: Bearer ...} into a {@link Principal}, or fails with 401. Two credentials are accepted:
 * an API key ({@code tk_live_...}, looked up by its SHA-256) and an access token (JWT), whose session and user are
 * checked on every request so that logout, a revoked session or a disabled user take effect at once, and the role
 * used is the user's current one, not the one at login.
 *
 * <p>One instance per verticle (the last-used throttle map is confined to its event loop).
 */
public final class Authenticator implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final long TOUCH_EVERY_MS = 60_000;
  private static final int TOUCH_MEMORY = 10_000;
  private static final String SESSION = """
      SELECT u.role, u.email FROM api_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND s.user_id = $2 AND s.org_id = $3 AND u.org_id = $3
         AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL""";
  private static final String API_KEY = """
      SELECT id, org_id, role, name FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL""";

  private final Pool pool;
  private final AccessTokens tokens;
  private final Map<UUID, Long> touched = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, Long> eldest) {
      return size() > TOUCH_MEMORY;
    }
  };

  public Authenticator(Pool pool, AccessTokens tokens) {
    this.pool = pool;
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      fail(ctx, new ApiException(401, "unauthorized", "send Authorization: Bearer <access token or API key>"));
      return;
    }
    String credential = header.substring(7).trim();
    Future<Principal> principal;
    try {
      principal = credential.startsWith(Tokens.API_KEY_PREFIX) ? apiKey(credential) : accessToken(credential);
    } catch (ApiException e) {
      principal = Future.failedFuture(e);
    }
    principal.onComplete(ar -> {
      if (ar.succeeded()) {
        Access.set(ctx, ar.result());
        ctx.next();
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  private Future<Principal> accessToken(String token) {
    AccessTokens.Claims c = tokens.verify(token);
    return pool.preparedQuery(SESSION).execute(Tuple.of(c.sessionId(), c.userId(), c.orgId())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new ApiException(401, "invalid_token",
            "the session of this access token has ended; sign in again"));
      }
      Row r = rows.iterator().next();
      return Future.succeededFuture(new Principal(Principal.Kind.USER, c.userId(), c.orgId(),
          Role.parse(r.getString("role")).orElseThrow(), c.sessionId(), r.getString("email"), null));
    });
  }

  private Future<Principal> apiKey(String key) {
    return pool.preparedQuery(API_KEY).execute(Tuple.of(Buffer.buffer(Tokens.sha256(key)))).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new ApiException(401, "invalid_api_key", "the API key is not valid or revoked"));
      }
      Row r = rows.iterator().next();
      UUID id = r.getUUID("id");
      touch(id);
      return Future.succeededFuture(new Principal(Principal.Kind.API_KEY, id, r.getUUID("org_id"),
          Role.parse(r.getString("role")).orElseThrow(), null, null, r.getString("name")));
    });
  }

  /** Records last use at most once a minute per key and loop: a write per request would cost more than the read. */
  private void touch(UUID keyId) {
    long now = System.currentTimeMillis();
    Long last = touched.get(keyId);
    if (last != null && now - last < TOUCH_EVERY_MS) {
      return;
    }
    touched.put(keyId, now);
    pool.preparedQuery("UPDATE api_keys SET last_used_at = now() WHERE id = $1").execute(Tuple.of(keyId))
        .onFailure(err -> LOG.atDebug().addKeyValue("apiKeyId", keyId).log("last_used_at not recorded: {}",
            err.getMessage()));
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    if (err instanceof ApiException api && api.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tinko\"");
    }
    ctx.fail(err);
  }
}
