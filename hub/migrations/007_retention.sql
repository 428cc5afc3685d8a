-- Retention and erasure (docs/hub-operations.md "Retention and erasure", docs/hub-decisions.md "The audit log: rows,
-- erasable payloads and a hash chain").
--
-- 1. The audit log in two parts. An entry (who, what, when, which report) is kept for good; its payload (the before
--    and after JSON, which can hold a note's words or an email address) is a separate row that erasure deletes. Each
--    entry keeps the SHA-256 of its payload (salted, the salt deleted with the payload: the hash of an erased short
--    payload cannot be confirmed by guessing) and a hash chain: an entry's hash covers the previous entry's hash and
--    its own fields, so an edited, deleted or inserted entry breaks every hash after it (verifyAuditChain says where).
--    `audit_log` stays as a view with the old columns, so the hub's SQL (and an operator's) reads and appends as before.
-- 2. Reports remember when they were erased.

ALTER TABLE audit_log RENAME TO audit_entries;
ALTER INDEX audit_log_reference_idx RENAME TO audit_entries_reference_idx;
ALTER TABLE audit_entries
  ADD COLUMN payload_sha256 text NULL CHECK (payload_sha256 ~ '^[0-9a-f]{64}$'),  -- NULL: the entry had no payload
  ADD COLUMN seq            bigint NULL UNIQUE,  -- the entry's place in the chain, set when its transaction commits
  ADD COLUMN hash           text NULL CHECK (hash ~ '^[0-9a-f]{64}$');

CREATE TABLE audit_payloads (
  entry_id bigint PRIMARY KEY REFERENCES audit_entries (id),
  salt     text NOT NULL,
  before   jsonb NULL,
  after    jsonb NULL
);

-- One field of a hash's input: its UTF-8 length, a colon and its text ('-' for NULL), so no two different lists of
-- fields give the same input. hub/domain/audit.ts computes the same in TypeScript to verify the chain.
CREATE FUNCTION ohr_audit_field(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN value IS NULL THEN '-' ELSE octet_length(convert_to(value, 'UTF8'))::text || ':' || value END
$$;

-- PL/pgSQL rather than SQL for the two hashes: they are called for every entry, and a SQL function called from
-- PL/pgSQL is planned again on every call, where PL/pgSQL keeps its plans for the session (the two field helpers are
-- inlined into those plans).
CREATE FUNCTION ohr_audit_payload_sha256(salt text, before jsonb, after jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
BEGIN
  RETURN encode(sha256(convert_to(ohr_audit_field(salt) || ohr_audit_field(before::text) || ohr_audit_field(after::text), 'UTF8')), 'hex');
END
$$;

-- The time as text to the microsecond in UTC, whatever the session's time zone.
CREATE FUNCTION ohr_audit_time(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE FUNCTION ohr_audit_entry_sha256(previous text, seq bigint, id bigint, at timestamptz, actor_id uuid, action text,
                                       reference text, payload_sha256 text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
BEGIN
  RETURN encode(sha256(convert_to(ohr_audit_field(previous) || ohr_audit_field(seq::text) || ohr_audit_field(id::text)
           || ohr_audit_field(ohr_audit_time(at)) || ohr_audit_field(actor_id::text) || ohr_audit_field(action)
           || ohr_audit_field(reference) || ohr_audit_field(payload_sha256), 'UTF8')), 'hex');
END
$$;

-- Existing payloads move; existing entries are chained in id order, the hashes computed in one pass and written with
-- one UPDATE (a row-by-row UPDATE took 80 s for 100,000 entries). Only here may entries be written to: the
-- append-only trigger is off for that UPDATE and on again before the migration commits.
INSERT INTO audit_payloads (entry_id, salt, before, after)
SELECT id, gen_random_uuid()::text, before, after FROM audit_entries WHERE before IS NOT NULL OR after IS NOT NULL;
CREATE TEMPORARY TABLE audit_chain_start (id bigint NOT NULL, seq bigint NOT NULL, payload_sha256 text, hash text NOT NULL) ON COMMIT DROP;
DO $$
DECLARE
  entry record;
  previous text := NULL;
  position bigint := 0;
BEGIN
  FOR entry IN SELECT e.id, e.at, e.actor_id, e.action, e.reference,
                      CASE WHEN p.entry_id IS NOT NULL THEN ohr_audit_payload_sha256(p.salt, p.before, p.after) END AS payload_sha256
                 FROM audit_entries e LEFT JOIN audit_payloads p ON p.entry_id = e.id ORDER BY e.id LOOP
    position := position + 1;
    previous := ohr_audit_entry_sha256(previous, position, entry.id, entry.at, entry.actor_id, entry.action,
                                       entry.reference, entry.payload_sha256);
    INSERT INTO audit_chain_start VALUES (entry.id, position, entry.payload_sha256, previous);
  END LOOP;
END
$$;
ALTER TABLE audit_entries DISABLE TRIGGER audit_log_append_only;
UPDATE audit_entries e SET seq = c.seq, payload_sha256 = c.payload_sha256, hash = c.hash FROM audit_chain_start c WHERE c.id = e.id;
ALTER TABLE audit_entries ENABLE TRIGGER audit_log_append_only;
ALTER TABLE audit_entries DROP COLUMN before, DROP COLUMN after;

-- Entries stay append-only; the one write allowed is the chain's own, once: setting `seq` and `hash` of an entry that
-- has none yet (at its transaction's commit, below), every other column unchanged.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.hash IS NULL AND OLD.seq IS NULL AND NEW.hash IS NOT NULL AND NEW.seq IS NOT NULL
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.reference, NEW.payload_sha256)
           IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.reference, OLD.payload_sha256) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Chaining at commit (a deferred trigger), not at insert: the chain's lock is then the last lock a transaction takes
-- and is held only for this, so it cannot deadlock with the report row locks a workflow step or a withdrawal holds
-- (two steps each holding a report and waiting for the other's chain lock). Appenders take turns on a transaction-
-- level advisory lock per schema; after it is granted the last entry is read with a fresh snapshot (READ COMMITTED,
-- the hub's level), so the previous holder's entries, committed before its lock went, are seen.
CREATE FUNCTION ohr_audit_chain() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  last_seq bigint;
  last_hash text;
  entry audit_entries;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('ohr.audit_chain'), hashtext(current_schema()));
  SELECT seq, hash INTO last_seq, last_hash FROM audit_entries WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  SELECT * INTO entry FROM audit_entries WHERE id = NEW.id;
  IF entry.hash IS NOT NULL THEN
    RETURN NULL;
  END IF;
  last_seq := coalesce(last_seq, 0) + 1;
  UPDATE audit_entries
     SET seq = last_seq,
         hash = ohr_audit_entry_sha256(last_hash, last_seq, id, at, actor_id, action, reference, payload_sha256)
   WHERE id = NEW.id;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER audit_entries_chain AFTER INSERT ON audit_entries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.hash IS NULL) EXECUTE FUNCTION ohr_audit_chain();

-- A payload is deleted (erasure) but never edited.
CREATE FUNCTION ohr_audit_payload_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit payloads are never edited, only erased' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_payloads_no_update BEFORE UPDATE ON audit_payloads
  FOR EACH ROW EXECUTE FUNCTION ohr_audit_payload_no_update();

-- The log as it read before: one row per entry, its payload when it still exists; `erased` when it was deleted.
CREATE VIEW audit_log AS
SELECT e.id, e.at, e.actor_id, e.action, e.reference, p.before, p.after,
       (e.payload_sha256 IS NOT NULL AND p.entry_id IS NULL) AS erased
  FROM audit_entries e LEFT JOIN audit_payloads p ON p.entry_id = e.id;

-- Appending through the view writes the entry, its payload and the payload's hash in one go.
CREATE FUNCTION ohr_audit_log_insert() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  salt text := gen_random_uuid()::text;
  has_payload boolean := NEW.before IS NOT NULL OR NEW.after IS NOT NULL;
BEGIN
  INSERT INTO audit_entries (at, actor_id, action, reference, payload_sha256)
  VALUES (coalesce(NEW.at, now()), NEW.actor_id, NEW.action, NEW.reference,
          CASE WHEN has_payload THEN ohr_audit_payload_sha256(salt, NEW.before, NEW.after) END)
  RETURNING id, at INTO NEW.id, NEW.at;
  IF has_payload THEN
    INSERT INTO audit_payloads (entry_id, salt, before, after) VALUES (NEW.id, salt, NEW.before, NEW.after);
  END IF;
  NEW.erased := false;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_insert INSTEAD OF INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION ohr_audit_log_insert();

-- Editing or deleting through the view is refused in the same words as on the table.
CREATE FUNCTION ohr_audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_refuse INSTEAD OF UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION ohr_audit_log_refuse();

-- 2. Erased reports: a tombstone row keeps the reference, status, outcome, dates and the closed-list values the
-- open-data counts use; everything a person typed or captured is gone (hub/domain/retention.ts). Retention of a closed
-- report runs from when it was closed, which `updated_at` does not say (a public note can still change after), so
-- `closed_at` is kept by a trigger whatever closes it (a moderator, a referral, a withdrawal).
ALTER TABLE reports ADD COLUMN erased_at timestamptz NULL, ADD COLUMN closed_at timestamptz NULL;
UPDATE reports SET closed_at = updated_at WHERE status = 'closed';

CREATE FUNCTION ohr_reports_closed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'closed' AND NEW.closed_at IS NULL THEN
    NEW.closed_at := now();
  ELSIF NEW.status <> 'closed' THEN
    NEW.closed_at := NULL;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER reports_closed_at BEFORE INSERT OR UPDATE OF status ON reports
  FOR EACH ROW EXECUTE FUNCTION ohr_reports_closed_at();

-- The purge's look-up: closed reports not yet erased, by when they were closed.
CREATE INDEX reports_closed_unerased_idx ON reports (closed_at) WHERE status = 'closed' AND erased_at IS NULL;
