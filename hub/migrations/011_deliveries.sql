-- Alerts for urgent reports and notifications to reporters (docs/hub-operations.md "Alerts and notifications").
--
-- A durable outbox: a delivery row is written in the same transaction as what it announces (an urgent report's intake,
-- a moderator's status change), so an acknowledged urgent report always gets its alert, even if the hub stops the
-- moment after. A worker in the hub claims due rows, sends them and records every attempt. The row's id travels with
-- the message (webhook header `OHR-Delivery`, email Message-ID) so a receiver can drop a duplicate: a hub that stops
-- mid-send sends that row again once its claim has lapsed.
--
-- Nothing here holds report content or personal data: a delivery names its report by reference and its destination by
-- the id of a configured destination (the reporter's address is read from the report when the email is sent, so
-- erasing the report erases it for the outbox too).

-- Where alerts go, copied from the hub's settings at start (alerts.emails, alerts.webhooks) so intake can fan an urgent
-- report out to them inside its own statement. Secrets stay in the settings.
CREATE TABLE alert_destinations (
  id      text PRIMARY KEY CHECK (id ~ '^(email|webhook):[0-9a-f]{16}$'),  -- channel and a hash of the address
  channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
  target  text NOT NULL  -- the address or URL, shown to admins in the delivery log
);

CREATE TABLE deliveries (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind          text NOT NULL CHECK (kind IN ('urgent_report', 'status_changed', 'question_asked', 'report_closed')),
  channel       text NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- An alert_destinations id, or 'reporter' for a notification to the report's own reporter.
  destination   text NOT NULL,
  target        text NOT NULL,  -- alert: the address or URL at the time; reporter: 'reporter' (never their address)
  reference     text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  due_at        timestamptz NOT NULL DEFAULT now(),
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
  attempts      integer NOT NULL DEFAULT 0,
  claimed_until timestamptz NULL,  -- a worker is sending it until then; after, another may claim it again
  finished_at   timestamptz NULL
);
CREATE INDEX deliveries_due_idx ON deliveries (due_at) WHERE state = 'pending';
CREATE INDEX deliveries_created_idx ON deliveries (created_at DESC);
CREATE INDEX deliveries_reference_idx ON deliveries (reference);

-- One row per try: when, whether it was accepted, the HTTP status or SMTP reply code, and a short reason in words
-- (never a body: a receiver's answer could echo anything).
CREATE TABLE delivery_attempts (
  delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  attempt     integer NOT NULL CHECK (attempt > 0),
  at          timestamptz NOT NULL,
  ok          boolean NOT NULL,
  code        integer NULL,
  reason      text NULL CHECK (length(reason) <= 200),
  PRIMARY KEY (delivery_id, attempt)
);
