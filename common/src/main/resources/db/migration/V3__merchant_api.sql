-- Tinko schema, version 3: the merchant API's own state (sessions, refresh tokens, invitations, login audit) and the
-- indexes that let GET /v1/transactions answer a filtered first page from an index range instead of a sort.

-- One login: what logout and refresh-token reuse revoke. Access tokens name their session (claim "sid") and are
-- refused as soon as it is revoked, so logout does not wait for the 15-minute token to expire.
CREATE TABLE api_sessions (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    user_id     uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,      -- absolute end: refresh cannot extend a session past it
    revoked_at  timestamptz,
    revoked_why text                       -- logout / reuse / user_disabled
);
CREATE INDEX api_sessions_user_idx ON api_sessions (user_id);

-- Refresh tokens are opaque random strings; only their SHA-256 is kept. Each is used once: refreshing marks it used
-- and issues the next one of the same session. A used token presented again means it leaked, and the whole session
-- is revoked (OAuth 2.0 Security BCP, refresh token rotation).
CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES api_sessions (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- A user invited into an organisation with a role; the token (hash kept) is handed to the invitee once.
CREATE TABLE invitations (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id),
    email        text NOT NULL,
    role         text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'analyst')),
    token_hash   bytea NOT NULL UNIQUE,
    invited_by   uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz
);
CREATE INDEX invitations_org_idx ON invitations (org_id, created_at DESC);

-- Every login attempt that reached the password check (not those the rate limit refused), for the merchant's
-- security review and ours. user_id/org_id are null for unknown emails.
CREATE TABLE login_audit (
    id        uuid PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    email     text NOT NULL,
    user_id   uuid,
    org_id    uuid,
    ip        text,
    outcome   text NOT NULL CHECK (outcome IN ('success', 'bad_password', 'unknown_email', 'disabled'))
);
CREATE INDEX login_audit_org_idx ON login_audit (org_id, at DESC);
CREATE INDEX login_audit_at_idx ON login_audit (at);

-- GET /v1/transactions pages on (created_at, id) descending within a tenant. V1 serves "no filter" and "status";
-- these serve the PSP and decline-class filters the same way (date ranges ride on created_at in all of them).
CREATE INDEX transactions_org_psp_idx ON transactions (org_id, psp, created_at DESC, id DESC);
CREATE INDEX transactions_org_class_idx ON transactions (org_id, decline_class, created_at DESC, id DESC);
