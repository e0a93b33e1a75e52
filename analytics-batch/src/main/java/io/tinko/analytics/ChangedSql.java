package io.tinko.analytics;

/**
 * An incremental run's read, set-based: the changed transactions in one range of transactions_updated_idx (a bitmap
 * heap scan reads each page once, instead of one primary-key look-up per transaction), their attempts in one
 * statement over the attempt partitions that can hold them, and the facts they make, ready for
 * {@link FactSql#changed}. Temporary tables vanish at commit or rollback.
 */
final class ChangedSql {
  private static final String TX_COLUMNS = """
      SELECT t.id, t.org_id, t.psp, t.decline_class, t.decline_code, t.amount_minor, t.currency, t.status,
             t.recovered_by, t.failed_at, t.recovered_at, t.created_at, z.zone,
             coalesce(t.amount_exponent, x.exponent) AS exp
        FROM transactions t
        JOIN a_zones z ON z.org_id = t.org_id
        LEFT JOIN a_exponents x ON x.psp = t.psp AND x.currency = upper(t.currency::text)""";

  /**
   * The transactions changed since (watermark - look-back) ($1), and, only when a tenant's zone changed, every other
   * transaction of such a tenant ($2 = $1).
   */
  static String tx(boolean zoneChanges) {
    String sql = "CREATE TEMP TABLE a_tx ON COMMIT DROP AS\n" + TX_COLUMNS + "\n WHERE t.updated_at > ?";
    if (zoneChanges) {
      sql += "\nUNION ALL\n" + TX_COLUMNS + "\n WHERE t.org_id IN (SELECT org_id FROM a_zone_changes) "
          + "AND (t.updated_at > ?) IS NOT TRUE";
    }
    return sql;
  }

  /** The ids read, for the removed-transaction check (zone changes add their tenants' counted facts). */
  static final String SCOPE = "INSERT INTO a_scope SELECT id FROM a_tx";
  static final String SCOPE_ZONE_CHANGED_FACTS = """
      INSERT INTO a_scope SELECT f.transaction_id FROM analytics_facts f JOIN a_zone_changes z ON z.org_id = f.org_id
      ON CONFLICT DO NOTHING""";

  /**
   * The earliest partition an attempt of these transactions can be in: the engine writes a transaction before its
   * attempts; a day of slack covers engine transactions that overlap. Passed as a value (not a subquery) so the
   * planner prunes the older attempt partitions before it plans.
   */
  static final String OLDEST_ATTEMPT = "SELECT min(created_at) - interval '1 day' FROM a_tx";

  /** Attempts made per changed transaction: one join of the read ids with the attempt partitions from $1 on. */
  static final String ATTEMPTS = """
      CREATE TEMP TABLE a_att ON COMMIT DROP AS
      SELECT a.transaction_id, count(*) AS n FROM recovery_attempts a
       WHERE a.transaction_id IN (SELECT id FROM a_tx) AND a.created_at >= ?
         AND a.status IN ('succeeded', 'declined', 'error')
       GROUP BY a.transaction_id""";

  /** What each changed transaction counts as now, in {@link FactSql#COLUMNS} order. */
  static final String FRESH = "CREATE TEMP TABLE a_fresh ON COMMIT DROP AS\nWITH tx AS (SELECT * FROM a_tx), "
      + "att AS (SELECT * FROM a_att)\n" + FactSql.FRESH_SELECT + "  FROM tx LEFT JOIN att ON att.transaction_id = tx.id";

  private ChangedSql() {}
}
