package io.tinko.engine.dunning;

import io.micrometer.core.instrument.MeterRegistry;
import io.tinko.common.config.TinkoConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Deploys the dunning senders of an engine process from the {@code dunning:} and {@code smtp:} configuration. */
public final class DunningDeployment {
  private DunningDeployment() {}

  /** @param smtpUrl the SMTP server this process uses (the configured one or the local sink's) */
  public static Future<String> deploy(Vertx vertx, Pool pool, TinkoConfig config, String smtpUrl, Clock clock,
                                     MeterRegistry registry) {
    String d = "dunning.";
    DunningSender.Settings settings;
    try {
      settings = settings(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String file = config.string(d + "sequences");
    // templates, sequences and keys are files: read them on a worker thread
    return vertx.executeBlocking(() -> new Object[] {
            file.isBlank() ? DunningSequences.loadDefaults() : DunningSequences.load(Path.of(file)),
            EmailRenderer.load(Messages.load()), LinkKeys.load(config)}, false)
        .compose(loaded -> {
          Mailer mailer = Mailer.create(vertx, smtpUrl, config.integer(d + "smtpTimeoutMs"));
          LinkTokens tokens = new LinkTokens((LinkKeys) loaded[2], clock);
          return vertx.deployVerticle(() -> new DunningSender(pool, (DunningSequences) loaded[0],
              (EmailRenderer) loaded[1], tokens, mailer, clock, settings, registry),
              new DeploymentOptions().setInstances(Math.max(1, config.integer(d + "instances"))));
        });
  }

  /** The sender's settings; a value out of range is an {@link IllegalArgumentException} naming the key. */
  static DunningSender.Settings settings(TinkoConfig config) {
    String d = "dunning.";
    return new DunningSender.Settings(config.longValue(d + "pollIntervalMs"),
        config.integer(d + "batchSize"), config.integer(d + "maxPerSecond"), config.longValue(d + "leaseSeconds"),
        Duration.ofSeconds(config.longValue(d + "retryInitialSeconds")),
        Duration.ofSeconds(config.longValue(d + "retryMaxSeconds")), config.integer(d + "maxTries"),
        Duration.ofSeconds(config.longValue(d + "linkTtlSeconds")), config.publicUrl(), config.string("smtp.from"));
  }
}
