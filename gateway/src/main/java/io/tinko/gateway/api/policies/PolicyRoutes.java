package io.tinko.gateway.api.policies;

import io.tinko.engine.retry.PolicyValidator;
import io.tinko.engine.retry.RetryPolicies;
import io.tinko.engine.retry.RetryPolicy;
import io.tinko.engine.retry.Violation;
import io.tinko.gateway.api.Access;
import io.tinko.gateway.api.Principal;
import io.tinko.gateway.api.Reply;
import io.tinko.gateway.api.openapi.Params;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tenant's retry policy per decline class: the shipped default unless the tenant stored its own. A stored policy
 * is checked by the engine's {@link PolicyValidator} first, so one that would break a card-network limit or retry a
 * class that must not be retried blindly is refused with each reason.
 */
public final class PolicyRoutes {
  private final Pool pool;
  private final Future<RetryPolicies> loaded;

  /** @param defaults the shipped policies, loaded off the event loop before the server listens */
  public PolicyRoutes(Pool pool, Future<RetryPolicies> defaults) {
    this.pool = pool;
    this.loaded = defaults;
  }

  public void list(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    RetryPolicies defaults = loaded.result();
    Reply.json(ctx, 200, pool.preparedQuery("SELECT decline_class, policy, updated_at FROM retry_policies"
            + " WHERE org_id = $1")
        .execute(Tuple.of(p.orgId()))
        .map(rows -> {
          Map<String, Row> custom = new HashMap<>();
          rows.forEach(r -> custom.put(r.getString("decline_class"), r));
          JsonArray items = new JsonArray();
          for (String key : RetryPolicies.keys()) {
            Row r = custom.get(key);
            items.add(r == null ? entry(key, "default", defaults.forKey(key).toJson(), null)
                : entry(key, "custom", (JsonObject) r.getValue("policy"), r.getOffsetDateTime("updated_at")));
          }
          return new JsonObject().put("items", items).put("networkLimits", defaults.networkLimits().toJson());
        }));
  }

  public void put(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    String key = knownClass(ctx);
    RetryPolicy policy;
    try {
      policy = RetryPolicy.fromJson(Params.body(ctx));
    } catch (IllegalArgumentException e) {
      ctx.fail(new ApiException(400, "validation_failed", "invalid request: body " + e.getMessage()));
      return;
    }
    List<Violation> violations = PolicyValidator.validate(key, policy, loaded.result().networkLimits());
    if (!violations.isEmpty()) {
      ctx.fail(new ApiException(422, "policy_rejected", "the policy cannot be used: " + violations.stream()
          .map(Violation::toString).collect(Collectors.joining("; "))));
      return;
    }
    JsonObject stored = policy.toJson();
    Reply.json(ctx, 200, pool.preparedQuery("""
            INSERT INTO retry_policies (org_id, decline_class, policy) VALUES ($1, $2, $3)
            ON CONFLICT (org_id, decline_class) DO UPDATE SET policy = excluded.policy, updated_at = now()
            RETURNING updated_at""")
        .execute(Tuple.of(p.orgId(), key, stored))
        .map(rows -> entry(key, "custom", stored, rows.iterator().next().getOffsetDateTime("updated_at"))));
  }

  /** Back to the shipped default. */
  public void reset(RoutingContext ctx) {
    Principal p = Access.of(ctx);
    String key = knownClass(ctx);
    Reply.json(ctx, 200, pool.preparedQuery("DELETE FROM retry_policies WHERE org_id = $1 AND decline_class = $2")
        .execute(Tuple.of(p.orgId(), key))
        .map(v -> entry(key, "default", loaded.result().forKey(key).toJson(), null)));
  }

  private static String knownClass(RoutingContext ctx) {
    String key = Params.path(ctx, "class");
    if (!RetryPolicies.keys().contains(key)) {
      throw new ApiException(404, "not_found", "no decline class '" + key + "'; known: "
          + String.join(", ", RetryPolicies.keys()));
    }
    return key;
  }

  private static JsonObject entry(String key, String source, JsonObject policy, OffsetDateTime updatedAt) {
    return new JsonObject().put("declineClass", key).put("source", source).put("policy", policy)
        .put("updatedAt", Reply.time(updatedAt));
  }
}
