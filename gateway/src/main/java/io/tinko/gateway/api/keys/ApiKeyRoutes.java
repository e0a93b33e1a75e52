package io.tinko.gateway.api.keys;

import io.tinko.common.util.Ids;
import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.Role;
import io.tinko.gateway.api.auth.Tokens;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * API keys for server-to-server calls. The key is returned once, at creation; the table keeps its SHA-256 and a
 * visible prefix. A key has a role (never owner) no higher than its creator's, and only a member whose role is at
 * least the key's may revoke it.
 */
public final class ApiKeyRoutes {
  private static final String COLUMNS = "id, name, prefix, role, created_at, last_used_at, revoked_at";

  private final Pool pool;

  public ApiKeyRoutes(Pool pool) {
    this.pool = pool;
  }

  public void list(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Reply.json(ctx, 200, pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE org_id = $1"
            + " ORDER BY created_at DESC, id DESC")
        .execute(Tuple.of(p.orgId()))
        .map(rows -> {
          JsonArray items = new JsonArray();
          rows.forEach(r -> items.add(json(r)));
          return new JsonObject().put("items", items);
        }));
  }

  public void create(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    JsonObject body = Params.body(ctx);
    Role role = Role.parse(body.getString("role")).orElseThrow();
    if (!p.role().atLeast(role)) {
      ctx.fail(new ApiException(403, "forbidden", "a " + p.role().id() + " cannot create a " + role.id() + " key"));
      return;
    }
    String key = Tokens.generate(Tokens.API_KEY_PREFIX);
    UUID id = Ids.uuid7();
    Reply.json(ctx, 201, pool.preparedQuery("""
            INSERT INTO api_keys (id, org_id, name, prefix, key_hash, role) VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING""" + " " + COLUMNS)
        .execute(Tuple.of(id, p.orgId(), body.getString("name").trim(), Tokens.visiblePrefix(key),
            Buffer.buffer(Tokens.sha256(key)), role.id()))
        .map(rows -> json(rows.iterator().next()).put("key", key)));
  }

  public void revoke(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    UUID id = Params.pathUuid(ctx, "id");
    Reply.json(ctx, 204, pool.preparedQuery("SELECT role FROM api_keys WHERE id = $1 AND org_id = $2")
        .execute(Tuple.of(id, p.orgId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiException(404, "not_found", "no such API key"));
          }
          Role keyRole = Role.parse(rows.iterator().next().getString("role")).orElseThrow();
          if (!p.role().atLeast(keyRole)) {
            return Future.failedFuture(new ApiException(403, "forbidden", "a " + p.role().id()
                + " cannot revoke a " + keyRole.id() + " key"));
          }
          return pool.preparedQuery("""
                  UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND org_id = $2""")
              .execute(Tuple.of(id, p.orgId())).mapEmpty();
        }));
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("name", r.getString("name"))
        .put("prefix", r.getString("prefix")).put("role", r.getString("role"))
        .put("createdAt", Reply.time(r.getOffsetDateTime("created_at")))
        .put("lastUsedAt", Reply.time(r.getOffsetDateTime("last_used_at")))
        .put("revokedAt", Reply.time(r.getOffsetDateTime("revoked_at")));
  }
}
