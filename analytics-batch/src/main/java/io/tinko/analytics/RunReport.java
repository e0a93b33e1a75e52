package io.tinko.analytics;

/**
 * What one run did; {@link #summary()} is the one line an operator reads (and the job state keeps).
 *
 * @param tenantDays tenant-days rebuilt (a tenant's day in one zone)
 * @param dates      distinct dates among them
 */
public record RunReport(Outcome outcome, String mode, long transactionsRead, long attemptsRead, long factsChanged,
                        long factsRemoved, long tenantDays, long dates, long rowsWritten, long rowsDeleted,
                        long elapsedMs, String summary) {

  static RunReport failed(Outcome outcome, long elapsedMs, String message) {
    return new RunReport(outcome, "", 0, 0, 0, 0, 0, 0, 0, 0, elapsedMs, message);
  }

  public int exitCode() {
    return outcome.exitCode();
  }

  long changes() {
    return factsChanged + factsRemoved + rowsWritten + rowsDeleted;
  }
}
