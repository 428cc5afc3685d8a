-- The triage queue's saved views (issue 19 item 3): a moderator's own named filters, kept as the queue's query string
-- (checked by the queue's own schema before it is stored, and again whenever it is used). A view is personal: it goes
-- with its moderator. Names are unique per moderator, so saving a view under a name it already has replaces it.
CREATE TABLE queue_views (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  moderator_id uuid NOT NULL REFERENCES moderators (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  query        text NOT NULL CHECK (length(query) <= 2000),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (moderator_id, name)
);
