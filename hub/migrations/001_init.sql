-- The intake tables: reports as received, evidence stored once by content hash, and the links between them.
-- Values checked here are the protocol's closed lists (lib/schema), repeated so the database refuses what the API would.

CREATE TABLE reports (
  reference           text PRIMARY KEY CHECK (reference ~ '^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
  id                  uuid NOT NULL UNIQUE,            -- the client's report id, also the idempotency key
  body                jsonb NOT NULL,                  -- the validated report, as received
  body_sha256         text NOT NULL,                   -- SHA-256 of the body's canonical JSON: same key + same body = replay
  status              text NOT NULL DEFAULT 'received'
                      CHECK (status IN ('received', 'in_review', 'referred', 'needs_info', 'closed')),
  outcome             text NULL
                      CHECK (outcome IN ('actioned', 'removed_by_platform', 'referred_to_police', 'no_further_action',
                                         'duplicate', 'withdrawn')),
  urgent              boolean NOT NULL,
  status_token_sha256 text NOT NULL,                   -- only the hash: a database leak does not reveal tokens
  public_note         text NULL,
  received_at         timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- The triage queue: urgent first, oldest first.
CREATE INDEX reports_queue_idx ON reports (urgent DESC, received_at) WHERE status <> 'closed';

CREATE TABLE evidence (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type  text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/webp', 'text/html')),
  bytes       integer NOT NULL CHECK (bytes > 0),
  content     bytea NOT NULL CHECK (octet_length(content) = bytes),
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE report_evidence (
  reference text NOT NULL REFERENCES reports (reference) ON DELETE CASCADE,
  sha256    text NOT NULL REFERENCES evidence (sha256),
  PRIMARY KEY (reference, sha256)
);
-- Clusters: other reports carrying the same evidence.
CREATE INDEX report_evidence_sha256_idx ON report_evidence (sha256);

-- One row per captured item, so triage and clustering can query URLs without digging into the JSON body.
CREATE TABLE report_items (
  reference  text NOT NULL REFERENCES reports (reference) ON DELETE CASCADE,
  idx        integer NOT NULL CHECK (idx >= 0),        -- the item's index in body->'items'
  url        text NOT NULL,
  page_title text NULL,
  platform   text NOT NULL,
  kind       text NOT NULL,
  PRIMARY KEY (reference, idx)
);
CREATE INDEX report_items_url_idx ON report_items (url);

-- The plaintext status token of a recent receipt, kept only so that a retried POST can get the identical answer
-- (the client may never have seen the first one). Rows are deleted once expired; see hub/README.md.
CREATE TABLE idempotency_responses (
  report_id    uuid PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  status_token text NOT NULL,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX idempotency_responses_expiry_idx ON idempotency_responses (expires_at);
