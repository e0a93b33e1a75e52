package io.tinko.launcher;

import io.tinko.analytics.AnalyticsJob;
import io.tinko.analytics.AnalyticsSettings;
import io.tinko.analytics.RunReport;
import io.tinko.analytics.RunRequest;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.db.Database;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The analytics batch job as a command, for cron or a Kubernetes CronJob. It finds the database like every other
 * command: pg.url when configured, else the embedded Postgres of a running `tinko up`.
 */
@Command(name = "analytics", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Build the recovery analytics rollups from transactions and attempts (batch job).",
        "Without options it runs incrementally from its watermark (its first run builds everything); one run at a "
            + "time (a concurrent run is refused), reading one database snapshot per run."},
    subcommands = AnalyticsGenerateCommand.class,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done: rollups changed (with --dry-run: would change)",
        "3:nothing to do: every rollup was already up to date",
        "4:refused: another analytics run is in progress",
        "1:failed: nothing was written (no database, lock timeout, SQL error)",
        "2:bad usage (unknown option, bad date)"})
final class AnalyticsCommand implements Callable<Integer> {
  @Mixin
  Settings settings;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD",
      description = "Rebuild from this day (backfill); with --to, only those days. The watermark stays put.")
  LocalDate from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Rebuild up to this day, inclusive.")
  LocalDate to;

  @Option(names = "--full", description = "Rebuild every day from the source tables (repairs anything).")
  boolean full;

  @Option(names = "--dry-run", description = "Do all the work, print what would change, write nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    RunRequest request;
    try {
      request = new RunRequest(from, to, full, dryRun);
    } catch (IllegalArgumentException e) {
      System.err.println("tinko analytics: " + e.getMessage());
      return 2;
    }
    TinkoConfig config = settings.load(false);
    AnalyticsSettings analytics = AnalyticsSettings.from(config);
    String[] db = postgres(config);
    System.out.println("analytics: postgres: " + db[1]);
    PgConnectOptions pg = Database.connectOptions(db[0]);
    AnalyticsJob job = new AnalyticsJob(() -> DriverManager.getConnection(Database.jdbcUrl(pg), pg.getUser(),
        pg.getPassword()), analytics, System.out, System.err);
    RunReport report = job.run(request);
    return report.exitCode();
  }

  /**
   * The database only, as {url, where it came from}: a configured pg.url needs no Redis or SMTP configured beside
   * it (a batch job uses neither); otherwise the running `tinko up`'s, as every command finds it.
   */
  static String[] postgres(TinkoConfig config) {
    String configured = config.string("pg.url");
    if (!configured.isBlank()) {
      return new String[] {configured, "configured"};
    }
    Backing backing = Backing.connect(config);
    return new String[] {backing.pgUrl, backing.pgSource};
  }
}
