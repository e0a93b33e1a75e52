package io.tinko.analytics;

import io.tinko.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Rows the engine would write, inserted directly, and the job's output read back as plain maps. */
final class Rows {
  private final TestDatabase db;

  Rows(TestDatabase db) {
    this.db = db;
  }

  UUID org(String name, String timeZone) {
    UUID id = UUID.randomUUID();
    db.execute("INSERT INTO organizations (id, name, time_zone) VALUES (?, ?, ?)", id, name, timeZone);
    return id;
  }

  /** Monthly partitions of recovery_attempts for fixtures dated in the past. */
  void partitionsFrom(LocalDate month, int months) {
    for (int i = 0; i < months; i++) {
      db.execute("SELECT tinko_ensure_month_partition('recovery_attempts', ?)", month.withDayOfMonth(1).plusMonths(i));
    }
  }

  /**
   * A transaction as the engine leaves it, created when its failure arrived (before its attempts, as the engine
   * writes them); a null exponent is a row written without one.
   */
  UUID tx(UUID org, String psp, String status, String cls, String code, Long amount, String currency,
          Integer exponent, Instant failedAt, Instant recoveredAt, String recoveredBy) {
    UUID id = UUID.randomUUID();
    db.execute("""
        INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, amount_minor, currency,
               amount_exponent, status, decline_class, decline_code, failed_at, recovered_at, recovered_by,
               last_event_at, created_at)
        VALUES (?, ?, ?, 'ep_fixture', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        id, org, psp, "pk_" + id, amount, currency, exponent == null ? null : exponent.shortValue(), status, cls,
        code, ts(failedAt), ts(recoveredAt), recoveredBy, ts(recoveredAt != null ? recoveredAt : failedAt),
        ts(failedAt));
    return id;
  }

  /** An attempt; one with an outcome also counts on its transaction's row, as the engine counts it. */
  void attempt(UUID org, UUID tx, int no, String status, Instant at) {
    db.execute("""
        INSERT INTO recovery_attempts (id, org_id, transaction_id, attempt_no, due_at, status, idempotency_key,
               finished_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", UUID.randomUUID(), org, tx, no, ts(at), status,
        "idem-" + tx + "-" + no, "scheduled".equals(status) ? null : ts(at), ts(at.minusSeconds(3600)));
    if (MADE.contains(status)) {
      db.execute("UPDATE transactions SET retries_made = retries_made + 1 WHERE id = ?", tx);
    }
  }

  /** The attempt statuses the engine counts in {@code transactions.retries_made} (a PSP's refusal aside). */
  static final java.util.Set<String> MADE = java.util.Set.of("succeeded", "declined", "error");

  /** Every analytics_daily row of a tenant, keyed "zone|day|psp|class|code|currency|exponent". */
  Map<String, Map<String, Object>> daily(UUID org) {
    return keyed("SELECT * FROM analytics_daily WHERE org_id = '" + org + "'",
        "zone", "day", "psp", "decline_class", "decline_code", "currency", "exponent");
  }

  /** Every row of a table (or query), keyed by the given columns; sorted, so two snapshots compare whole. */
  Map<String, Map<String, Object>> keyed(String sql, String... keyColumns) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    try (Connection c = db.jdbc(); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          if (v instanceof java.sql.Array a) {
            v = java.util.Arrays.asList((Object[]) a.getArray());   // compared by value, not by JDBC object
          }
          row.put(md.getColumnName(i), v instanceof java.math.BigDecimal b ? b.stripTrailingZeros() : v);
        }
        StringBuilder key = new StringBuilder();
        for (String k : keyColumns) {
          key.append(key.isEmpty() ? "" : "|").append(row.get(k));
        }
        out.put(key.toString(), row);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** One value of one query (the first column of the first row), or null. */
  Object value(String sql, Object... args) {
    try (Connection c = db.jdbc(); var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  static LocalDate day(String iso) {
    return LocalDate.parse(iso);
  }

  static Instant midnight(LocalDate d) {
    return d.atStartOfDay().toInstant(ZoneOffset.UTC);
  }
}
