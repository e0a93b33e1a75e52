package io.tinko.engine.recovery;

import io.tinko.engine.retry.RetryPolicies;
import io.tinko.engine.retry.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants' time zones and retry-policy overrides, cached for {@code ttlMillis} so a group pays no look-up for
 * tenants it has seen lately (a policy change through the merchant API applies within that time). One instance per
 * verticle: only its event loop touches the map.
 */
final class TenantSettings {
  private static final Logger LOG = LoggerFactory.getLogger(TenantSettings.class);
  static final String ZONES = "SELECT id, time_zone FROM organizations WHERE id = ANY($1::uuid[])";
  static final String POLICIES = "SELECT org_id, decline_class, policy FROM retry_policies WHERE org_id = ANY($1::uuid[])";

  private record Tenant(ZoneId zone, RetryPolicies policies, long loadedAtNanos) {}

  private final RetryPolicies defaults;
  private final long ttlNanos;
  private final Map<UUID, Tenant> cache = new HashMap<>();

  TenantSettings(RetryPolicies defaults, long ttlMillis) {
    this.defaults = defaults;
    this.ttlNanos = ttlMillis * 1_000_000;
  }

  /** Loads the tenants not cached (or expired) on the transaction's connection, pipelined with the caller's reads. */
  Future<Void> refresh(SqlConnection conn, Collection<UUID> orgs) {
    long now = System.nanoTime();
    List<UUID> stale = new ArrayList<>();
    for (UUID org : orgs) {
      Tenant t = cache.get(org);
      if (t == null || now - t.loadedAtNanos() > ttlNanos) {
        stale.add(org);
      }
    }
    if (stale.isEmpty()) {
      return Future.succeededFuture();
    }
    Tuple ids = Tuple.tuple().addArrayOfUUID(stale.toArray(UUID[]::new));
    Future<RowSet<Row>> zones = conn.preparedQuery(ZONES).execute(ids);
    Future<RowSet<Row>> policies = conn.preparedQuery(POLICIES).execute(ids);
    return Future.all(zones, policies).map(v -> {
      Map<UUID, ZoneId> z = new HashMap<>();
      zones.result().forEach(r -> z.put(r.getUUID("id"), zone(r.getString("time_zone"))));
      Map<UUID, RetryPolicies> p = new HashMap<>();
      for (Row r : policies.result()) {
        UUID org = r.getUUID("org_id");
        p.put(org, override(p.getOrDefault(org, defaults), org, r.getString("decline_class"),
            r.getJsonObject("policy")));
      }
      for (UUID org : stale) {
        cache.put(org, new Tenant(z.getOrDefault(org, ZoneOffset.UTC), p.getOrDefault(org, defaults), now));
      }
      return null;
    });
  }

  void fill(GroupState s, Collection<UUID> orgs) {
    for (UUID org : orgs) {
      Tenant t = cache.get(org);
      if (t != null) {
        s.zones.put(org, t.zone());
        s.policies.put(org, t.policies());
      }
    }
  }

  private static ZoneId zone(String s) {
    try {
      return ZoneId.of(s);
    } catch (DateTimeException | NullPointerException e) {
      return ZoneOffset.UTC;
    }
  }

  /** A tenant's stored policy; one that no longer parses is logged and the shipped default is kept. */
  private static RetryPolicies override(RetryPolicies base, UUID org, String key, JsonObject policy) {
    try {
      return base.withOverride(key, RetryPolicy.fromJson(policy));
    } catch (IllegalArgumentException e) {
      LOG.warn("tenant {} policy {} is invalid ({}); the default applies", org, key, e.getMessage());
      return base;
    }
  }
}
