-- Moderator wellbeing and names in the report view (issue 19 items 4 and 5; docs/triage-console.md "Wellbeing").
--
-- Reading reports of hate all day harms the people who do it. Three protections are on for everyone unless changed:
-- captured pictures blurred and in greyscale until asked for, and captured words hidden until asked for. An admin sets
-- the organisation's defaults and how long a stretch of work in the queue passes before a gentle reminder to take a
-- break; each moderator may turn a protection on or off for themselves (NULL: follow the organisation).

-- The organisation's defaults: exactly one row (the check on `id` allows only `true`).
CREATE TABLE wellbeing_defaults (
  id               boolean PRIMARY KEY DEFAULT true CHECK (id),
  blur_media       boolean NOT NULL DEFAULT true,
  greyscale_media  boolean NOT NULL DEFAULT true,
  hide_text        boolean NOT NULL DEFAULT true,
  -- Minutes of continuous work in the queue and report pages before the reminder; 0 turns it off.
  reminder_minutes integer NOT NULL DEFAULT 45 CHECK (reminder_minutes BETWEEN 0 AND 480),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       uuid NULL REFERENCES moderators (id) ON DELETE SET NULL
);
INSERT INTO wellbeing_defaults DEFAULT VALUES;

-- One moderator's own choices (NULL: the organisation's default) and their current stretch of work: when it began and
-- when they were last seen in the queue or a report (a gap longer than a break starts a new stretch).
CREATE TABLE moderator_wellbeing (
  moderator_id     uuid PRIMARY KEY REFERENCES moderators (id) ON DELETE CASCADE,
  blur_media       boolean NULL,
  greyscale_media  boolean NULL,
  hide_text        boolean NULL,
  stint_started_at timestamptz NULL,
  stint_seen_at    timestamptz NULL
);

-- The name colleagues see in the audit trail and the assignee lists ("Sam Patel assigned this report to Alex Kim");
-- without one, the account's email is shown.
ALTER TABLE moderators ADD COLUMN IF NOT EXISTS display_name text NULL CHECK (length(display_name) BETWEEN 1 AND 80);
