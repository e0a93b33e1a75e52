-- Tinko schema, version 5: customer recovery — dunning sequences, the emails' durable steps, the notification log,
-- signed recovery links with their clicks, unsubscribes, and each tenant's branding.

-- How a tenant's emails look: merchant name, logo, support address and reply-to. No row: the organization's name
-- and the deployment's smtp.from.
CREATE TABLE tenant_branding (
    org_id         uuid PRIMARY KEY REFERENCES organizations (id),
    display_name   text,
    logo_url       text,
    support_email  text,
    reply_to       text,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- A tenant's own sequence for one decline class (conf/dunning.yaml holds the defaults), same JSON shape:
-- {"steps": [{"after": "PT0S", "template": "update_payment"}, ...]}.
CREATE TABLE dunning_sequences (
    org_id         uuid NOT NULL REFERENCES organizations (id),
    decline_class  text NOT NULL,
    sequence       jsonb NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, decline_class)
);

-- A transaction entered the dunning sequence of a class: written by a trigger in the SAME transaction as the engine's
-- decision that asked to notify the customer (decisions.notify_customer), so no decision is ever missed and the
-- engine's pipeline needs no change. The planner turns an enrolment into steps once (planned_at).
CREATE TABLE dunning_enrolments (
    transaction_id  uuid NOT NULL REFERENCES transactions (id),
    decline_class   text NOT NULL,
    org_id          uuid NOT NULL,
    decision_id     uuid NOT NULL,
    enrolled_at     timestamptz NOT NULL,
    planned_at      timestamptz,
    PRIMARY KEY (transaction_id, decline_class)
);
CREATE INDEX dunning_enrolments_unplanned_idx ON dunning_enrolments (enrolled_at) WHERE planned_at IS NULL;

-- One email of a sequence: a row with a due time, claimed with FOR UPDATE SKIP LOCKED like a retry attempt.
CREATE TABLE dunning_steps (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL,
    transaction_id  uuid NOT NULL REFERENCES transactions (id),
    decline_class   text NOT NULL,
    step_no         integer NOT NULL,
    template        text NOT NULL,
    due_at          timestamptz NOT NULL,
    status          text NOT NULL CHECK (status IN ('scheduled', 'sending', 'sent', 'failed', 'cancelled',
                                                    'suppressed')),
    tries           integer NOT NULL DEFAULT 0,      -- SMTP sends tried
    claimed_at      timestamptz,
    finished_at     timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (transaction_id, decline_class, step_no)
);
CREATE INDEX dunning_steps_due_idx ON dunning_steps (due_at) WHERE status IN ('scheduled', 'sending');
CREATE INDEX dunning_steps_txn_idx ON dunning_steps (transaction_id);

-- Every message Tinko tried to send to a customer, and what became of it.
CREATE TABLE notification_log (
    id                   uuid PRIMARY KEY,
    org_id               uuid NOT NULL,
    transaction_id       uuid NOT NULL,
    step_id              uuid,
    step_no              integer,
    recipient            text,
    template             text NOT NULL,
    locale               text,
    status               text NOT NULL CHECK (status IN ('sent', 'failed', 'retrying', 'suppressed')),
    provider_message_id  text,
    error                text,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_log_org_idx ON notification_log (org_id, created_at DESC, id DESC);
CREATE INDEX notification_log_txn_idx ON notification_log (transaction_id, created_at);

-- A recovery link Tinko issued. The token carries its id, tenant, transaction, purpose and expiry under an HMAC; this
-- row makes the payment action single-use (used_at) and keeps the PSP's hosted page it led to.
CREATE TABLE recovery_links (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL,
    transaction_id  uuid NOT NULL REFERENCES transactions (id),
    step_id         uuid,
    purpose         text NOT NULL CHECK (purpose IN ('pay', 'unsubscribe')),
    key_id          text NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    hosted_url      text,
    completed_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recovery_links_txn_idx ON recovery_links (transaction_id);

-- What customers did with the links: open (page shown), pay (sent to the PSP), complete (back from the PSP),
-- unsubscribe.
CREATE TABLE link_clicks (
    id              uuid PRIMARY KEY,
    link_id         uuid NOT NULL,
    org_id          uuid NOT NULL,
    transaction_id  uuid NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('open', 'pay', 'complete', 'unsubscribe')),
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX link_clicks_txn_idx ON link_clicks (transaction_id, at);

-- A customer who asked for no more recovery emails from this tenant (email lower-cased).
CREATE TABLE dunning_unsubscribes (
    org_id      uuid NOT NULL REFERENCES organizations (id),
    email       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, email)
);

CREATE FUNCTION tinko_dunning_enrol() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dunning_enrolments (transaction_id, decline_class, org_id, decision_id, enrolled_at)
    VALUES (NEW.transaction_id, NEW.decline_class, NEW.org_id, NEW.id, NEW.created_at)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER decisions_dunning_enrol AFTER INSERT ON decisions
    FOR EACH ROW WHEN (NEW.notify_customer) EXECUTE FUNCTION tinko_dunning_enrol();

-- On recovery, in the engine's own transaction: pending emails are cancelled, and a success the engine did not charge
-- itself (psp_retry) after the customer went through a recovery link's payment action is attributed to the link.
CREATE FUNCTION tinko_dunning_recovered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.recovered_by IS DISTINCT FROM 'retry' AND EXISTS (
        SELECT 1 FROM recovery_links l WHERE l.transaction_id = NEW.id AND l.used_at IS NOT NULL) THEN
        NEW.recovered_by := 'customer_link';
    END IF;
    UPDATE dunning_steps SET status = 'cancelled', finished_at = now()
     WHERE transaction_id = NEW.id AND status = 'scheduled';
    RETURN NEW;
END;
$$;
CREATE TRIGGER transactions_dunning_recovered BEFORE UPDATE OF status, recovered_by ON transactions
    FOR EACH ROW WHEN (NEW.status = 'recovered') EXECUTE FUNCTION tinko_dunning_recovered();
