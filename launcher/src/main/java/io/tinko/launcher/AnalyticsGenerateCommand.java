package io.tinko.launcher;

import io.tinko.analytics.bench.BenchData;
import io.tinko.common.db.Database;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Benchmark data for the analytics job, into a scratch database only (hidden: not an operator command). */
@Command(name = "generate", hidden = true, mixinStandardHelpOptions = true,
    description = {"Fill a SCRATCH database with generated recovery history for the analytics benchmark.",
        "History: --attempts N over --days D across --tenants T (3 attempts per payment on average). "
            + "With --events N: N new events of now instead (the incremental benchmark)."})
final class AnalyticsGenerateCommand implements Callable<Integer> {
  @Mixin
  Settings settings;

  @Option(names = "--tenants", defaultValue = "100", description = "Tenants to create (default ${DEFAULT-VALUE}).")
  int tenants;

  @Option(names = "--days", defaultValue = "90", description = "Days of history (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--attempts", defaultValue = "10000000",
      description = "Recovery attempts to generate, about (default ${DEFAULT-VALUE}).")
  long attempts;

  @Option(names = "--seed", defaultValue = "0.42", description = "Random seed in [-1, 1] (default ${DEFAULT-VALUE}).")
  double seed;

  @Option(names = "--prefix", defaultValue = "bench", description = "Name prefix of the generated tenants.")
  String prefix;

  @Option(names = "--events", description = "Generate this many new events of now instead of history.")
  Integer events;

  @Option(names = "--api-key", description = "Also create an analyst API key for tenant <prefix>-0001 and print it.")
  boolean apiKey;

  @Override
  public Integer call() throws Exception {
    PgConnectOptions pg = Database.connectOptions(AnalyticsCommand.postgres(settings.load(false))[0]);
    try (Connection c = DriverManager.getConnection(Database.jdbcUrl(pg), pg.getUser(), pg.getPassword())) {
      BenchData data = new BenchData(c, System.out);
      long started = System.nanoTime();
      if (events != null) {
        BenchData.EventsMade made = data.events(prefix, events);
        System.out.printf("generate: %,d new events in %.1f s (%,d new failures, %,d retry outcomes, %,d other "
            + "recoveries)%s%n", made.total(), (System.nanoTime() - started) / 1e9, made.newFailures(),
            made.retryOutcomes(), made.otherRecoveries(), made.total() < events
                ? "; " + events + " asked: too few payments in recovery from the last 14 days are left" : "");
      } else {
        long written = data.history(prefix, tenants, days, Math.max(1, attempts / 3), seed,
            OffsetDateTime.now(ZoneOffset.UTC));
        System.out.printf("generate: %,d attempts for %,d tenants over %d days in %.1f s%n", written, tenants, days,
            (System.nanoTime() - started) / 1e9);
      }
      if (apiKey) {
        System.out.println("generate: analyst API key for " + prefix + "-0001: " + data.analystKey(prefix));
      }
    }
    return 0;
  }
}
