package io.tinko.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.SecretBox;
import io.tinko.engine.execute.AttemptClaimer;
import io.tinko.engine.execute.AttemptExecutor;
import io.tinko.engine.execute.ConnectionCredentials;
import io.tinko.engine.execute.PspClients;
import io.tinko.engine.ingest.InboundEventConsumer;
import io.tinko.engine.recovery.Housekeeper;
import io.tinko.engine.recovery.RecoverySetup;
import io.tinko.engine.recovery.ResendPolicy;
import io.tinko.engine.retry.RetryPolicies;
import io.tinko.engine.sweep.Sweeper;
import io.tinko.fakes.PspFakes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the engine's verticles in order, from the {@code engine:} configuration: the sandbox PSP fakes when
 * enabled, the event consumers running the recovery pipeline, the sweeper, the executors and the housekeeper.
 * The launcher calls this; everything else about the engine's wiring lives here.
 */
public final class EngineDeployment {
  private static final Logger LOG = LoggerFactory.getLogger(EngineDeployment.class);

  private EngineDeployment() {}

  public static Future<Void> deploy(Vertx vertx, Pool pool, TinkoConfig config, byte[] masterKey,
                                    MeterRegistry registry) {
    return deploy(vertx, pool, config, masterKey, registry, null);
  }

  /**
   * As {@link #deploy(Vertx, Pool, TinkoConfig, byte[], MeterRegistry)}, but when {@code fakeStripeUrl} is given the
   * sandbox PSP is charged at that already running fake (the launcher's sandbox started the fakes) and none are started
   * here.
   */
  public static Future<Void> deploy(Vertx vertx, Pool pool, TinkoConfig config, byte[] masterKey,
                                    MeterRegistry registry, String fakeStripeUrl) {
    Clock clock = Clock.systemUTC();
    Future<String> fakes = fakeStripeUrl != null ? Future.succeededFuture(fakeStripeUrl) : sandbox(vertx, config);
    return policies(vertx, config.string("engine.retryPolicies")).compose(policies -> fakes
        .compose(sandboxBase -> {
          RecoverySetup setup = new RecoverySetup(pool, policies, clock, registry,
              Duration.ofSeconds(config.longValue("engine.echoWindowSeconds")),
              Duration.ofDays(config.longValue("engine.successMemoryDays")));
          int instances = Math.max(1, config.integer("engine.instances"));
          int maxBuffered = config.integer("engine.maxBufferedEvents");
          int deferAbove = config.integer("engine.deferWhenWebhooksWaitingAbove");
          // on worker threads, not event loops: a group of events is parsed, classified and decided in one go
          // (tens of ms of CPU for a full group), which on a shared event loop would hold up every webhook answer
          // that loop serves in `tinko up`; a worker thread shares the cores with the loops instead
          return vertx.deployVerticle(() -> new InboundEventConsumer(setup.newPipeline(), maxBuffered, deferAbove,
                  registry),
                  new DeploymentOptions().setInstances(instances).setThreadingModel(ThreadingModel.WORKER))
              .compose(id -> vertx.deployVerticle(new Sweeper(pool, config.longValue("sweeper.intervalMs"),
                  config.longValue("sweeper.redispatchAfterMs"), config.integer("sweeper.batchSize"), deferAbove, registry)))
              .compose(id -> executors(vertx, pool, config, setup, masterKey, sandboxBase))
              .compose(id -> vertx.deployVerticle(new Housekeeper(pool, clock, Housekeeper.historyWindow(policies),
                  setup.successMemory(), config.longValue("engine.housekeepingIntervalSeconds") * 1000)))
              .mapEmpty();
        }));
  }

  private static Future<String> executors(Vertx vertx, Pool pool, TinkoConfig config, RecoverySetup setup,
                                          byte[] masterKey, String sandboxBase) {
    String e = "engine.executor.";
    AttemptExecutor.Settings settings = new AttemptExecutor.Settings(config.longValue(e + "pollIntervalMs"),
        config.integer(e + "batchSize"), Duration.ofSeconds(config.longValue(e + "leaseSeconds")));
    ResendPolicy resend = new ResendPolicy(Duration.ofSeconds(config.longValue(e + "resendInitialSeconds")),
        Duration.ofSeconds(config.longValue(e + "resendMaxSeconds")), config.integer(e + "resendMaxCalls"));
    PspClients clients = PspClients.create(vertx, config.integer(e + "pspTimeoutMs"), sandboxBase);
    ConnectionCredentials credentials = new ConnectionCredentials(new SecretBox(masterKey));
    AttemptClaimer claimer = new AttemptClaimer(pool);
    return vertx.deployVerticle(() -> new AttemptExecutor(claimer, setup.newRecorder(resend), clients, credentials,
        setup.clock(), settings), new DeploymentOptions().setInstances(Math.max(1, config.integer(e + "instances"))));
  }

  /** The operator's policies file, read on a worker thread, or the shipped defaults. */
  private static Future<RetryPolicies> policies(Vertx vertx, String file) {
    if (file == null || file.isBlank()) {
      return Future.succeededFuture(RetryPolicies.loadDefaults());
    }
    return vertx.executeBlocking(() -> RetryPolicies.load(Path.of(file)), false);
  }

  /** Starts the fake PSPs when the sandbox is enabled; resolves to the fake Stripe's URL (null when disabled). */
  private static Future<String> sandbox(Vertx vertx, TinkoConfig config) {
    if (!"true".equalsIgnoreCase(config.string("engine.sandbox.enabled"))) {
      return Future.succeededFuture(null);
    }
    return PspFakes.start(vertx, config.integer("engine.sandbox.stripePort"),
        config.integer("engine.sandbox.razorpayPort"), config.integer("engine.sandbox.paypalPort")).map(f -> {
          LOG.warn("sandbox PSP mode: fake Stripe at {}, Razorpay at {}, PayPal at {} (never in production)",
              f.stripe().baseUrl(), f.razorpay().baseUrl(), f.paypal().baseUrl());
          return f.stripe().baseUrl();
        });
  }
}
