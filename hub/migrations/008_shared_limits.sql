-- Rate limits shared by every hub process on one PostgreSQL (docs/hub-operations.md "Several processes").
--
-- A client is still known only by HMAC-SHA256(salt, address) (docs/design.md "Data and privacy"). For several
-- processes to count one client together they must use the same salt, so it lives here, one row per scope, and is
-- replaced when it expires; the buckets made under it are deleted in the same statement. UNLOGGED: neither the salt
-- nor the buckets reach the write-ahead log, a replica or a physical backup, and a crash empties both (everyone starts
-- with a full bucket, which is harmless). PGlite hubs (one process) keep all of this in memory and never write here.

CREATE UNLOGGED TABLE rate_limit_salts (
  scope      text PRIMARY KEY,
  generation bigint NOT NULL,
  salt       bytea NOT NULL CHECK (octet_length(salt) = 32),
  expires_at timestamptz NOT NULL
);

-- One token bucket per scope and hashed client. `generation` is the salt's: a process still holding an old salt can
-- no longer write (see hub/ratelimit-shared.ts), so no key outlives its salt. `requested` and `granted` are the last
-- statement's: how many requests of this client it brought, and how many of them got a token.
CREATE UNLOGGED TABLE rate_limit_buckets (
  scope      text NOT NULL,
  key        text NOT NULL,
  generation bigint NOT NULL,
  tokens     double precision NOT NULL,
  at         timestamptz NOT NULL,
  requested  integer NOT NULL,
  granted    integer NOT NULL,
  PRIMARY KEY (scope, key)
);

-- The console's sign-in throttle (hub/console/auth/throttle.ts): failures per hashed email (and client), shared.
-- Times in ms since 1970 by the hub's clock, as the in-memory throttle counts them.
CREATE UNLOGGED TABLE sign_in_failures (
  key        text PRIMARY KEY,
  generation bigint NOT NULL,
  -- Failures allowed before this key is slowed (the per-client and the from-anywhere keys differ).
  free       integer NOT NULL,
  failures   integer NOT NULL,
  wait_until bigint NOT NULL,
  seen       bigint NOT NULL
);

-- Evidence objects whose `evidence` row was deleted inside a larger transaction (an erasure), to be deleted from an
-- object store once that transaction has committed (an object store is outside the database's transactions, so it is
-- deleted after the fact, never before: a rolled-back erasure must find its files). Drained right after the erasure
-- and by the hourly evidence purge (hub/domain/evidence.ts, deleteQueuedEvidence); with evidence in the database the
-- bytes went in the same transaction and the drain only empties this table.
CREATE TABLE evidence_deletions (
  sha256    text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  queued_at timestamptz NOT NULL DEFAULT now()
);
