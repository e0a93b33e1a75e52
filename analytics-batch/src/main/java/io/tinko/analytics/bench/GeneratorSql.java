package io.tinko.analytics.bench;

/**
 * Set-based SQL that fills a scratch database with recovery history shaped like production: tenants in several
 * zones, a mix of PSPs and currencies (JPY, KWD and PayPal's HUF included), decline classes, recoveries by every
 * method, 1 to 5 attempts per payment, and each row's updated_at at its last event (so a watermark sees history,
 * not the moment of generation). random() follows the session's setseed: one seed, one shape.
 */
final class GeneratorSql {
  static final String ORGS = """
      INSERT INTO organizations (id, name, time_zone)
      SELECT gen_random_uuid(), format('%s-%s', ?::text, lpad(g::text, 4, '0')),
             (ARRAY['UTC', 'Asia/Tokyo', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney',
                    'America/Los_Angeles', 'Asia/Kuwait'])[1 + g % 8]
        FROM generate_series(1, ?) g""";

  /** One row per payment to generate: its tenant, its random draws and its number of attempts (k). */
  static final String PLAN = """
      CREATE TEMP TABLE gen_plan ON COMMIT DROP AS
      WITH orgs AS (SELECT array_agg(id ORDER BY name) AS ids FROM organizations WHERE name LIKE ? || '-%'),
      base AS (
        SELECT g, random() AS r_psp, random() AS r_cur, random() AS r_amt, random() AS r_day, random() AS r_cls,
               random() AS r_status, random() AS r_time, random() AS r_by, 1 + floor(random() * 5)::int AS k
          FROM generate_series(?::bigint, ?::bigint) g)
      SELECT gen_random_uuid() AS id, (SELECT ids FROM orgs)[1 + g % (SELECT cardinality(ids) FROM orgs)] AS org_id,
             b.*, ?::timestamptz AS end_at,
             ?::timestamptz - b.r_day * (?::int * interval '1 day') AS failed_at,
             CASE WHEN b.r_psp < 0.6 THEN 'stripe' WHEN b.r_psp < 0.85 THEN 'razorpay' ELSE 'paypal' END AS psp
        FROM base b""";

  /**
   * The payments. retries_made is the number of their attempts with an outcome, as the engine keeps it: all k but
   * the last one of a payment still in recovery, which is scheduled ({@link #ATTEMPTS}).
   */
  static final String TRANSACTIONS = """
      INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, amount_minor, currency, amount_exponent,
             status, decline_class, decline_code, failed_at, recovered_at, recovered_by, last_event_at, retries_made,
             created_at, updated_at)
      SELECT s.id, s.org_id, s.psp, 'ep_bench', 'bench_' || s.g, s.unit * (1 + floor(s.r_amt * 200))::bigint, s.cur,
             s.exp, x.status, s.cls, s.code, s.failed_at,
             CASE WHEN x.status = 'recovered' THEN c.recovery END,
             CASE WHEN x.status <> 'recovered' THEN NULL WHEN s.r_by < 0.6 THEN 'retry' WHEN s.r_by < 0.8
                  THEN 'psp_retry' WHEN s.r_by < 0.92 THEN 'customer_link' ELSE 'card_update' END,
             l.last_at, s.k - CASE WHEN x.status IN ('retrying', 'action_required') THEN 1 ELSE 0 END,
             s.failed_at, l.last_at
        FROM (
          SELECT p.*, c.cur,
                 CASE c.cur WHEN 'JPY' THEN 0 WHEN 'KWD' THEN 3 WHEN 'HUF' THEN 0 ELSE 2 END::int2 AS exp,
                 CASE c.cur WHEN 'JPY' THEN 10 WHEN 'KWD' THEN 50 WHEN 'HUF' THEN 40 ELSE 100 END AS unit,
                 (ARRAY['RETRY_LATER', 'RETRY_LATER', 'TECHNICAL', 'FIX_DATA', 'AUTH_REQUIRED', 'NEVER',
                        'CUSTOMER_ENABLE', 'RETRY_LATER'])[1 + floor(p.r_cls * 8)::int] AS cls,
                 (ARRAY['insufficient_funds', 'processing_error', 'issuer_not_available', 'expired_card',
                        'authentication_required', 'stolen_card', 'card_not_supported', NULL])
                   [1 + floor(p.r_cls * 8)::int] AS code,
                 CASE WHEN p.r_status < 0.5 THEN 'recovered' WHEN p.r_status < 0.7 THEN 'given_up'
                      WHEN p.r_status < 0.85 THEN 'retrying' WHEN p.r_status < 0.95 THEN 'action_required'
                      ELSE 'merchant_action' END AS planned
            FROM gen_plan p
            CROSS JOIN LATERAL (
              SELECT CASE p.psp WHEN 'stripe' THEN (ARRAY['USD', 'EUR', 'JPY', 'GBP'])[1 + floor(p.r_cur * 4)::int]
                                WHEN 'razorpay' THEN (ARRAY['INR', 'INR', 'KWD', 'USD'])[1 + floor(p.r_cur * 4)::int]
                                ELSE (ARRAY['USD', 'EUR', 'HUF', 'GBP'])[1 + floor(p.r_cur * 4)::int] END AS cur) c
        ) s
        -- when it would recover or give up; a payment whose moment is still ahead is in recovery today
        CROSS JOIN LATERAL (
          SELECT s.failed_at + s.r_time * s.r_time * interval '14 days' + interval '5 minutes' AS recovery,
                 s.failed_at + s.k * interval '2 days' AS last_try) c
        CROSS JOIN LATERAL (
          SELECT CASE WHEN s.planned = 'recovered' AND c.recovery > s.end_at THEN 'retrying'
                      WHEN s.planned = 'given_up' AND c.last_try > s.end_at THEN 'retrying'
                      ELSE s.planned END AS status) x
        CROSS JOIN LATERAL (
          SELECT CASE WHEN x.status = 'recovered' THEN c.recovery WHEN x.status = 'given_up' THEN c.last_try
                      ELSE s.failed_at + (least(s.end_at, c.last_try) - s.failed_at) * s.r_time END AS last_at) l""";

  /**
   * The attempts of each payment, spread between its failure and its last event: the last one succeeded when our
   * retry recovered it, is still scheduled (due after the generation) when it is in recovery, and was declined
   * otherwise.
   */
  static final String ATTEMPTS = """
      INSERT INTO recovery_attempts (id, org_id, transaction_id, attempt_no, due_at, status, idempotency_key,
             finished_at, created_at)
      SELECT gen_random_uuid(), t.org_id, t.id, n,
             -- a retry still to come is due after the generation (no executor charges history)
             CASE WHEN a.st = 'scheduled' THEN p.end_at + n * interval '1 day' ELSE a.at END, a.st,
             'bench-' || t.id || '-' || n,
             CASE WHEN a.st = 'scheduled' THEN NULL ELSE a.at END, t.failed_at + (a.at - t.failed_at) / 2
        FROM gen_plan p
        JOIN transactions t ON t.id = p.id
        CROSS JOIN LATERAL generate_series(1, p.k) n
        CROSS JOIN LATERAL (
          SELECT t.failed_at + (t.last_event_at - t.failed_at) * n / p.k AS at,
                 CASE WHEN n < p.k THEN 'declined'
                      WHEN t.status = 'recovered' AND t.recovered_by = 'retry' THEN 'succeeded'
                      WHEN t.status IN ('retrying', 'action_required') THEN 'scheduled'
                      ELSE 'declined' END AS st) a""";

  static final String PARTITIONS = """
      SELECT count(tinko_ensure_month_partition('recovery_attempts', m::date))
        FROM generate_series(date_trunc('month', ?::timestamptz - ?::int * interval '1 day'),
                             date_trunc('month', ?::timestamptz), interval '1 month') m""";

  /** New events of "now" (the benchmark's incremental load): 30 % new failures... */
  static final String NEW_FAILURES = """
      INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, amount_minor, currency, amount_exponent,
             status, decline_class, decline_code, failed_at, last_event_at, created_at, updated_at)
      SELECT gen_random_uuid(), o.ids[1 + g % cardinality(o.ids)], 'stripe', 'ep_bench',
             'bench_evt_' || txid_current() || '_' || g, 100 * (1 + floor(random() * 200))::bigint, 'USD', 2,
             'retrying',
             'RETRY_LATER', 'insufficient_funds', now() - random() * interval '1 hour', now(), now(), now()
        FROM generate_series(1, ?) g,
             (SELECT array_agg(id ORDER BY name) AS ids FROM organizations WHERE name LIKE ? || '-%') o""";
  /** ...and payments in recovery from the last 14 days that an event touches now. */
  static final String TOUCH = """
      CREATE TEMP TABLE gen_touch ON COMMIT DROP AS
      SELECT id, org_id, row_number() OVER () AS rn FROM (
        SELECT t.id, t.org_id FROM transactions t
         WHERE t.status IN ('retrying', 'action_required') AND t.failed_at > now() - interval '14 days'
           AND t.org_id IN (SELECT id FROM organizations WHERE name LIKE ? || '-%')
         ORDER BY random() LIMIT ?) s""";
  /** 50 %: a retry's outcome (3 in 10 succeed and recover the payment)... */
  static final String OUTCOME_ATTEMPTS = """
      INSERT INTO recovery_attempts (id, org_id, transaction_id, attempt_no, due_at, status, idempotency_key,
             finished_at, created_at)
      SELECT gen_random_uuid(), org_id, id, 6, now(), CASE WHEN rn % 10 < 3 THEN 'succeeded' ELSE 'declined' END,
             'bench-evt-' || id || '-' || txid_current(), now(), now()
        FROM gen_touch WHERE rn <= ?""";
  static final String OUTCOME_TRANSACTIONS = """
      UPDATE transactions t
         SET status = CASE WHEN g.rn % 10 < 3 THEN 'recovered' ELSE t.status END,
             recovered_at = CASE WHEN g.rn % 10 < 3 THEN now() END,
             recovered_by = CASE WHEN g.rn % 10 < 3 THEN 'retry' END,
             retries_made = t.retries_made + 1, last_event_at = now(), updated_at = now()
        FROM gen_touch g WHERE g.id = t.id AND g.rn <= ?""";
  /** ...20 %: recovered outside Tinko's retries (customer link, card update, the PSP's own retry). */
  static final String OTHER_RECOVERIES = """
      UPDATE transactions t
         SET status = 'recovered', recovered_at = now(),
             recovered_by = (ARRAY['customer_link', 'card_update', 'psp_retry'])[1 + (g.rn % 3)::int],
             last_event_at = now(), updated_at = now()
        FROM gen_touch g WHERE g.id = t.id AND g.rn > ?""";

  private GeneratorSql() {}
}
