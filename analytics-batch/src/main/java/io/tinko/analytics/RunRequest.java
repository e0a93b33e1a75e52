package io.tinko.analytics;

import java.time.LocalDate;

/**
 * What one run should do. Without a range the job runs incrementally from its watermark (or builds everything on
 * its first run); with {@code from}/{@code to} it rebuilds those days (backfill); {@code full} rebuilds every day.
 * Days are calendar dates: UTC rollups of those UTC dates and local rollups of those local dates are rebuilt.
 */
public record RunRequest(LocalDate from, LocalDate to, boolean full, boolean dryRun) {
  /** Bounds of "every day" that JDBC and Postgres both take as plain dates. */
  static final LocalDate FIRST_DAY = LocalDate.of(1900, 1, 1);
  static final LocalDate LAST_DAY = LocalDate.of(2999, 12, 31);

  public RunRequest {
    if (full && (from != null || to != null)) {
      throw new IllegalArgumentException("--full rebuilds every day; it takes no --from/--to");
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException("--from " + from + " is after --to " + to);
    }
  }

  public static RunRequest incremental(boolean dryRun) {
    return new RunRequest(null, null, false, dryRun);
  }

  public boolean isRange() {
    return from != null || to != null;
  }

  LocalDate firstDay() {
    return from == null ? FIRST_DAY : from;
  }

  LocalDate lastDay() {
    return to == null ? LAST_DAY : to;
  }
}
