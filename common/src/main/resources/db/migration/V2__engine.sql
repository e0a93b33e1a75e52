-- Tinko schema, version 2: what the recovery engine needs on top of version 1 — correlation keys, the per-card
-- attempt history the network limits count, the memory of successes that arrive before their failure, and the
-- execution state of retries.

-- Events of one payment do not all carry the same ids, so a transaction is found by ANY of its PSP keys
-- (NormalizedEvent.correlationKeys). The primary key makes "one transaction per key" a database fact.
CREATE TABLE transaction_keys (
    org_id          uuid NOT NULL,
    psp             text NOT NULL,
    key             text NOT NULL,
    transaction_id  uuid NOT NULL REFERENCES transactions (id),
    PRIMARY KEY (org_id, psp, key)
);
CREATE INDEX transaction_keys_txn_idx ON transaction_keys (transaction_id);

-- A Razorpay subscription event carries no payment (hence no amount): the amount stays unknown until an event of
-- the same payment brings it. Such a transaction is never charged blindly (see the engine's Chargeability).
ALTER TABLE transactions ALTER COLUMN amount_minor DROP NOT NULL;
ALTER TABLE transactions ALTER COLUMN currency DROP NOT NULL;
ALTER TABLE transactions
    -- decimal places of amount_minor as the PSP reported it (Stripe's ISK is 2, ISO's 0): minor alone is ambiguous
    ADD COLUMN amount_exponent    smallint,
    -- the card's identity for the network limits: fingerprint:, payment_method: or customer: (most specific seen)
    ADD COLUMN card_key           text,
    -- failed_at is the first failure (the policy's anchor); this is the latest decline (backoff, echo detection)
    ADD COLUMN last_failed_at     timestamptz,
    -- the classification rule of the latest decline (e.g. default:no_code, which a later event may refine)
    ADD COLUMN decline_rule       text,
    -- retries Tinko made that reached an outcome (the planner's retriesMade)
    ADD COLUMN retries_made       integer NOT NULL DEFAULT 0,
    -- when the PSP said it would retry by itself; the engine waits for it instead of charging in parallel
    ADD COLUMN psp_next_retry_at  timestamptz;
CREATE INDEX transactions_card_idx ON transactions (org_id, card_key) WHERE card_key IS NOT NULL;
CREATE INDEX transactions_subscription_idx ON transactions (org_id, psp, subscription_id)
    WHERE subscription_id IS NOT NULL;
CREATE INDEX transactions_customer_idx ON transactions (org_id, psp, customer_id) WHERE customer_id IS NOT NULL;

ALTER TABLE decisions
    -- the card-network limit that deferred or forbade the retry (visa.reattempts, mastercard.declines, ...)
    ADD COLUMN network_limit     text,
    ADD COLUMN notify_customer   boolean NOT NULL DEFAULT false;

ALTER TABLE recovery_attempts
    -- the PSP object this attempt created or charged (Stripe charge, Razorpay order, PayPal transaction), kept
    -- before the charge call where the PSP has no idempotency (Razorpay), so a rerun can ask the PSP first
    ADD COLUMN psp_ref       text,
    -- how many times the charge request was sent (the same idempotency key every time)
    ADD COLUMN calls         integer NOT NULL DEFAULT 0;
-- a claimed attempt whose engine died is found again once its lease runs out
CREATE INDEX recovery_attempts_running_idx ON recovery_attempts (claimed_at) WHERE status = 'running';

-- Every authorization attempt on a card at a merchant, from any transaction: what Visa's and Mastercard's limits
-- count. Retries Tinko scheduled but has not run yet are rows too ('scheduled', with attempt_id), so two
-- transactions on one card cannot together plan past a limit; the executor turns them into their outcome.
CREATE TABLE card_attempts (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL,
    card_key            text NOT NULL,
    at                  timestamptz NOT NULL,
    outcome             text NOT NULL CHECK (outcome IN ('approved', 'declined', 'error', 'scheduled')),
    reattempt           boolean NOT NULL,
    amount_minor        bigint,
    currency            char(3),
    amount_exponent     smallint,
    decline_class       text,
    not_before_seconds  bigint NOT NULL DEFAULT 0,
    transaction_id      uuid,
    attempt_id          uuid,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX card_attempts_card_idx ON card_attempts (org_id, card_key, at);
CREATE INDEX card_attempts_attempt_idx ON card_attempts (attempt_id) WHERE attempt_id IS NOT NULL;
CREATE INDEX card_attempts_at_idx ON card_attempts (at);

-- A success whose failure has not arrived (yet): events of one payment arrive out of order, so a failure that
-- comes after its own success must find it and close at once instead of starting a recovery.
CREATE TABLE payment_successes (
    org_id       uuid NOT NULL,
    psp          text NOT NULL,
    key          text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    webhook_id   uuid NOT NULL,
    event_type   text,
    PRIMARY KEY (org_id, psp, key, occurred_at)
);
CREATE INDEX payment_successes_occurred_idx ON payment_successes (occurred_at);
