package io.tinko.analytics;

import java.util.Map;

/**
 * The rollups computed straight from transactions, attempts and organisations in one plain GROUP BY, independently
 * of the job's facts and its incremental bookkeeping: what every run must end up equal to. Attempts made are counted
 * from the attempts (those with an outcome, a PSP's refusal aside), not from the row's {@code retries_made}.
 */
final class Truth {
  static final String[] COMPARED = {"failed_count", "failed_amount_minor", "recovered_count",
      "recovered_amount_minor", "retry_count", "customer_link_count", "card_update_count", "psp_retry_count",
      "in_recovery_count", "in_recovery_amount_minor", "given_up_count", "given_up_amount_minor", "attempts_made",
      "recover_p50_seconds", "recover_p90_seconds"};

  private static final String SQL = """
      WITH tx AS (
        SELECT t.*, o.time_zone,
               (SELECT count(*) FROM recovery_attempts a
                 WHERE a.transaction_id = t.id AND a.status IN ('succeeded', 'declined', 'error')
                   AND a.outcome_detail ->> 'kind' IS DISTINCT FROM 'REJECTED') AS made,
               CASE WHEN t.status = 'recovered'
                    THEN greatest(0, floor(extract(epoch FROM t.recovered_at - t.failed_at))) END AS secs
          FROM transactions t JOIN organizations o ON o.id = t.org_id),
      days AS (
        SELECT tx.*, 'UTC' AS zone, (failed_at AT TIME ZONE 'UTC')::date AS day FROM tx
        UNION ALL
        SELECT tx.*, time_zone, (failed_at AT TIME ZONE time_zone)::date FROM tx WHERE time_zone <> 'UTC')
      SELECT org_id || '|' || zone || '|' || day || '|' || psp || '|' || coalesce(decline_class, '') || '|'
               || coalesce(decline_code, '') || '|' || currency || '|' || amount_exponent AS k,
             count(*) AS failed_count, sum(amount_minor) AS failed_amount_minor,
             count(*) FILTER (WHERE status = 'recovered') AS recovered_count,
             coalesce(sum(amount_minor) FILTER (WHERE status = 'recovered'), 0) AS recovered_amount_minor,
             count(*) FILTER (WHERE recovered_by = 'retry') AS retry_count,
             count(*) FILTER (WHERE recovered_by = 'customer_link') AS customer_link_count,
             count(*) FILTER (WHERE recovered_by = 'card_update') AS card_update_count,
             count(*) FILTER (WHERE recovered_by = 'psp_retry') AS psp_retry_count,
             count(*) FILTER (WHERE status NOT IN ('recovered', 'given_up')) AS in_recovery_count,
             coalesce(sum(amount_minor) FILTER (WHERE status NOT IN ('recovered', 'given_up')), 0)
               AS in_recovery_amount_minor,
             count(*) FILTER (WHERE status = 'given_up') AS given_up_count,
             coalesce(sum(amount_minor) FILTER (WHERE status = 'given_up'), 0) AS given_up_amount_minor,
             sum(made) AS attempts_made,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS recover_p50_seconds,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) AS recover_p90_seconds
        FROM days GROUP BY org_id, zone, day, psp, decline_class, decline_code, currency, amount_exponent""";

  /** The per-day totals straight from the source tables: per tenant, zone, day, PSP and currency. */
  private static final String TOTALS_SQL = """
      WITH tx AS (
        SELECT t.*, o.time_zone,
               (SELECT count(*) FROM recovery_attempts a
                 WHERE a.transaction_id = t.id AND a.status IN ('succeeded', 'declined', 'error')
                   AND a.outcome_detail ->> 'kind' IS DISTINCT FROM 'REJECTED') AS made,
               CASE WHEN t.status = 'recovered'
                    THEN greatest(0, floor(extract(epoch FROM t.recovered_at - t.failed_at)))::bigint END AS secs
          FROM transactions t JOIN organizations o ON o.id = t.org_id),
      days AS (
        SELECT tx.*, 'UTC' AS zone, (failed_at AT TIME ZONE 'UTC')::date AS day FROM tx
        UNION ALL
        SELECT tx.*, time_zone, (failed_at AT TIME ZONE time_zone)::date FROM tx WHERE time_zone <> 'UTC')
      SELECT org_id || '|' || zone || '|' || day || '|' || psp || '|' || currency || '|' || amount_exponent AS k,
             count(*) AS failed_count, sum(amount_minor) AS failed_amount_minor,
             count(*) FILTER (WHERE status = 'recovered') AS recovered_count,
             coalesce(sum(amount_minor) FILTER (WHERE recovered_by = 'customer_link'), 0)
               AS customer_link_amount_minor,
             count(*) FILTER (WHERE status = 'given_up') AS given_up_count,
             sum(made) AS attempts_made,
             coalesce(array_agg(secs ORDER BY secs) FILTER (WHERE secs IS NOT NULL), '{}') AS recover_seconds
        FROM days GROUP BY org_id, zone, day, psp, currency, amount_exponent""";
  private static final String[] TOTALS_COMPARED = {"failed_count", "failed_amount_minor", "recovered_count",
      "customer_link_amount_minor", "given_up_count", "attempts_made", "recover_seconds"};

  private Truth() {}

  /** key "org|zone|day|psp|currency|exponent" → the compared totals. */
  static Map<String, Map<String, Object>> expectedTotals(Rows rows) {
    Map<String, Map<String, Object>> out = rows.keyed(TOTALS_SQL, "k");
    out.values().forEach(m -> m.remove("k"));
    out.values().forEach(Truth::normalizeTotals);
    return out;
  }

  static Map<String, Map<String, Object>> actualTotals(Rows rows) {
    Map<String, Map<String, Object>> all = rows.keyed("SELECT * FROM analytics_day_totals", "org_id", "zone", "day",
        "psp", "currency", "exponent");
    all.replaceAll((k, m) -> {
      Map<String, Object> picked = new java.util.LinkedHashMap<>();
      for (String c : TOTALS_COMPARED) {
        picked.put(c, m.get(c));
      }
      return normalizeTotals(picked);
    });
    return all;
  }

  private static Map<String, Object> normalizeTotals(Map<String, Object> m) {
    m.replaceAll((k, v) -> v instanceof Number n ? n.longValue() : v);
    return m;
  }

  /** key "org|zone|day|psp|class|code|currency|exponent" → the compared metrics, as numbers. */
  static Map<String, Map<String, Object>> expected(Rows rows) {
    Map<String, Map<String, Object>> out = rows.keyed(SQL, "k");
    out.values().forEach(m -> m.remove("k"));
    out.values().forEach(Truth::normalize);
    return out;
  }

  static Map<String, Map<String, Object>> actual(Rows rows) {
    Map<String, Map<String, Object>> all = rows.keyed("SELECT * FROM analytics_daily", "org_id", "zone", "day", "psp",
        "decline_class", "decline_code", "currency", "exponent");
    all.replaceAll((k, m) -> {
      Map<String, Object> picked = new java.util.LinkedHashMap<>();
      for (String c : COMPARED) {
        picked.put(c, m.get(c));
      }
      return normalize(picked);
    });
    return all;
  }

  /** Counts and amounts as longs, percentiles as doubles, whatever SQL type each side used. */
  private static Map<String, Object> normalize(Map<String, Object> m) {
    m.replaceAll((k, v) -> v == null ? null : k.startsWith("recover_p") ? ((Number) v).doubleValue()
        : ((Number) v).longValue());
    return m;
  }
}
