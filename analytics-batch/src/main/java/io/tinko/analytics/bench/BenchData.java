package io.tinko.analytics.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/**
 * The benchmark's data generator (`tinko analytics generate`): history for N tenants over D days, and bursts of new
 * events for the incremental run. For scratch databases only: it writes organisations named {@code <prefix>-0001...}
 * and their transactions and attempts, committing one chunk of payments at a time.
 */
public final class BenchData {
  private static final long CHUNK = 500_000;
  private final Connection c;
  private final PrintStream out;

  public BenchData(Connection c, PrintStream out) {
    this.c = c;
    this.out = out;
  }

  /**
   * Generates {@code payments} payments (1 to 5 attempts each, 3 on average) failed over the {@code days} before
   * {@code end}, across {@code tenants} new tenants. Returns the number of attempts written.
   */
  public long history(String prefix, int tenants, int days, long payments, double seed, OffsetDateTime end)
      throws SQLException {
    long started = System.nanoTime();
    c.setAutoCommit(false);
    try {
      exec("SELECT setseed(?)", seed);
      exec(GeneratorSql.ORGS, prefix, tenants);
      exec(GeneratorSql.PARTITIONS, end, days, end);
      c.commit();
      long attempts = 0;
      for (long first = 1; first <= payments; first += CHUNK) {
        long last = Math.min(payments, first + CHUNK - 1);
        exec(GeneratorSql.PLAN, prefix, first, last, end, end, days);
        long tx = exec(GeneratorSql.TRANSACTIONS);
        long at = exec(GeneratorSql.ATTEMPTS);
        c.commit();
        attempts += at;
        out.printf("generate: %,d / %,d payments, %,d attempts so far (%.0f s)%n", last, payments, attempts,
            (System.nanoTime() - started) / 1e9);
        if (tx != last - first + 1) {
          throw new IllegalStateException("expected " + (last - first + 1) + " payments, wrote " + tx);
        }
      }
      c.setAutoCommit(true);
      exec("ANALYZE transactions");
      exec("ANALYZE recovery_attempts");
      return attempts;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * {@code events} new events of now, in one commit: 30 % new failures, 50 % retry outcomes, 20 % recoveries. The
   * outcomes and recoveries touch payments in recovery from the last 14 days; a history that earlier rounds of events
   * have used up has fewer of those, so the answer is what was made.
   */
  public EventsMade events(String prefix, int events) throws SQLException {
    int failures = events * 3 / 10;
    int outcomes = events / 2;
    int touched = events - failures;
    c.setAutoCommit(false);
    try {
      long newFailures = exec(GeneratorSql.NEW_FAILURES, failures, prefix);
      exec(GeneratorSql.TOUCH, prefix, touched);
      long retryOutcomes = exec(GeneratorSql.OUTCOME_ATTEMPTS, outcomes);
      exec(GeneratorSql.OUTCOME_TRANSACTIONS, outcomes);
      long otherRecoveries = exec(GeneratorSql.OTHER_RECOVERIES, outcomes);
      c.commit();
      return new EventsMade(newFailures, retryOutcomes, otherRecoveries);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** The events {@link #events} made, by kind. */
  public record EventsMade(long newFailures, long retryOutcomes, long otherRecoveries) {
    public long total() {
      return newFailures + retryOutcomes + otherRecoveries;
    }
  }

  /** An analyst API key for the first generated tenant, for the endpoint benchmark; the key is shown once. */
  public String analystKey(String prefix) throws SQLException {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String key = "tk_live_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    exec("""
        INSERT INTO api_keys (id, org_id, name, prefix, key_hash, role)
        SELECT ?, id, 'analytics benchmark', ?, ?, 'analyst' FROM organizations WHERE name = ? || '-0001'""",
        UUID.randomUUID(), key.substring(0, 16), sha256(key), prefix);
    return key;
  }

  private long exec(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      if (ps.execute()) {
        try (ResultSet rs = ps.getResultSet()) {
          return rs.next() ? 1 : 0;
        }
      }
      return ps.getUpdateCount();
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
