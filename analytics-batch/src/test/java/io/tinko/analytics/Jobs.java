package io.tinko.analytics;

import io.tinko.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/** Runs the job against a test database, keeping what it printed. */
final class Jobs {
  private final TestDatabase db;
  private final AnalyticsSettings settings;
  final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  Jobs(TestDatabase db) {
    this(db, AnalyticsSettings.defaults());
  }

  Jobs(TestDatabase db, AnalyticsSettings settings) {
    this.db = db;
    this.settings = settings;
  }

  RunReport run(RunRequest request) {
    PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8);
    return new AnalyticsJob(db::jdbc, settings, ps, ps).run(request);
  }

  RunReport incremental() {
    return run(RunRequest.incremental(false));
  }

  RunReport dryRun() {
    return run(RunRequest.incremental(true));
  }

  RunReport full() {
    return run(new RunRequest(null, null, true, false));
  }

  RunReport range(LocalDate from, LocalDate to) {
    return run(new RunRequest(from, to, false, false));
  }

  String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }
}
