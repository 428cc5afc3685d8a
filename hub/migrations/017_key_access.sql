-- Moderators' own access to sealed contact details (issue 23; hub/domain/key-access.ts, docs/hub-operations.md
-- "Sealed personal data"). Like an organisation vault in a password manager: each moderator has a key pair of their
-- own, made in their browser, whose private half the hub holds only wrapped under the moderator's passphrase (which
-- it never sees); an admin who holds the organisation's private key gives a colleague access by sealing that key to
-- the colleague's public key, in the admin's browser. Nothing here is a private key in clear: the hub cannot open
-- any of it, and neither can anyone with its database or backups without a moderator's passphrase.

-- One key pair per moderator. Replacing it removes their grants (sealed to the old public key, they no longer open).
CREATE TABLE moderator_keys (
  moderator_id uuid PRIMARY KEY REFERENCES moderators (id) ON DELETE CASCADE,
  public_jwk   jsonb NOT NULL,                -- P-256 JWK (kty, crv, x, y)
  wrapped_key  jsonb NOT NULL,                -- the private key, PBKDF2-SHA256 + AES-GCM under the moderator's passphrase
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (public_jwk ? 'x' AND public_jwk ? 'y' AND NOT public_jwk ? 'd'),
  CHECK (wrapped_key ? 'wrapped' AND wrapped_key ? 'salt' AND wrapped_key ? 'iv')
);

-- Access to one organisation key (kid): the organisation's private key sealed (HPKE) to the moderator's public key,
-- bound to their account id. Removing access deletes the row; the audit log keeps who gave and who removed it.
CREATE TABLE key_grants (
  moderator_id uuid NOT NULL REFERENCES moderator_keys (moderator_id) ON DELETE CASCADE,
  kid          text NOT NULL CHECK (kid ~ '^[A-Za-z0-9_-]{1,64}$'),
  org_jwk      jsonb NOT NULL,                -- the organisation key's public half, which opening needs with the private
  sealed_key   jsonb NOT NULL,                -- { enc, ct }: only the moderator's own private key opens it
  granted_by   uuid NULL REFERENCES moderators (id) ON DELETE SET NULL,
  granted_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (moderator_id, kid),
  CHECK (NOT org_jwk ? 'd'),
  CHECK (sealed_key ? 'enc' AND sealed_key ? 'ct')
);
CREATE INDEX key_grants_kid_idx ON key_grants (kid);
