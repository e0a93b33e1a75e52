-- Tinko schema, version 4: recovery analytics. The batch job (`tinko analytics`, module analytics-batch) is the only
-- writer of these tables; the gateway's /v1/analytics routes only read them, and the hot path never touches them.
--
-- A payment belongs to the day it first failed (its cohort): its recovery, attempts and current state are counted on
-- that day, in UTC and in the organisation's own time zone. Amounts stay in the PSP's minor units, keyed by currency
-- AND exponent, so amounts of different scales are never added up.

-- The job finds what changed since its last run by this column (set on every engine write of a transaction).
CREATE INDEX transactions_updated_idx ON transactions (updated_at);

-- Each transaction as the rollups last counted it. Keeping what was counted is what makes the job incremental and
-- exact: when a transaction changes (recovered, reclassified, its first failure arriving late and moving it to an
-- earlier day), both the rollups it left and the ones it joins are rebuilt, and a rerun that finds every fact
-- unchanged writes nothing.
CREATE TABLE analytics_facts (
    transaction_id   uuid PRIMARY KEY,
    org_id           uuid NOT NULL,
    zone             text NOT NULL,      -- the organisation's time zone when counted ('UTC' when none or unknown)
    day_utc          date NOT NULL,      -- failed_at's date in UTC
    day_local        date NOT NULL,      -- failed_at's date in zone
    psp              text NOT NULL,
    decline_class    text NOT NULL,      -- '' = not classified
    decline_code     text NOT NULL,      -- '' = no code
    currency         text NOT NULL,      -- 'XXX' (ISO: no currency) = amount not known yet
    exponent         smallint NOT NULL,  -- decimal places of amount_minor as the PSP counts them
    amount_minor     bigint NOT NULL,
    outcome          text NOT NULL CHECK (outcome IN ('open', 'recovered', 'given_up')),
    method           text,               -- retry / customer_link / card_update / psp_retry / other; null unless recovered
    attempts         integer NOT NULL,   -- Tinko's retries that reached an outcome (succeeded, declined, error)
    recover_seconds  bigint              -- recovered_at - failed_at in whole seconds, never negative; null unless recovered
);
CREATE INDEX analytics_facts_utc_idx ON analytics_facts (org_id, day_utc);
CREATE INDEX analytics_facts_local_idx ON analytics_facts (org_id, day_local);

-- The rollups: tenant x zone x day x PSP x decline class x decline code x currency (x exponent).
-- zone = 'UTC' rows exist for every tenant; rows in the tenant's own zone exist when it is not UTC.
CREATE TABLE analytics_daily (
    org_id                       uuid NOT NULL,
    zone                         text NOT NULL,
    day                          date NOT NULL,
    psp                          text NOT NULL,
    decline_class                text NOT NULL,
    decline_code                 text NOT NULL,
    currency                     text NOT NULL,
    exponent                     smallint NOT NULL,
    failed_count                 bigint NOT NULL,
    failed_amount_minor          bigint NOT NULL,
    recovered_count              bigint NOT NULL,
    recovered_amount_minor       bigint NOT NULL,
    retry_count                  bigint NOT NULL,
    retry_amount_minor           bigint NOT NULL,
    customer_link_count          bigint NOT NULL,
    customer_link_amount_minor   bigint NOT NULL,
    card_update_count            bigint NOT NULL,
    card_update_amount_minor     bigint NOT NULL,
    psp_retry_count              bigint NOT NULL,
    psp_retry_amount_minor       bigint NOT NULL,
    other_method_count           bigint NOT NULL,
    other_method_amount_minor    bigint NOT NULL,
    in_recovery_count            bigint NOT NULL,
    in_recovery_amount_minor     bigint NOT NULL,
    given_up_count               bigint NOT NULL,
    given_up_amount_minor        bigint NOT NULL,
    attempts_made                bigint NOT NULL,
    recover_p50_seconds          double precision,   -- percentile_cont over recover_seconds; null when none recovered
    recover_p90_seconds          double precision,
    -- rates come from the counts, exactly, never from amounts
    recovery_rate                numeric GENERATED ALWAYS AS (round(recovered_count::numeric / failed_count, 6)) STORED,
    attempts_per_recovery        numeric GENERATED ALWAYS AS
                                     (round(attempts_made::numeric / nullif(recovered_count, 0), 4)) STORED,
    PRIMARY KEY (org_id, zone, day, psp, decline_class, decline_code, currency, exponent),
    CHECK (failed_count > 0)
);

-- The zone each organisation's facts were counted in: a changed organizations.time_zone is noticed here and that
-- tenant's local rollups are rebuilt in the new zone.
CREATE TABLE analytics_org_zones (
    org_id  uuid PRIMARY KEY,
    zone    text NOT NULL
);

-- The job's state: one row per job.
CREATE TABLE analytics_job_state (
    job            text PRIMARY KEY,
    watermark      timestamptz,          -- greatest transactions.updated_at the rollups have read
    as_of          timestamptz,          -- snapshot time of the last run that brought every rollup up to date
    last_run_at    timestamptz,          -- last run that wrote (incremental, full or range)
    last_mode      text,
    last_summary   text
);
