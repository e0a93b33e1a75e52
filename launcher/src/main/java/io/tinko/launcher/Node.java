package io.tinko.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tinko.common.bus.BusPing;
import io.tinko.common.bus.InboundEventCodec;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.SecretBox;
import io.tinko.common.crypto.Secrets;
import io.tinko.common.db.Database;
import io.tinko.common.db.PartitionMaintainer;
import io.tinko.common.metrics.Metrics;
import io.tinko.engine.EngineDeployment;
import io.tinko.engine.dunning.DunningDeployment;
import io.tinko.gateway.GatewayContext;
import io.tinko.gateway.GatewayVerticle;
import io.tinko.gateway.api.ApiShared;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.tinko.gateway.webhook.EndpointRegistry;
import io.tinko.gateway.webhook.RateLimiter;
import io.tinko.gateway.webhook.WebhookMetrics;
import io.tinko.gateway.webhook.verify.WebhookSchemes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Tinko process: a Vert.x instance (local or clustered), the Postgres pool, and the gateway and/or engine
 * verticles, deployed in order — storage, consumers, HTTP — so nothing is announced before it can be served.
 */
final class Node {
  enum Role { GATEWAY, ENGINE }

  final Vertx vertx;
  final PrometheusMeterRegistry registry;
  private Pool pool;
  private EndpointRegistry endpoints;

  private Node(Vertx vertx, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  static Future<Node> create(TinkoConfig config, boolean clustered) {
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    VertxOptions options = new VertxOptions();
    if (!clustered) {
      return Future.succeededFuture(new Node(Metrics.vertxBuilder(options, registry).build(), registry));
    }
    options.setEventBusOptions(new EventBusOptions().setHost(config.string("cluster.host"))
        .setPort(config.integer("cluster.busPort")));
    return Metrics.vertxBuilder(options, registry).withClusterManager(ClusterSupport.manager(config))
        .buildClustered().map(v -> new Node(v, registry));
  }

  /** Connects, migrates, deploys. Fails with one readable line (ConfigException) on unreachable storage. */
  Future<Void> start(TinkoConfig config, Backing backing, Secrets secrets, boolean gateway, boolean engine) {
    InboundEventCodec.register(vertx.eventBus());
    String role = gateway && engine ? "gateway+engine" : gateway ? "gateway" : "engine";
    BusPing.register(vertx, role);
    PgConnectOptions pg = Database.connectOptions(backing.pgUrl);
    int connectTimeout = config.integer("pg.connectTimeoutMs");
    pool = Database.pool(vertx, pg, config.integer("pg.poolSize"), "tinko-" + role, connectTimeout);
    Future<Void> storage = Database.ping(pool, pg)
        .compose(v -> Database.migrate(vertx, pg))
        .compose(v -> partitions(config));
    if (gateway && engine && Sandbox.enabled(config)) {
      // tinko up's sandbox: the fakes first, then both sides configured to use (and trust) them
      return storage.compose(v -> Sandbox.start(vertx, pool, config, secrets.masterKey()))
          .compose(sb -> deployEngine(sb.config(), backing, secrets, sb.stripeUrl())
              .compose(v -> deployGateway(sb.config(), backing, secrets)));
    }
    if (engine) {
      storage = storage.compose(v -> deployEngine(config, backing, secrets, null));
    }
    if (gateway) {
      storage = storage.compose(v -> deployGateway(config, backing, secrets));
    } else if (config.integer("engine.managementPort") > 0) {
      storage = storage.compose(v -> vertx.deployVerticle(new ManagementVerticle(
          config.integer("engine.managementPort"), pool, backing.redisUrl, registry)).mapEmpty());
    }
    return storage;
  }

  private Future<Void> partitions(TinkoConfig config) {
    PartitionMaintainer maintainer = new PartitionMaintainer(pool, Clock.systemUTC(),
        config.integer("partitions.monthsAhead"), config.integer("partitions.retentionMonths"));
    vertx.setPeriodic(TimeUnit.HOURS.toMillis(6), t -> maintainer.run());
    return maintainer.run();
  }

  /** Recovery pipeline consumers, sweeper, executors, housekeeping (and the sandbox PSP fakes when enabled), dunning. */
  private Future<Void> deployEngine(TinkoConfig config, Backing backing, Secrets secrets, String fakeStripeUrl) {
    return EngineDeployment.deploy(vertx, pool, config, secrets.masterKey(), registry, fakeStripeUrl)
        .compose(v -> DunningDeployment.deploy(vertx, pool, config, backing.smtpUrl, Clock.systemUTC(),
            registry))
        .mapEmpty();
  }

  private Future<Void> deployGateway(TinkoConfig config, Backing backing, Secrets secrets) {
    ConnectionSecrets sealing = new ConnectionSecrets(new SecretBox(secrets.masterKey()));
    endpoints = new EndpointRegistry(vertx, pool, sealing);
    int instances = config.integer("http.instances");
    if (instances <= 0) {
      instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    }
    GatewayContext shared = new GatewayContext(config, pool, backing.redisUrl, endpoints, registry,
        new WebhookMetrics(registry), new RateLimiter(), WebhookSchemes.factory(config),
        new ApiShared(secrets.jwtKey(), sealing));
    int n = instances;
    return endpoints.start(config.longValue("webhooks.endpointRefreshSeconds"))
        .compose(v -> vertx.deployVerticle(() -> new GatewayVerticle(shared), new DeploymentOptions().setInstances(n)))
        .mapEmpty();
  }

  /**
   * Undeploys every verticle first, each finishing its work under way (a dunning pass, a group commit) while the
   * pools and clients it uses are still open, and only then closes vert.x, which closes those. vert.x's own close
   * does not promise that order, and a pass cut off by it logged warnings at every stop.
   */
  Future<Void> close() {
    if (endpoints != null) {
      endpoints.stop();
    }
    List<Future<Void>> undeployed = vertx.deploymentIDs().stream().map(vertx::undeploy).toList();
    return Future.join(undeployed).transform(ar -> vertx.close());
  }
}
