-- Evidence bytes in chunks of at most 256 KiB, one statement each, instead of one row of up to 10 MB: on PGlite (one
-- session) a single large insert held the database for seconds, so every other request waited behind an upload. Now
-- each chunk is a short statement and other work runs between them. The `evidence` row is written last and is what
-- says the file is complete; chunks without one are an upload that never finished, purged after a while.

CREATE TABLE evidence_chunks (
  sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  seq        integer NOT NULL CHECK (seq >= 0),
  content    bytea NOT NULL CHECK (octet_length(content) > 0),
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sha256, seq)
);
-- Screenshots are already compressed: trying pglz on every chunk costs time and saves nothing.
ALTER TABLE evidence_chunks ALTER COLUMN content SET STORAGE EXTERNAL;

INSERT INTO evidence_chunks (sha256, seq, content, written_at) SELECT sha256, 0, content, received_at FROM evidence;
ALTER TABLE evidence DROP COLUMN content;

-- Unreferenced evidence expires by age (see purgeUnreferencedEvidence).
CREATE INDEX evidence_received_at_idx ON evidence (received_at);

-- Each file whole, for operators' queries and exports (the hub itself reads chunks a few at a time).
CREATE VIEW evidence_content AS
SELECT e.sha256, e.media_type, e.bytes, e.received_at,
       (SELECT string_agg(c.content, ''::bytea ORDER BY c.seq) FROM evidence_chunks c WHERE c.sha256 = e.sha256) AS content
  FROM evidence e;
