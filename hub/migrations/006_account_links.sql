-- One-time account links: the first-run setup link (no account yet) and the password reset links an admin issues.
-- Only the SHA-256 of a link's token is kept, as for sessions: a copy of the database hands out no working link, and
-- every hub process on one database honours (and spends) the same links.
CREATE TABLE account_links (
  token_sha256  text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  purpose       text NOT NULL CHECK (purpose IN ('setup', 'reset')),
  moderator_id  uuid NULL REFERENCES moderators (id) ON DELETE CASCADE,  -- whose password a reset link sets
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz NULL,                                       -- set once, when the link is spent
  CHECK ((purpose = 'reset') = (moderator_id IS NOT NULL))
);
CREATE INDEX account_links_moderator_idx ON account_links (moderator_id) WHERE moderator_id IS NOT NULL;
