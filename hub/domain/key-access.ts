/**
 * Moderators' own access to the organisation's key (issue 23), as a password manager's organisation vault: each
 * moderator sets up a key pair of their own in their browser and the hub keeps its private half only wrapped under
 * their passphrase (`moderator_keys`, migration 017); an admin who holds the organisation's private key gives a
 * colleague access by sealing it, in the admin's browser, to the colleague's public key (`key_grants`). The hub
 * stores and hands back what browsers made; it never holds a private key in clear, nor a passphrase.
 *
 * Every setup, grant and removal is an audit entry in the transaction that makes it. Removing access deletes the
 * grant, so the hub no longer hands it out; it cannot make a moderator forget a key their browser once opened
 * (docs/hub-operations.md says when to make a new organisation key instead).
 */
import { z } from 'zod';
import { PBKDF2_ITERATIONS } from '../../lib/crypto/seal';
import { EncryptionKey, PassphraseWrappedKey, PublicKeyJwk, SEAL_ALG, SealedKey } from '../../lib/schema';
import type { Database, Queryable } from '../db';
import { appendAudit, AuditAction } from './audit';

/**
 * What a moderator's browser sends to set up their key: the public half and the private half wrapped under their
 * passphrase. Fewer rounds than the browser always uses are refused: the hub and its backups hold these for years.
 */
export const OwnKeyInput = z.strictObject({
  publicJwk: PublicKeyJwk,
  wrapped: PassphraseWrappedKey.extend({ iterations: z.number().int().min(PBKDF2_ITERATIONS).max(10_000_000) }),
});
export type OwnKeyInput = z.infer<typeof OwnKeyInput>;

/**
 * What an admin's browser sends to give a colleague access: the organisation key it sealed (its public half, which
 * opening needs), the sealed private key, and the colleague's public key it was sealed to (refused if they replaced
 * their key since the admin's page was loaded: the grant would not open).
 */
export const GrantInput = z.strictObject({
  orgKey: EncryptionKey,
  sealed: SealedKey,
  recipient: PublicKeyJwk,
});
export type GrantInput = z.infer<typeof GrantInput>;

/** One grant as the moderator's browser needs it: which organisation key, and that key sealed to them. */
export interface Grant {
  orgKey: EncryptionKey;
  sealed: SealedKey;
  grantedAt: Date;
  grantedBy: string | null;
}

/** A moderator's own key and their grants: what a page hands their browser to unlock with their passphrase alone. */
export interface OwnAccess {
  /** Their account id, which each grant is bound to. */
  holder: string;
  publicJwk: PublicKeyJwk;
  wrapped: z.infer<typeof PassphraseWrappedKey>;
  createdAt: Date;
  grants: Grant[];
}

interface KeyRow {
  public_jwk: unknown;
  wrapped_key: unknown;
  created_at: Date;
}

interface GrantRow {
  moderator_id: string;
  kid: string;
  org_jwk: unknown;
  sealed_key: unknown;
  granted_by: string | null;
  granted_at: Date;
}

const grantOf = (row: GrantRow): Grant => ({
  orgKey: EncryptionKey.parse({ kid: row.kid, alg: SEAL_ALG, jwk: row.org_jwk }),
  sealed: SealedKey.parse(row.sealed_key),
  grantedAt: new Date(row.granted_at),
  grantedBy: row.granted_by,
});

/** The moderator's own key and grants; undefined while they have not set up a key. */
export async function ownAccessOf(db: Queryable, moderatorId: string): Promise<OwnAccess | undefined> {
  const [key] = await db.query<KeyRow>('SELECT public_jwk, wrapped_key, created_at FROM moderator_keys WHERE moderator_id = $1', [moderatorId]);
  if (!key) return undefined;
  const grants = await db.query<GrantRow>('SELECT * FROM key_grants WHERE moderator_id = $1 ORDER BY granted_at DESC, kid', [moderatorId]);
  return {
    holder: moderatorId,
    publicJwk: PublicKeyJwk.parse(key.public_jwk),
    wrapped: PassphraseWrappedKey.parse(key.wrapped_key),
    createdAt: new Date(key.created_at),
    grants: grants.map(grantOf),
  };
}

/**
 * Sets up (or replaces) the moderator's own key. Replacing removes every grant they had: each was sealed to the old
 * key and would no longer open. Returns the keys (kids) they lost access to.
 */
export function setOwnKey(db: Database, moderatorId: string, input: OwnKeyInput): Promise<{ replaced: boolean; removed: string[] }> {
  const key = OwnKeyInput.parse(input);
  return db.transaction(async (tx) => {
    const removed = (await tx.query<{ kid: string }>('DELETE FROM key_grants WHERE moderator_id = $1 RETURNING kid', [moderatorId])).map((row) => row.kid).sort();
    const [previous] = await tx.query<{ created_at: Date }>('SELECT created_at FROM moderator_keys WHERE moderator_id = $1 FOR UPDATE', [moderatorId]);
    await tx.query(
      `INSERT INTO moderator_keys (moderator_id, public_jwk, wrapped_key) VALUES ($1, $2::jsonb, $3::jsonb)
       ON CONFLICT (moderator_id) DO UPDATE SET public_jwk = EXCLUDED.public_jwk, wrapped_key = EXCLUDED.wrapped_key, created_at = now()`,
      [moderatorId, JSON.stringify(key.publicJwk), JSON.stringify(key.wrapped)],
    );
    // The public key is in the entry (who can check what later grants were sealed to); the wrapped key is not.
    await appendAudit(tx, { actorId: moderatorId, action: AuditAction.keySetup, after: { moderatorId, publicJwk: key.publicJwk, replaced: !!previous, removedAccess: removed } });
    return { replaced: !!previous, removed };
  });
}

export type GrantOutcome = 'done' | 'not_found' | 'no_key' | 'key_changed' | 'other_key';

/**
 * Gives moderator `moderatorId` access to an organisation key, as sealed in `actorId`'s browser. `current` is the key
 * the hub publishes: a grant for its kid must carry its public half. A grant for the same kid is replaced.
 */
export function grantAccess(db: Database, moderatorId: string, input: GrantInput, actorId: string, current: EncryptionKey | undefined): Promise<GrantOutcome> {
  const grant = GrantInput.parse(input);
  return db.transaction(async (tx) => {
    const [account] = await tx.query<{ disabled: boolean }>('SELECT disabled_at IS NOT NULL AS disabled FROM moderators WHERE id = $1', [moderatorId]);
    if (!account || account.disabled) return 'not_found';
    const [key] = await tx.query<{ public_jwk: unknown }>('SELECT public_jwk FROM moderator_keys WHERE moderator_id = $1 FOR UPDATE', [moderatorId]);
    if (!key) return 'no_key';
    if (!sameJwk(PublicKeyJwk.parse(key.public_jwk), grant.recipient)) return 'key_changed';
    if (!(await knownPublicHalf(tx, grant.orgKey, current))) return 'other_key';
    const [before] = await tx.query<{ granted_by: string | null }>('SELECT granted_by FROM key_grants WHERE moderator_id = $1 AND kid = $2', [moderatorId, grant.orgKey.kid]);
    await tx.query(
      `INSERT INTO key_grants (moderator_id, kid, org_jwk, sealed_key, granted_by) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)
       ON CONFLICT (moderator_id, kid) DO UPDATE SET org_jwk = EXCLUDED.org_jwk, sealed_key = EXCLUDED.sealed_key, granted_by = EXCLUDED.granted_by, granted_at = now()`,
      [moderatorId, grant.orgKey.kid, JSON.stringify(grant.orgKey.jwk), JSON.stringify(grant.sealed), actorId],
    );
    await appendAudit(tx, { actorId, action: AuditAction.keyGrant, ...(before ? { before: { moderatorId, kid: grant.orgKey.kid } } : {}), after: { moderatorId, kid: grant.orgKey.kid } });
    return 'done';
  });
}

/**
 * Whether the organisation key's public half is the one the hub knows for that kid: the published key's, or, for an
 * older key, the one earlier grants carry. An older key no grant names yet is taken as the admin's browser gives it
 * (from the key file): a wrong one only makes the colleague's grant fail to open.
 */
async function knownPublicHalf(tx: Queryable, orgKey: EncryptionKey, current: EncryptionKey | undefined): Promise<boolean> {
  if (current && current.kid === orgKey.kid) return sameJwk(current.jwk, orgKey.jwk);
  const [other] = await tx.query<{ org_jwk: unknown }>('SELECT org_jwk FROM key_grants WHERE kid = $1 LIMIT 1', [orgKey.kid]);
  return !other || sameJwk(PublicKeyJwk.parse(other.org_jwk), orgKey.jwk);
}

const sameJwk = (a: PublicKeyJwk, b: PublicKeyJwk): boolean => a.x === b.x && a.y === b.y && a.crv === b.crv && a.kty === b.kty;

/** Removes a moderator's access to one organisation key (`actorId`: the admin); 'not_found' if they had none. */
export function removeAccess(db: Database, moderatorId: string, kid: string, actorId: string): Promise<'done' | 'not_found'> {
  return db.transaction(async (tx) => {
    const removed = await tx.query<{ kid: string }>('DELETE FROM key_grants WHERE moderator_id = $1 AND kid = $2 RETURNING kid', [moderatorId, kid]);
    if (removed.length === 0) return 'not_found';
    await appendAudit(tx, { actorId, action: AuditAction.keyRevoke, before: { moderatorId, kid } });
    return 'done';
  });
}

/** One account in the admin's overview: whether it has a key, and which organisation keys it can open. */
export interface AccessRow {
  id: string;
  email: string;
  name: string | null;
  disabled: boolean;
  hasKey: boolean;
  keySetAt: Date | null;
  /** Kids of the organisation keys the moderator has access to, newest grant first. */
  kids: string[];
}

/** Every account with its key and grants, for the admin's page; and every kid any grant names. */
export async function accessOverview(db: Queryable): Promise<{ accounts: AccessRow[]; kids: string[] }> {
  const rows = await db.query<{ id: string; email: string; name: string | null; disabled: boolean; key_at: Date | null; kids: string[] | null }>(
    `SELECT m.id::text AS id, m.email, m.display_name AS name, m.disabled_at IS NOT NULL AS disabled, k.created_at AS key_at,
            (SELECT array_agg(g.kid ORDER BY g.granted_at DESC, g.kid) FROM key_grants g WHERE g.moderator_id = m.id) AS kids
       FROM moderators m LEFT JOIN moderator_keys k ON k.moderator_id = m.id
      ORDER BY m.disabled_at IS NOT NULL, m.email`,
  );
  const kids = await db.query<{ kid: string }>('SELECT kid FROM key_grants GROUP BY kid ORDER BY max(granted_at) DESC');
  return {
    accounts: rows.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      disabled: row.disabled,
      hasKey: row.key_at !== null,
      keySetAt: row.key_at === null ? null : new Date(row.key_at),
      kids: row.kids ?? [],
    })),
    kids: kids.map((row) => row.kid),
  };
}

/** An account by id with its name and email, and its public key if it has set one up; `enabled` leaves out disabled ones. */
export async function accountWithKey(db: Queryable, id: string, enabled: boolean): Promise<{ email: string; name: string | null; publicJwk: PublicKeyJwk | undefined } | undefined> {
  const [row] = await db.query<{ email: string; name: string | null; public_jwk: unknown }>(
    `SELECT m.email, m.display_name AS name, k.public_jwk FROM moderators m LEFT JOIN moderator_keys k ON k.moderator_id = m.id
      WHERE m.id = $1 AND (NOT $2 OR m.disabled_at IS NULL)`,
    [id, enabled],
  );
  if (!row) return undefined;
  return { email: row.email, name: row.name, publicJwk: row.public_jwk ? PublicKeyJwk.parse(row.public_jwk) : undefined };
}
