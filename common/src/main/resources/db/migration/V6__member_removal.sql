-- Tinko schema, version 6: members can be removed (DELETE /v1/org/members/{id}). The invitations a removed member
-- sent stay, with no inviter; their sessions and refresh tokens are deleted by the removal itself.
ALTER TABLE invitations ALTER COLUMN invited_by DROP NOT NULL;
ALTER TABLE invitations DROP CONSTRAINT invitations_invited_by_fkey;
ALTER TABLE invitations ADD CONSTRAINT invitations_invited_by_fkey
    FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE SET NULL;
