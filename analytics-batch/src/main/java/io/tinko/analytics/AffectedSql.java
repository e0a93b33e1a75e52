package io.tinko.analytics;

/**
 * Which tenant-days a range run recomputes whole: every tenant-day of the range, and the tenant-days outside it that
 * its changed facts leave or join (a first failure moved across the range's edge), in UTC and in the tenant's zone.
 * Recomputing whole days also repairs rows no fact change points at.
 */
final class AffectedSql {
  static final String CREATE_KEYS = """
      CREATE TEMP TABLE a_keys (org_id uuid, zone text, day date, psp text, decline_class text, decline_code text,
             currency text, exponent smallint,
             PRIMARY KEY (org_id, zone, day, psp, decline_class, decline_code, currency, exponent)) ON COMMIT DROP""";
  static final String CREATE_DAYS = """
      CREATE TEMP TABLE a_affected (org_id uuid, zone text, day date, whole boolean NOT NULL,
             PRIMARY KEY (org_id, zone, day)) ON COMMIT DROP""";

  /** Before the facts are written: a removed fact's old version is still in analytics_facts. */
  static final String KEYS_OF_CHANGES = """
      WITH moved AS (
        SELECT org_id, zone, day_utc, day_local, psp, decline_class, decline_code, currency, exponent FROM a_changed
        UNION ALL
        SELECT o_org_id, o_zone, o_day_utc, o_day_local, o_psp, o_decline_class, o_decline_code, o_currency,
               o_exponent
          FROM a_changed WHERE o_org_id IS NOT NULL
        UNION ALL
        SELECT f.org_id, f.zone, f.day_utc, f.day_local, f.psp, f.decline_class, f.decline_code, f.currency, f.exponent
          FROM analytics_facts f JOIN a_removed r ON r.transaction_id = f.transaction_id)
      INSERT INTO a_keys
      SELECT org_id, 'UTC', day_utc, psp, decline_class, decline_code, currency, exponent FROM moved
      UNION
      SELECT org_id, zone, day_local, psp, decline_class, decline_code, currency, exponent FROM moved
       WHERE zone <> 'UTC'""";
  static final String DAYS_OF_KEYS = """
      INSERT INTO a_affected SELECT DISTINCT org_id, zone, day, true FROM a_keys ON CONFLICT DO NOTHING""";
  /** After the facts are written: every tenant-day of the range, in each zone, that has facts or rollup rows. */
  static final String DAYS_IN_RANGE = """
      INSERT INTO a_affected
      SELECT org_id, 'UTC', day_utc, true FROM analytics_facts WHERE day_utc BETWEEN ? AND ?
      UNION SELECT org_id, zone, day_local, true FROM analytics_facts WHERE zone <> 'UTC' AND day_local BETWEEN ? AND ?
      UNION SELECT org_id, zone, day, true FROM analytics_daily WHERE day BETWEEN ? AND ?
      ON CONFLICT (org_id, zone, day) DO UPDATE SET whole = true""";
  static final String COUNTS = "SELECT count(*), count(DISTINCT day) FROM a_affected";

  private AffectedSql() {}
}
