-- The triage console: moderator accounts and sessions, who a report is assigned to, internal notes, and the audit log.

CREATE TABLE moderators (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  password_hash  text NOT NULL,                       -- argon2id, PHC string
  role           text NOT NULL CHECK (role IN ('moderator', 'admin')),
  totp_secret    text NULL,                           -- base32; NULL when no second factor is set up
  totp_last_step bigint NULL,                         -- the 30-second step of the last code accepted: a code works once
  failed_logins  integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until   timestamptz NULL,
  disabled_at    timestamptz NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a session token is kept: a database leak does not hand out live sessions.
CREATE TABLE sessions (
  token_sha256  text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  moderator_id  uuid NOT NULL REFERENCES moderators (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL                  -- the absolute timeout; the idle one is measured from last_seen_at
);
CREATE INDEX sessions_moderator_idx ON sessions (moderator_id);

ALTER TABLE reports ADD COLUMN assigned_to uuid NULL REFERENCES moderators (id) ON DELETE SET NULL;
CREATE INDEX reports_assigned_to_idx ON reports (assigned_to) WHERE assigned_to IS NOT NULL;

-- Moderators' internal notes; never shown to the reporter (the public note is reports.public_note).
CREATE TABLE report_notes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reference   text NOT NULL REFERENCES reports (reference) ON DELETE CASCADE,
  author_id   uuid NOT NULL REFERENCES moderators (id),
  body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_notes_reference_idx ON report_notes (reference, created_at);

-- Every change anyone makes, appended and never edited: the trigger below refuses UPDATE and DELETE for every role
-- the hub connects as. `reference` is plain text, not a foreign key, so the trail outlives a deleted report.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    uuid NULL REFERENCES moderators (id),  -- NULL: the reporter (withdrawal) or the hub itself
  action      text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  reference   text NULL,
  before      jsonb NULL,
  after       jsonb NULL
);
CREATE INDEX audit_log_reference_idx ON audit_log (reference, at) WHERE reference IS NOT NULL;

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
