package io.tinko.gateway.api.org;

import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.Role;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.api.org.MemberRules.Change;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members of the caller's organisation: list, change a role, disable, enable, remove. Every change runs in one
 * transaction that first locks the organisation's row, so two owners demoting each other at once cannot leave the
 * organisation without one. A disabled or removed member's sessions end in the same transaction: their refresh
 * tokens stop working, and their access tokens too, because the authenticator checks the session and the user on
 * every request.
 */
public final class MemberRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(MemberRoutes.class);
  private static final String COLUMNS = "id, email, role, created_at, disabled_at";
  private static final String LOCK_ORG = "SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE";
  private static final String TARGET = "SELECT " + COLUMNS + """
      , (SELECT count(*) FROM users o WHERE o.org_id = $2 AND o.role = 'owner' AND o.disabled_at IS NULL) AS owners
        FROM users WHERE id = $1 AND org_id = $2""";
  private static final String END_SESSIONS = """
      UPDATE api_sessions SET revoked_at = now(), revoked_why = $2 WHERE user_id = $1 AND revoked_at IS NULL""";

  private final Pool pool;

  public MemberRoutes(Pool pool) {
    this.pool = pool;
  }

  public void list(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Reply.json(ctx, 200, pool.preparedQuery("SELECT " + COLUMNS
            + " FROM users WHERE org_id = $1 ORDER BY created_at, id")
        .execute(Tuple.of(p.orgId()))
        .map(rows -> {
          JsonArray items = new JsonArray();
          rows.forEach(r -> items.add(json(r)));
          return new JsonObject().put("items", items);
        }));
  }

  public void update(RoutingContext ctx) {
    Role role = Role.parse(Params.body(ctx).getString("role")).orElseThrow();
    Reply.json(ctx, 200, change(ctx, Change.ROLE, role));
  }

  public void disable(RoutingContext ctx) {
    Reply.json(ctx, 200, change(ctx, Change.DISABLE, null));
  }

  public void enable(RoutingContext ctx) {
    Reply.json(ctx, 200, change(ctx, Change.ENABLE, null));
  }

  public void remove(RoutingContext ctx) {
    Reply.json(ctx, 204, change(ctx, Change.REMOVE, null).mapEmpty());
  }

  private Future<JsonObject> change(RoutingContext ctx, Change change, Role newRole) {
    Principal p = Access.of(ctx);
    UUID id = Params.pathUuid(ctx, "id");
    Tuple target = Tuple.of(id, p.orgId());
    return pool.withTransaction(c -> c.preparedQuery(LOCK_ORG).execute(Tuple.of(p.orgId()))
        .compose(v -> c.preparedQuery(TARGET).execute(target))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiException(404, "not_found", "no such member"));
          }
          Row r = rows.iterator().next();
          Role current = Role.parse(r.getString("role")).orElseThrow();
          boolean active = r.getOffsetDateTime("disabled_at") == null;
          ApiException refused = MemberRules.refusal(p.role(), current, active, r.getLong("owners"), change, newRole)
              .orElse(null);
          if (refused != null) {
            return Future.failedFuture(refused);
          }
          return apply(c, target, change, newRole);
        }))
        .onSuccess(v -> LOG.atInfo().addKeyValue("orgId", p.orgId()).addKeyValue("memberId", id)
            .addKeyValue("by", p.id()).addKeyValue("change", change).addKeyValue("role", newRole == null ? null
                : newRole.id()).log("member changed"));
  }

  private static Future<JsonObject> apply(SqlConnection c, Tuple target, Change change, Role newRole) {
    UUID id = target.getUUID(0);
    return switch (change) {
      case ROLE -> c.preparedQuery("UPDATE users SET role = $3 WHERE id = $1 AND org_id = $2 RETURNING " + COLUMNS)
          .execute(Tuple.of(id, target.getUUID(1), newRole.id())).map(rows -> json(rows.iterator().next()));
      case DISABLE -> c.preparedQuery("UPDATE users SET disabled_at = coalesce(disabled_at, now())"
              + " WHERE id = $1 AND org_id = $2 RETURNING " + COLUMNS).execute(target)
          .compose(rows -> c.preparedQuery(END_SESSIONS).execute(Tuple.of(id, "user_disabled"))
              .map(v -> json(rows.iterator().next())));
      case ENABLE -> c.preparedQuery("UPDATE users SET disabled_at = NULL WHERE id = $1 AND org_id = $2 RETURNING "
              + COLUMNS).execute(target).map(rows -> json(rows.iterator().next()));
      // the login audit keeps its rows (no foreign key); invitations they sent keep theirs with no inviter (V6)
      case REMOVE -> c.preparedQuery("""
              DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM api_sessions WHERE user_id = $1)""")
          .execute(Tuple.of(id))
          .compose(v -> c.preparedQuery("DELETE FROM api_sessions WHERE user_id = $1").execute(Tuple.of(id)))
          .compose(v -> c.preparedQuery("DELETE FROM users WHERE id = $1 AND org_id = $2").execute(target))
          .map(v -> (JsonObject) null);
    };
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("email", r.getString("email"))
        .put("role", r.getString("role")).put("createdAt", Reply.time(r.getOffsetDateTime("created_at")))
        .put("disabled", r.getOffsetDateTime("disabled_at") != null)
        .put("disabledAt", Reply.time(r.getOffsetDateTime("disabled_at")));
  }
}
