package io.tinko.gateway.webhook;

import io.tinko.common.bus.Addresses;
import io.tinko.common.domain.Psp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint id → tenant, secrets, limits, served from memory so no webhook pays a Postgres round trip for it.
 * Loaded whole at start and every {@code webhooks.endpointRefreshSeconds}; a change published on
 * {@link Addresses#ENDPOINT_CHANGED} (from any process of the cluster) reloads that one endpoint at once.
 * One instance per process, shared by the event loops (immutable values in a concurrent map).
 */
public final class EndpointRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointRegistry.class);
  private static final String SELECT = """
      SELECT id, org_id, psp, status, webhook_secret_enc, previous_secret_enc, previous_secret_until,
             paypal_webhook_id, rate_limit_per_second, coalesce(max_body_bytes, 0) AS max_body_bytes
        FROM psp_connections""";

  private final Vertx vertx;
  private final Pool pool;
  private final ConnectionSecrets crypto;
  private volatile Map<String, Endpoint> endpoints = Map.of();
  private final Map<String, Endpoint> overrides = new ConcurrentHashMap<>();
  private final RateLimiter missBudget = new RateLimiter();
  private final Map<String, Future<Endpoint>> loading = new ConcurrentHashMap<>();
  private static final int MISS_LOOKUPS_PER_SECOND = 50;
  private long timerId = -1;

  public EndpointRegistry(Vertx vertx, Pool pool, ConnectionSecrets crypto) {
    this.vertx = vertx;
    this.pool = pool;
    this.crypto = crypto;
  }

  /** Loads everything, then keeps it fresh. */
  public Future<Void> start(long refreshSeconds) {
    vertx.eventBus().<JsonObject>consumer(Addresses.ENDPOINT_CHANGED, msg -> {
      String id = msg.body().getString("id");
      if (id != null) {
        reload(id);
      }
    });
    return reloadAll().onSuccess(v -> timerId = vertx.setPeriodic(refreshSeconds * 1000L, t -> reloadAll()));
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  public Endpoint get(String id) {
    Endpoint e = overrides.get(id);
    return e != null ? e : endpoints.get(id);
  }

  /**
   * The endpoint, loading it from Postgres when it is not in memory yet (created a moment ago by another process).
   * Unknown ids are remembered as inactive until the next full reload, and such look-ups are capped per second,
   * so a spray of made-up ids cannot turn into a Postgres query per request.
   */
  public Future<Endpoint> lookup(String id) {
    Endpoint e = get(id);
    if (e != null) {
      return Future.succeededFuture(e);
    }
    Future<Endpoint> pending = loading.get(id);
    if (pending != null) {
      return pending;
    }
    if (id.length() > 64 || !missBudget.tryAcquire("misses", MISS_LOOKUPS_PER_SECOND, System.currentTimeMillis())) {
      return Future.succeededFuture(null);
    }
    // one look-up per id at a time: a burst of first requests for a new endpoint shares it. A failed look-up
    // fails the future (the caller answers 503), so a valid endpoint is never reported as unknown.
    Future<Endpoint> load = reload(id).map(v -> get(id));
    loading.put(id, load);
    load.onComplete(ar -> loading.remove(id, load));
    return load;
  }

  public int size() {
    return endpoints.size();
  }

  /** Tells every gateway of the cluster (this one included) that an endpoint changed. */
  public static void announceChange(Vertx vertx, String endpointId) {
    vertx.eventBus().publish(Addresses.ENDPOINT_CHANGED, new JsonObject().put("id", endpointId));
  }

  public Future<Void> reloadAll() {
    return pool.query(SELECT).execute().compose(rows -> vertx.executeBlocking(() -> decode(rows), false))
        .onSuccess(map -> {
          endpoints = map;
          overrides.clear();
        })
        .onFailure(err -> LOG.warn("endpoint table reload failed; serving the last known one: {}", err.getMessage()))
        .mapEmpty();
  }

  public Future<Void> reload(String id) {
    return pool.preparedQuery(SELECT + " WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> vertx.executeBlocking(() -> decode(rows), false))
        .onSuccess(map -> {
          Endpoint e = map.get(id);
          if (e == null) {
            // deleted: an inactive marker hides it until the next full reload drops it
            overrides.put(id, new Endpoint(id, null, null, false, List.of(), null, 1, 0));
          } else {
            overrides.put(id, e);
          }
        })
        .onFailure(err -> LOG.warn("endpoint {} reload failed: {}", id, err.getMessage()))
        .mapEmpty();
  }

  private Map<String, Endpoint> decode(RowSet<Row> rows) {
    Map<String, Endpoint> map = new HashMap<>();
    OffsetDateTime now = OffsetDateTime.now();
    for (Row r : rows) {
      String id = r.getString("id");
      try {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(crypto.openWebhookSecret(id, r.getBuffer("webhook_secret_enc").getBytes()));
        OffsetDateTime until = r.getOffsetDateTime("previous_secret_until");
        if (r.getBuffer("previous_secret_enc") != null && (until == null || until.isAfter(now))) {
          secrets.add(crypto.openWebhookSecret(id, r.getBuffer("previous_secret_enc").getBytes()));
        }
        Psp psp = Psp.parse(r.getString("psp")).orElseThrow();
        map.put(id, new Endpoint(id, r.getUUID("org_id"), psp, "active".equals(r.getString("status")),
            List.copyOf(secrets), r.getString("paypal_webhook_id"), r.getInteger("rate_limit_per_second"),
            r.getInteger("max_body_bytes")));
      } catch (RuntimeException e) {
        // a secret sealed under another master key must not take the whole table down
        LOG.atError().addKeyValue("endpointId", id).log("endpoint secrets do not open with this master key: {}",
            e.getMessage());
      }
    }
    return map;
  }
}
