package io.tinko.analytics;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Which transactions a run reads and which tenant-days it recomputes regardless of change. An incremental run reads
 * those changed since {@code changedSince} (the watermark minus the look-back); of those at or before the
 * {@code watermark}, only the versions written at or after the last run's read {@code horizon} (when known).
 */
record Mode(Kind kind, OffsetDateTime changedSince, LocalDate first, LocalDate last, OffsetDateTime watermark,
            Long horizon) {
  enum Kind {
    /** Transactions changed since (watermark - look-back); the tenant-days they leave or join. */
    INCREMENTAL,
    /** Transactions failed on the days (with margins); every tenant-day of those days. */
    RANGE,
    /** Every transaction; every tenant-day (first run, or --full). */
    FULL
  }

  static Mode resolve(RunRequest req, JobState state, java.time.Duration lookback) {
    if (req.isRange()) {
      return new Mode(Kind.RANGE, null, req.firstDay(), req.lastDay(), null, null);
    }
    if (req.full() || state.watermark() == null) {
      return new Mode(Kind.FULL, null, RunRequest.FIRST_DAY, RunRequest.LAST_DAY, null, null);
    }
    return new Mode(Kind.INCREMENTAL, state.watermark().minus(lookback), null, null, state.watermark(),
        state.horizon());
  }

  String describe() {
    return switch (kind) {
      case INCREMENTAL -> "incremental run: transactions changed since " + changedSince;
      case RANGE -> "range rebuild of " + (first.equals(RunRequest.FIRST_DAY) ? "every day" : first) + " .. "
          + (last.equals(RunRequest.LAST_DAY) ? "the last day" : last);
      case FULL -> "full rebuild of every day";
    };
  }

  String id() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
