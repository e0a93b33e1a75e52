package io.tinko.gateway.api.org;

import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.Role;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The caller, their organisation and invitations into it (members: {@link MemberRoutes}). */
public final class OrgRoutes {
  private final Pool pool;
  private final Invitations invitations;

  public OrgRoutes(Pool pool, Invitations invitations) {
    this.pool = pool;
    this.invitations = invitations;
  }

  public void me(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    Reply.json(ctx, 200, organization(p).map(org -> p.toJson().put("organization", org)));
  }

  public void organization(RoutingContext ctx) {
    Reply.json(ctx, 200, organization(Access.of(ctx)));
  }

  /** Nobody can invite above their own role (an admin cannot make an owner). */
  public void invite(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    JsonObject body = Params.body(ctx);
    Role role = Role.parse(body.getString("role")).orElseThrow();
    if (!p.role().atLeast(role)) {
      ctx.fail(new ApiException(403, "forbidden", "a " + p.role().id() + " cannot invite a " + role.id()));
      return;
    }
    Reply.json(ctx, 201, invitations.create(p.orgId(), p.id(), body.getString("email").trim(), role));
  }

  private Future<JsonObject> organization(Principal p) {
    return pool.preparedQuery("SELECT id, name, time_zone, created_at FROM organizations WHERE id = $1")
        .execute(Tuple.of(p.orgId()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new ApiException(404, "not_found", "no such organization");
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("id", r.getUUID("id").toString()).put("name", r.getString("name"))
              .put("timeZone", r.getString("time_zone")).put("createdAt", Reply.time(r.getOffsetDateTime("created_at")));
        });
  }
}
