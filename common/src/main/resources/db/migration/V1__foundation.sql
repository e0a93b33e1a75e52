-- Tinko schema, version 1: tenants, credentials, PSP connections, inbound events, recovery state.
-- High-volume tables (webhook_events, recovery_attempts) are range-partitioned by month; the application
-- creates the coming months' partitions ahead of time (PartitionMaintainer) and drops those past retention.

CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    time_zone   text NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL REFERENCES organizations (id),
    email          text NOT NULL,
    password_hash  text NOT NULL,
    role           text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'analyst')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled_at    timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_org_idx ON users (org_id);

CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES organizations (id),
    name          text NOT NULL,
    prefix        text NOT NULL,           -- shown to the merchant, e.g. tk_live_ab12
    key_hash      bytea NOT NULL,          -- SHA-256 of the whole key; the key itself is shown once
    role          text NOT NULL CHECK (role IN ('admin', 'developer', 'analyst')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE UNIQUE INDEX api_keys_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_org_idx ON api_keys (org_id);

-- One merchant's connection to one PSP account; its id is the webhook endpoint id in /v1/webhooks/{psp}/{id}.
CREATE TABLE psp_connections (
    id                     text PRIMARY KEY,
    org_id                 uuid NOT NULL REFERENCES organizations (id),
    psp                    text NOT NULL CHECK (psp IN ('stripe', 'razorpay', 'paypal', 'standard', 'sandbox')),
    status                 text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    -- AES-GCM ciphertexts under the deployment's master key (SecretBox): never stored or returned in clear
    webhook_secret_enc     bytea NOT NULL,
    previous_secret_enc    bytea,          -- still accepted during a rotation, until retired
    previous_secret_until  timestamptz,
    credentials_enc        bytea,          -- PSP API credentials for executing retries
    api_base_url           text,
    paypal_webhook_id      text,           -- PayPal signs with the webhook id it assigned
    rate_limit_per_second  integer NOT NULL DEFAULT 1000 CHECK (rate_limit_per_second > 0),
    max_body_bytes         integer,        -- NULL = deployment default
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX psp_connections_org_idx ON psp_connections (org_id);

-- Every verified inbound webhook, stored raw before the PSP gets its 2xx.
CREATE TABLE webhook_events (
    id             uuid NOT NULL,
    received_at    timestamptz NOT NULL,
    endpoint_id    text NOT NULL,
    org_id         uuid NOT NULL,
    psp            text NOT NULL,
    event_id       text NOT NULL,
    event_type     text,
    headers        jsonb NOT NULL,         -- the headers needed to verify the body again
    raw_body       bytea NOT NULL,
    processed_at   timestamptz,
    dispatch_count integer NOT NULL DEFAULT 0,   -- re-dispatches by the sweeper
    dispatched_at  timestamptz,                  -- last re-dispatch, so sweepers do not resend too often
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX webhook_events_unprocessed_idx ON webhook_events (received_at) WHERE processed_at IS NULL;
CREATE INDEX webhook_events_org_idx ON webhook_events (org_id, received_at DESC);

-- The de-duplication truth. A partitioned table cannot hold a unique key without its partition column,
-- so the (endpoint, PSP event id) key lives here, written in the same statement as the event row.
CREATE TABLE webhook_event_keys (
    endpoint_id   text NOT NULL,
    event_id      text NOT NULL,
    webhook_id    uuid NOT NULL,
    received_at   timestamptz NOT NULL,
    PRIMARY KEY (endpoint_id, event_id)
);
CREATE INDEX webhook_event_keys_received_idx ON webhook_event_keys (received_at);

-- One failed payment being recovered (or recovered), as the engine sees it across all its events.
CREATE TABLE transactions (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL REFERENCES organizations (id),
    psp                 text NOT NULL,
    endpoint_id         text NOT NULL,
    psp_payment_key     text NOT NULL,     -- stable PSP key of the payment (invoice / payment / subscription cycle)
    invoice_id          text,
    payment_id          text,
    subscription_id     text,
    customer_id         text,
    payment_method_id   text,
    customer_email      text,
    customer_locale     text,
    amount_minor        bigint NOT NULL,
    currency            char(3) NOT NULL,
    card_network        text,
    card_funding        text,
    card_fingerprint    text,
    status              text NOT NULL CHECK (status IN ('failed', 'retrying', 'action_required', 'recovered',
                                                        'given_up', 'merchant_action')),
    decline_class       text,
    decline_code        text,
    failed_at           timestamptz NOT NULL,
    recovered_at        timestamptz,
    recovered_by        text,              -- retry / customer_link / card_update / psp_retry
    last_event_at       timestamptz NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, psp, psp_payment_key)
);
CREATE INDEX transactions_org_created_idx ON transactions (org_id, created_at DESC, id DESC);
CREATE INDEX transactions_org_status_idx ON transactions (org_id, status, created_at DESC, id DESC);

-- Each decision the engine made, with the rule that made it.
CREATE TABLE decisions (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL,
    transaction_id  uuid NOT NULL REFERENCES transactions (id),
    webhook_id      uuid,
    decline_class   text NOT NULL,
    action          text NOT NULL,
    rule            text NOT NULL,
    reason          text,
    next_attempt_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_txn_idx ON decisions (transaction_id, created_at);

-- Scheduled and executed retries: a row with a due time, claimed with FOR UPDATE SKIP LOCKED.
CREATE TABLE recovery_attempts (
    id               uuid NOT NULL,
    org_id           uuid NOT NULL,
    transaction_id   uuid NOT NULL,
    attempt_no       integer NOT NULL,
    due_at           timestamptz NOT NULL,
    status           text NOT NULL CHECK (status IN ('scheduled', 'running', 'succeeded', 'declined', 'error',
                                                     'cancelled', 'forbidden')),
    idempotency_key  text NOT NULL,
    decision_id      uuid,
    claimed_at       timestamptz,
    finished_at      timestamptz,
    outcome_code     text,
    outcome_detail   jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX recovery_attempts_due_idx ON recovery_attempts (due_at) WHERE status = 'scheduled';
CREATE INDEX recovery_attempts_txn_idx ON recovery_attempts (transaction_id, attempt_no);

-- Per-tenant overrides of the shipped retry policy (conf/retry-policies.yaml holds the defaults).
CREATE TABLE retry_policies (
    org_id         uuid NOT NULL REFERENCES organizations (id),
    decline_class  text NOT NULL,
    policy         jsonb NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, decline_class)
);

-- Partitions for the current month exist from the start so a fresh database accepts events at once;
-- PartitionMaintainer adds the months ahead on every start and daily.
CREATE OR REPLACE FUNCTION tinko_ensure_month_partition(parent text, month_start date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    part_name text := parent || '_' || to_char(month_start, 'YYYYMM');
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                   part_name, parent, month_start::timestamp AT TIME ZONE 'UTC',
                   (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC');
END;
$$;

SELECT tinko_ensure_month_partition('webhook_events', date_trunc('month', now() AT TIME ZONE 'UTC')::date);
SELECT tinko_ensure_month_partition('recovery_attempts', date_trunc('month', now() AT TIME ZONE 'UTC')::date);
