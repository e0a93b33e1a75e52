package io.tinko.analytics;

/**
 * How a run ended, and the process exit code for each: a scheduler (cron, a Kubernetes CronJob) can tell "built",
 * "already up to date", "another run holds the lock" and "broken" apart. 1 and 2 keep their usual meanings (failure,
 * bad usage); picocli answers 2 to an unknown option.
 */
public enum Outcome {
  /** Rollups changed (or, with --dry-run, would change). */
  DONE(0),
  /** The run failed; nothing was written (the run is one database transaction). */
  FAILED(1),
  /** Every rollup was already up to date: nothing was written but the freshness stamp (asOf). */
  NOTHING_TO_DO(3),
  /** Another run holds the job's advisory lock; this one did nothing. */
  LOCKED(4);

  private final int exitCode;

  Outcome(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
