-- Questions and answers (issue 20 item 1): a moderator asks the reporter a question; the reporter answers with the
-- report's status token, and may add items (captures or uploads) whose evidence they uploaded first. The words on both
-- sides are personal content: erasure deletes these rows (hub/domain/retention.ts), and the audit keeps them only in
-- its erasable payloads.

CREATE TABLE report_questions (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL REFERENCES reports (reference) ON DELETE CASCADE,
  asked_by  uuid NULL REFERENCES moderators (id) ON DELETE SET NULL,
  body      text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  asked_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX report_questions_reference_idx ON report_questions (reference, asked_at);

-- At most one answer per question. The id is the client's (the idempotency key): a resent answer finds the first one.
CREATE TABLE report_answers (
  id          uuid PRIMARY KEY,
  question_id uuid NOT NULL UNIQUE REFERENCES report_questions (id) ON DELETE CASCADE,
  reference   text NOT NULL REFERENCES reports (reference) ON DELETE CASCADE,
  body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  items       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(items) = 'array'),  -- protocol Items, as received
  body_sha256 text NOT NULL,  -- SHA-256 of the answer's canonical JSON: same id + same answer = replay
  answered_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX report_answers_reference_idx ON report_answers (reference);
