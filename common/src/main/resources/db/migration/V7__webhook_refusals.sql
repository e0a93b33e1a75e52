-- Tinko schema, version 7: webhooks refused for a known endpoint, so that GET /v1/events shows the merchant that its
-- PSP signs with the wrong secret (or sends expired, oversized or malformed webhooks). Apart from webhook_events on
-- purpose: nothing here was accepted, the signature headers and the whole body are not kept, so nothing here can
-- be processed or replayed. The gateway writes these rows in batches off the request path, at most
-- webhooks.refusals.perEndpointPerSecond per endpoint (a forged flood is counted, not stored).
-- Monthly partitions like webhook_events, created ahead and dropped after partitions.retentionMonths by
-- PartitionMaintainer.
CREATE TABLE webhook_refusals (
    id            uuid NOT NULL,
    received_at   timestamptz NOT NULL,
    endpoint_id   text NOT NULL,
    org_id        uuid NOT NULL,
    psp           text NOT NULL,
    outcome       text NOT NULL CHECK (outcome IN ('bad_signature', 'expired', 'too_large', 'malformed')),
    reason        text NOT NULL,               -- generic: which check failed, never the expected value
    event_id      text,                        -- the PSP's event id when the body shows one (unverified)
    event_type    text,
    body_bytes    integer,                     -- declared length when the body was refused before being read
    body_sha256   bytea,                       -- null when the body was not read
    body_prefix   bytea,                       -- its first webhooks.refusals.bodyPrefixBytes bytes
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX webhook_refusals_org_idx ON webhook_refusals (org_id, received_at DESC, id DESC);

SELECT tinko_ensure_month_partition('webhook_refusals', date_trunc('month', now() AT TIME ZONE 'UTC')::date);
