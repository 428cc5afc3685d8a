-- Signed receipts and trusted timestamps (issue 21, "A capture that holds up in court"; docs/hub-decisions.md
-- "Receipts and trusted timestamps").

-- The keys the hub signs receipts with (ECDSA P-256). One is current (retired_at NULL); earlier ones stay, public
-- half published in discovery, so receipts they signed still check. Made at the first start by whichever hub process
-- gets there first (the unique index lets only one current key exist), kept in the database so every process of a
-- PostgreSQL hub signs with the same key, and carried by backups with every other table.
CREATE TABLE hub_signing_keys (
  kid           text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9_-]{43}$'),  -- RFC 7638 thumbprint of the public key
  public_jwk    jsonb NOT NULL,
  private_pkcs8 text NOT NULL,  -- base64 PKCS #8
  created_at    timestamptz NOT NULL DEFAULT now(),
  retired_at    timestamptz NULL
);
CREATE UNIQUE INDEX hub_signing_keys_one_current ON hub_signing_keys ((true)) WHERE retired_at IS NULL;

-- RFC 3161 timestamp tokens over each report's SHA-256 (its canonical JSON, `reports.body_sha256`), one row per report
-- and timestamp authority. The row is queued in the statement that files the report, so no acknowledged report lacks
-- its request; the worker (hub/domain/timestamps.ts) asks the authority, retrying with backoff while it cannot be
-- reached, and keeps the token it returns. A hash holds no personal data: rows outlive the report's erasure.
CREATE TABLE report_timestamps (
  reference       text NOT NULL REFERENCES reports (reference) ON DELETE CASCADE,
  tsa_url         text NOT NULL CHECK (length(tsa_url) BETWEEN 1 AND 2000),
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'granted')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz NULL,
  last_error      text NULL CHECK (length(last_error) <= 500),
  token           text NULL,  -- base64 DER of the TimeStampToken (CMS SignedData)
  gen_time        timestamptz NULL,
  serial          text NULL,
  tsa_name        text NULL,
  queued_at       timestamptz NOT NULL DEFAULT now(),
  granted_at      timestamptz NULL,
  PRIMARY KEY (reference, tsa_url),
  CHECK ((state = 'granted') = (token IS NOT NULL))
);
CREATE INDEX report_timestamps_due_idx ON report_timestamps (next_attempt_at) WHERE state = 'pending';
