package io.tinko.analytics;

/**
 * The fact side of a run, all set-based: which transactions to read (the scope), what they count as now (fresh
 * facts), which differ from what was counted (changed / removed), and the tenant-days those touch. Temporary tables
 * vanish at commit or rollback.
 */
final class FactSql {
  /**
   * Each organisation's zone as Postgres knows it; an unknown name falls back to UTC (and is reported). The run's
   * tenants: all of them, or a share's ($1, an array of organisation ids; null for all). A zone configured exactly as
   * the last run counted it was found then: only the others (new tenants, changed zones, unknown names) are looked up
   * in pg_timezone_names, which reads Postgres's whole time zone directory (~100 ms, in every share of every run), and
   * the lookup is not made at all when no tenant needs it (a CTE runs when it is first read). A zone the last run found
   * and a later Postgres no longer knows fails the run ("time zone not recognized") rather than moving the tenant to
   * UTC unannounced.
   */
  static final String ZONES = """
      CREATE TEMP TABLE a_zones ON COMMIT DROP AS
      WITH names AS MATERIALIZED (SELECT name FROM pg_timezone_names)
      SELECT o.id AS org_id, o.time_zone AS configured,
             CASE WHEN o.time_zone IS NULL THEN 'UTC'
                  WHEN o.time_zone = s.zone THEN s.zone
                  ELSE coalesce((SELECT n.name FROM names n WHERE lower(n.name) = lower(o.time_zone)
                                  ORDER BY n.name = o.time_zone DESC, n.name LIMIT 1), 'UTC') END AS zone
        FROM organizations o LEFT JOIN analytics_org_zones s ON s.org_id = o.id
       WHERE ?::uuid[] IS NULL OR o.id = ANY(?::uuid[])""";
  /** A row of the run's tenants: with a share's {@code a_zones}, of that share's only. */
  static final String SHARE_TENANTS = "org_id IN (SELECT org_id FROM a_zones)";
  static final String UNKNOWN_ZONES = """
      SELECT org_id, configured FROM a_zones WHERE zone = 'UTC' AND lower(configured) <> 'utc'
       ORDER BY org_id LIMIT 20""";
  /** Tenants whose zone differs from the one their facts were counted in (or that were never counted). */
  static final String ZONE_CHANGES = """
      CREATE TEMP TABLE a_zone_changes ON COMMIT DROP AS
      SELECT z.org_id FROM a_zones z LEFT JOIN analytics_org_zones s ON s.org_id = z.org_id
       WHERE s.zone IS DISTINCT FROM z.zone""";

  static final String CREATE_SCOPE = "CREATE TEMP TABLE a_scope (id uuid PRIMARY KEY) ON COMMIT DROP";
  private static final String ZONE_CHANGED_SCOPE = """
      UNION SELECT t.id FROM transactions t JOIN a_zone_changes z ON z.org_id = t.org_id
      UNION SELECT f.transaction_id FROM analytics_facts f JOIN a_zone_changes z ON z.org_id = f.org_id""";
  /**
   * Range: failed within the days (with a day's margin each side, enough for any zone's local day), and whatever
   * was counted on those days before (a transaction whose first failure moved out of the range).
   */
  static final String SCOPE_RANGE = """
      INSERT INTO a_scope SELECT id FROM transactions WHERE failed_at >= ? AND failed_at < ?
      UNION SELECT transaction_id FROM analytics_facts WHERE day_utc BETWEEN ? AND ?
      """ + ZONE_CHANGED_SCOPE;

  /**
   * What each transaction in scope counts as now, from its row alone (its attempts made are the engine's count on
   * the row, {@code retries_made}). A range reads the transactions in scope, a full run every transaction, with no
   * scope table at all. (An incremental run reads through {@link PatchSql}.)
   */
  static String fresh(Mode.Kind kind) {
    return "CREATE TEMP TABLE a_fresh ON COMMIT DROP AS\n" + freshQuery(kind);
  }

  /** The query behind {@link #fresh}: one row per transaction read, in {@link #COLUMNS} order. */
  static String freshQuery(Mode.Kind kind) {
    return switch (kind) {
      case INCREMENTAL -> throw new IllegalArgumentException("an incremental run reads through PatchSql");
      case RANGE -> "WITH " + FRESH_BODY.formatted(TX_ALL) + "  FROM tx";
      case FULL -> "WITH " + FRESH_BODY.formatted("transactions t") + "  FROM tx";
    };
  }

  private static final String TX_ALL = "a_scope s JOIN transactions t ON t.id = s.id";
  private static final String FRESH_TX = """
      tx AS (
        SELECT t.*, t.xmin AS source_xmin, z.zone, coalesce(t.amount_exponent, x.exponent) AS exp
          FROM %s
          JOIN a_zones z ON z.org_id = t.org_id
          LEFT JOIN a_exponents x ON x.psp = t.psp AND x.currency = upper(t.currency::text))
      """;
  /**
   * One fact per row of tx (a transaction with its zone and exponent). Attempts made: the retries Tinko made that
   * reached an outcome (approved, declined, or no answer after every resend), as the engine counts them on the row
   * in the same database transaction as each outcome; a request the PSP refused before charging is not one.
   */
  static final String FRESH_SELECT = """
      SELECT tx.id AS transaction_id, tx.org_id, tx.zone,
             (tx.failed_at AT TIME ZONE 'UTC')::date AS day_utc,
             (tx.failed_at AT TIME ZONE tx.zone)::date AS day_local,
             tx.psp, coalesce(tx.decline_class, '') AS decline_class, coalesce(tx.decline_code, '') AS decline_code,
             CASE WHEN tx.amount_minor IS NULL OR tx.exp IS NULL THEN 'XXX' ELSE upper(tx.currency::text) END
               AS currency,
             CASE WHEN tx.amount_minor IS NULL OR tx.exp IS NULL THEN 0 ELSE tx.exp END::smallint AS exponent,
             CASE WHEN tx.exp IS NULL THEN 0 ELSE coalesce(tx.amount_minor, 0) END AS amount_minor,
             CASE tx.status WHEN 'recovered' THEN 'recovered' WHEN 'given_up' THEN 'given_up' ELSE 'open' END
               AS outcome,
             CASE WHEN tx.status <> 'recovered' THEN NULL
                  WHEN tx.recovered_by IN ('retry', 'customer_link', 'card_update', 'psp_retry') THEN tx.recovered_by
                  ELSE 'other' END AS method,
             tx.retries_made AS attempts,
             CASE WHEN tx.status = 'recovered' AND tx.recovered_at IS NOT NULL
                  THEN greatest(0, floor(extract(epoch FROM tx.recovered_at - tx.failed_at)))::bigint END
               AS recover_seconds,
             tx.source_xmin
""";
  private static final String FRESH_BODY = FRESH_TX + FRESH_SELECT;

  static final String COLUMNS = "transaction_id, org_id, zone, day_utc, day_local, psp, decline_class, decline_code, "
      + "currency, exponent, amount_minor, outcome, method, attempts, recover_seconds, source_xmin";
  static final String COMPARED = "org_id, zone, day_utc, day_local, psp, decline_class, decline_code, "
      + "currency, exponent, amount_minor, outcome, method, attempts, recover_seconds";

  /**
   * The fresh facts that differ from what was counted (or were not counted), with the key they were counted under
   * (o_*, null when new), so the rollup rows they leave are known without reading the facts again.
   */
  static String changed() {
    return "CREATE TEMP TABLE a_changed ON COMMIT DROP AS\nSELECT n.*, " + OLD_KEY + "\nFROM a_fresh n "
        + "LEFT JOIN analytics_facts f ON f.transaction_id = n.transaction_id\n WHERE f.transaction_id IS NULL OR ("
        + prefixed("f", COMPARED) + ") IS DISTINCT FROM (" + prefixed("n", COMPARED) + ")";
  }

  private static final String OLD_KEY = "f.org_id AS o_org_id, f.zone AS o_zone, f.day_utc AS o_day_utc, "
      + "f.day_local AS o_day_local, f.psp AS o_psp, f.decline_class AS o_decline_class, "
      + "f.decline_code AS o_decline_code, f.currency AS o_currency, f.exponent AS o_exponent";

  /** Counted before, but the transaction is gone (full run: every transaction is in a_fresh). */
  static String removed(Mode.Kind kind) {
    String counted = kind == Mode.Kind.FULL ? "SELECT f.transaction_id FROM analytics_facts f"
        : "SELECT s.id AS transaction_id FROM a_scope s JOIN analytics_facts f ON f.transaction_id = s.id";
    return "CREATE TEMP TABLE a_removed ON COMMIT DROP AS\n" + counted
        + "\n WHERE NOT EXISTS (SELECT 1 FROM a_fresh n WHERE n.transaction_id = f.transaction_id)";
  }

  static final String DELETE_REMOVED =
      "DELETE FROM analytics_facts WHERE transaction_id IN (SELECT transaction_id FROM a_removed)";
  /** The changed facts written (in no particular order: only the job reads facts, by transaction or in bulk). */
  static final String UPSERT_CHANGED = "INSERT INTO analytics_facts (" + COLUMNS + ")\nSELECT " + COLUMNS
      + " FROM a_changed\nON CONFLICT (transaction_id) DO UPDATE SET "
      + excluded(COMPARED + ", source_xmin");

  private static final String SAVE = """
      INSERT INTO analytics_org_zones (org_id, zone) %s
      ON CONFLICT (org_id) DO UPDATE SET zone = EXCLUDED.zone WHERE analytics_org_zones.zone <> EXCLUDED.zone""";
  /** The zones the run counted in, as it found them ({@code a_zones}). */
  static final String SAVE_ZONES = SAVE.formatted("SELECT org_id, zone FROM a_zones");
  /** The zones the run counted in, given ($1 the organisations, $2 their zones, in the same order). */
  static final String SAVE_GIVEN_ZONES = SAVE.formatted("SELECT * FROM unnest(?::uuid[], ?::text[])");

  private FactSql() {}

  /**
   * One SQL fragment per column of a comma-separated list, joined by {@code separator}: {@code template} names the
   * column as {@code %1$s} (every use), e.g. {@code each("a, b", "%1$s = x.%1$s", " AND ")} is
   * {@code a = x.a AND b = x.b}. The lists are this job's own constants, never input.
   */
  static String each(String columns, String template, String separator) {
    StringBuilder b = new StringBuilder();
    for (String col : columns.split(",\\s*")) {
      b.append(b.isEmpty() ? "" : separator).append(template.formatted(col));
    }
    return b.toString();
  }

  static String prefixed(String alias, String columns) {
    return each(columns, alias + ".%1$s", ", ");
  }

  static String excluded(String columns) {
    return each(columns, "%1$s = EXCLUDED.%1$s", ", ");
  }
}
