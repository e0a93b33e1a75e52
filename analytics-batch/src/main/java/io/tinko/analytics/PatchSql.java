package io.tinko.analytics;

import java.util.List;

/**
 * An incremental run, by differences: the transactions whose row changed since they were counted, what they count
 * as now, and each changed fact's old contribution taken out of its rollup rows and its new one put in. No other
 * fact is read: a rollup row's counts and amounts are patched by sums, its sorted times to recover by taking the old
 * values out (multiset difference) and putting the new ones in. Exactly what recomputing the row from its facts gives,
 * as long as the rollups were built from the facts (every run keeps them so, in the same transaction).
 */
final class PatchSql {
  /** Old fact columns, as o_*, in {@link FactSql#COMPARED} order. */
  private static final String OLD = "f.org_id AS o_org_id, f.zone AS o_zone, f.day_utc AS o_day_utc, "
      + "f.day_local AS o_day_local, f.psp AS o_psp, f.decline_class AS o_decline_class, "
      + "f.decline_code AS o_decline_code, f.currency AS o_currency, f.exponent AS o_exponent, "
      + "f.amount_minor AS o_amount_minor, f.outcome AS o_outcome, f.method AS o_method, f.attempts AS o_attempts, "
      + "f.recover_seconds AS o_recover_seconds";
  /**
   * Transactions t, with what each was counted as (f) and where that fact is (its ctid), one row each, filtered by
   * %s: one range of the updated_at index and one fact probe per transaction, nothing else (its attempts made are on
   * its row).
   */
  private static final String READ = """
      SELECT t.id, t.org_id, t.psp, t.decline_class, t.decline_code, t.amount_minor, t.currency, t.amount_exponent,
             t.status, t.recovered_by, t.failed_at, t.recovered_at, t.retries_made, t.xmin AS source_xmin, %s,
             f.ctid AS fact_ctid
        FROM transactions t
        LEFT JOIN analytics_facts f ON f.transaction_id = t.id
       WHERE %%s""".formatted(OLD);
  /**
   * Changed since (watermark - look-back) ($1), and not the version of the row counted. Of the look-back's rows (at
   * or before the watermark, $2), only the versions the last run may not have seen: written by a transaction at or
   * after its read horizon ($3, a 32-bit transaction id; null: all of them), or frozen since (a frozen row shows no
   * id). {@code age()} of both counts back from the same transaction id, so comparing them compares the ids across
   * wraparound; a horizon older than a billion transactions is not trusted. The others were visible to the last
   * run, which counted them: their facts are not probed.
   */
  private static final String CHANGED_SINCE = "t.updated_at > ? AND (t.updated_at > ? OR ?::xid IS NULL "
      + "OR age(?::xid) NOT BETWEEN 0 AND 1000000000 OR age(t.xmin) = 2147483647 OR age(t.xmin) <= age(?::xid)) "
      + "AND (f.transaction_id IS NULL OR f.source_xmin IS DISTINCT FROM t.xmin)";
  private static final String ZONE_CHANGED = "(SELECT org_id FROM a_zone_changes)";
  /** A share of the tenants ({@code a_zones} holds only theirs). */
  private static final String SHARE = " AND t." + FactSql.SHARE_TENANTS;

  /**
   * Every transaction read, what it counts as now and what it was counted as ({@code differs}: the two differ, or it
   * was not counted): those changed since (watermark - look-back) ($1) whose row is not the version counted, and,
   * only when a tenant's zone changed, every transaction of such a tenant. {@code share}: only the tenants in
   * {@code a_zones}.
   */
  static String read(boolean zoneChanges, boolean share) {
    String since = CHANGED_SINCE + (share ? SHARE : "");
    String r = zoneChanges
        ? READ.formatted(since + " AND t.org_id NOT IN " + ZONE_CHANGED)
          + "\nUNION ALL\n" + READ.formatted("t.org_id IN " + ZONE_CHANGED)
        : READ.formatted(since);
    return "CREATE TEMP TABLE a_changed ON COMMIT DROP AS\nWITH r AS (\n" + r + "),\n"
        + "tx AS (SELECT r.*, z.zone, coalesce(r.amount_exponent, x.exponent) AS exp FROM r\n"
        + "  JOIN a_zones z ON z.org_id = r.org_id\n"
        + "  LEFT JOIN a_exponents x ON x.psp = r.psp AND x.currency = upper(r.currency::text)),\n"
        + "n AS (\n" + FactSql.FRESH_SELECT.stripTrailing() + ",\n"
        + OLD.replaceAll("f\\.(\\w+) AS o_", "tx.o_$1 AS o_") + ", tx.fact_ctid"
        + "\n  FROM tx)\n"
        + "SELECT *, o_org_id IS NULL OR (" + FactSql.prefixed("n", oldNames()) + ") IS DISTINCT FROM ("
        + FactSql.prefixed("n", FactSql.COMPARED) + ") AS differs FROM n";
  }

  /** Read, but counting as before: nothing to write for them. */
  static final String SAME = "DELETE FROM a_changed WHERE NOT differs";

  /** Counted before, but gone (only a tenant whose zone changed has its every fact checked). */
  static final String REMOVED = """
      CREATE TEMP TABLE a_removed ON COMMIT DROP AS
      SELECT f.* FROM analytics_facts f JOIN a_zone_changes z ON z.org_id = f.org_id
       WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = f.transaction_id)""";
  static final String NONE_REMOVED = "CREATE TEMP TABLE a_removed ON COMMIT DROP AS SELECT * FROM analytics_facts "
      + "WITH NO DATA";

  /**
   * The changed facts that were counted before, rewritten where the read found them: by the row's ctid (the read's
   * {@code fact_ctid}, in this transaction, with no other writer of the job's facts: the job lock, and each share
   * only its own tenants' facts), so each is one heap fetch rather than a primary-key descent, a tuple lock and the
   * update of an INSERT ... ON CONFLICT.
   */
  static final String FACTS_UPDATE = "UPDATE analytics_facts f SET (" + FactSql.COMPARED + ", source_xmin) = ("
      + FactSql.prefixed("c", FactSql.COMPARED + ", source_xmin") + ")\n  FROM a_changed c WHERE f.ctid = c.fact_ctid";
  /** The changed facts not counted before (a fact already there would fail the primary key: none can be). */
  static final String FACTS_INSERT = "INSERT INTO analytics_facts (" + FactSql.COLUMNS + ")\nSELECT "
      + FactSql.COLUMNS + " FROM a_changed WHERE fact_ctid IS NULL";

  /** Each metric that adds up, with the facts it counts (count and amount pairs, then attempts). */
  private static final List<String[]> ADDITIVE = List.of(
      new String[] {"failed", "true"},
      new String[] {"recovered", "c.outcome = 'recovered'"},
      new String[] {"retry", "c.method = 'retry'"},
      new String[] {"customer_link", "c.method = 'customer_link'"},
      new String[] {"card_update", "c.method = 'card_update'"},
      new String[] {"psp_retry", "c.method = 'psp_retry'"},
      new String[] {"other_method", "c.method = 'other'"},
      new String[] {"in_recovery", "c.outcome = 'open'"},
      new String[] {"given_up", "c.outcome = 'given_up'"});

  private static String deltaSums() {
    StringBuilder b = new StringBuilder();
    for (String[] m : ADDITIVE) {
      b.append("coalesce(sum(c.sign) FILTER (WHERE ").append(m[1]).append("), 0)::bigint AS ").append(m[0])
          .append("_count,\n  coalesce(sum(c.sign * c.amount_minor) FILTER (WHERE ").append(m[1])
          .append("), 0)::bigint AS ").append(m[0]).append("_amount_minor,\n  ");
    }
    return b + "coalesce(sum(c.sign * c.attempts), 0)::bigint AS attempts_made";
  }

  private static String allZero(String alias) {
    return FactSql.each(RollupSql.SUMMED, alias + ".%1$s = 0", " AND ");
  }

  private static String oldNames() {
    return FactSql.each(FactSql.COMPARED, "o_%1$s", ", ");
  }

  /**
   * Per rollup key (UTC, and the tenant's zone when not UTC): the new facts' contributions minus the old ones', and
   * the times to recover that leave (removed) and join (added), each sorted on its own (hashed, then each key's few
   * values sorted: no sort of every contribution). Keys whose difference is nothing are dropped. The rows are written
   * in the rollup's key order, the order its primary key and (from a full build) its pages are in: the MERGE that
   * reads them probes neighbouring index entries and updates neighbouring rows one after the other, on pages it has
   * just used, rather than on an unrelated page for every row.
   */
  static final String DELTA = """
      CREATE TEMP TABLE a_delta ON COMMIT DROP AS
      WITH c AS (
        SELECT 1 AS sign, org_id, zone, day_utc, day_local, psp, decline_class, decline_code, currency, exponent,
               amount_minor, outcome, method, attempts, recover_seconds FROM a_changed
        UNION ALL
        SELECT -1, %s FROM a_changed WHERE o_org_id IS NOT NULL
        UNION ALL
        SELECT -1, %s FROM a_removed),
      d AS (
        SELECT c.org_id, z.zone, z.day, c.psp, c.decline_class, c.decline_code, c.currency, c.exponent,
        %s,
        array_agg(c.recover_seconds) FILTER (WHERE c.sign > 0 AND c.recover_seconds IS NOT NULL) AS added,
        array_agg(c.recover_seconds) FILTER (WHERE c.sign < 0 AND c.recover_seconds IS NOT NULL) AS removed
        FROM c CROSS JOIN LATERAL (SELECT 'UTC'::text AS zone, c.day_utc AS day
                                   UNION ALL SELECT c.zone, c.day_local WHERE c.zone <> 'UTC') z
       GROUP BY c.org_id, z.zone, z.day, c.psp, c.decline_class, c.decline_code, c.currency, c.exponent)
      SELECT d.org_id, d.zone, d.day, d.psp, d.decline_class, d.decline_code, d.currency, d.exponent, %s,
             %s AS added, %s AS removed
        FROM d WHERE NOT (%s AND %s IS NOT DISTINCT FROM %s)
       ORDER BY %s""".formatted(
      oldNames(), FactSql.COMPARED, deltaSums(), FactSql.prefixed("d", RollupSql.SUMMED), sorted("d.added"),
      sorted("d.removed"), allZero("d"), sorted("d.added"), sorted("d.removed"), FactSql.prefixed("d", RollupSql.KEY));

  /** An array sorted: arrays of one value (most) as they are, longer ones through a sort of their own. */
  private static String sorted(String array) {
    return "CASE WHEN cardinality(" + array + ") > 1 THEN (SELECT array_agg(v ORDER BY v) FROM unnest(" + array
        + ") v) ELSE " + array + " END";
  }

  /**
   * The times to recover of row {@code cur} with {@code x.removed} taken out and {@code x.added} (sorted) put in,
   * sorted; the common cases without the multiset difference: nothing in or out, values into an empty row (no sort
   * either), one value in and none out (most rows: a payment recovered since it was counted; put in after the values
   * not greater than it, which {@code width_bucket} finds by binary search in the sorted array, with no sort and no
   * subquery), values in and none out.
   */
  private static String patched(String cur) {
    String arr = cur + ".recover_seconds";
    String at = "width_bucket(x.added[1], " + arr + ")";
    return "CASE WHEN x.added IS NULL AND x.removed IS NULL THEN " + arr + " "
        + "WHEN x.removed IS NULL AND cardinality(" + arr + ") = 0 THEN x.added "
        + "WHEN x.removed IS NULL AND cardinality(x.added) = 1 THEN " + arr + "[:" + at + "] || x.added[1] || " + arr
        + "[" + at + " + 1:] "
        + "WHEN x.removed IS NULL THEN (SELECT array_agg(v ORDER BY v) FROM (SELECT unnest(" + cur
        + ".recover_seconds) UNION ALL SELECT unnest(x.added)) s(v)) "
        + "ELSE (SELECT coalesce(array_agg(v ORDER BY v), '{}') FROM ((SELECT unnest(" + cur + ".recover_seconds) "
        + "EXCEPT ALL SELECT unnest(x.removed)) UNION ALL SELECT unnest(x.added)) s(v)) END";
  }

  /**
   * One MERGE of the differences into a rollup table: a row whose last fact left is deleted, others patched in place
   * (sums added, times to recover patched, percentiles from the patched array), new keys inserted (a negative count
   * there would fail the table's CHECK: rollups that had drifted from their facts fail the run instead of hiding it).
   * Answers {rows written, rows deleted}.
   */
  private static String merge(String table, String delta, String key, String arrays) {
    String on = FactSql.each(key, "r.%1$s = x.%1$s", " AND ");
    String set = FactSql.each(RollupSql.SUMMED, "%1$s = r.%1$s + x.%1$s", ", ");
    String insertArrays = arrays.equals("recover_seconds") ? "coalesce(x.added, '{}')"
        : "analytics_percentile(coalesce(x.added, '{}'), 0.5), analytics_percentile(coalesce(x.added, '{}'), 0.9), "
          + "coalesce(x.added, '{}')";
    String setArrays = arrays.equals("recover_seconds") ? "p.arr"
        : "analytics_percentile(p.arr, 0.5), analytics_percentile(p.arr, 0.9), p.arr";
    return "WITH m AS (\nMERGE INTO " + table + " r USING " + delta + " x ON " + on
        + "\nWHEN MATCHED AND r.failed_count + x.failed_count = 0 THEN DELETE\nWHEN MATCHED THEN UPDATE SET " + set
        + ",\n  (" + arrays + ") = (SELECT " + setArrays + " FROM (SELECT " + patched("r") + " AS arr OFFSET 0) p)"
        + "\nWHEN NOT MATCHED AND x.failed_count <> 0 THEN INSERT (" + key + ", " + RollupSql.SUMMED + ", " + arrays
        + ")\n  VALUES (" + FactSql.prefixed("x", key + ", " + RollupSql.SUMMED) + ", " + insertArrays + ")\n"
        + "RETURNING merge_action() AS action)\n"
        + "SELECT count(*) FILTER (WHERE action <> 'DELETE'), count(*) FILTER (WHERE action = 'DELETE') FROM m";
  }

  /** The daily rows patched. */
  static final String MERGE = merge("analytics_daily", "a_delta", RollupSql.KEY,
      "recover_p50_seconds, recover_p90_seconds, recover_seconds");

  /**
   * The per-day totals' differences: the daily differences added up per (tenant, zone, day, PSP, currency), their
   * times to recover put together (those added sorted), in the totals' key order (as {@link #DELTA}).
   */
  static final String TOTALS_DELTA;

  static {
    String sums = FactSql.each(RollupSql.SUMMED, "sum(x.%1$s)::bigint AS %1$s", ", ") + ", ";
    TOTALS_DELTA = "CREATE TEMP TABLE a_tdelta ON COMMIT DROP AS\nSELECT t.*, " + sorted("t.joined") + " AS added "
        + "FROM (\nSELECT x.org_id, x.zone, x.day, x.psp, x.currency, x.exponent, " + sums + "\n  "
        + "nullif(analytics_concat(x.added), '{}') AS joined, nullif(analytics_concat(x.removed), '{}') AS removed\n"
        + "  FROM a_delta x GROUP BY x.org_id, x.zone, x.day, x.psp, x.currency, x.exponent) t\n"
        + "ORDER BY " + FactSql.prefixed("t", TotalsSql.KEY);
  }

  /** The per-day totals patched. */
  static final String TOTALS_MERGE = merge("analytics_day_totals", "a_tdelta", TotalsSql.KEY, "recover_seconds");

  /** The tenant-days the differences touch, and their dates. */
  static final String COUNTS = "SELECT count(DISTINCT (org_id, zone, day)), array_agg(DISTINCT day) FROM a_delta";

  private PatchSql() {}
}
