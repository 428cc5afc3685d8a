/**
 * One-time account links (table `account_links`):
 *
 * - the setup link, made at each start of a hub that has no account yet, with which the first admin chooses their
 *   email and password in the browser;
 * - password reset links, which an admin issues for one account and passes on (or the hub emails).
 *
 * A link carries 256 random bits; the database keeps only their SHA-256, so a copy of it opens nothing and every hub
 * process on one database honours and spends the same links. A link works once and until it expires. Spending one is
 * a compare-and-set in the transaction that makes the change it allows, so of two browsers racing with links, one wins.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db';
import { appendAudit, AuditAction } from '../../domain/audit';
import { sha256Hex } from '../../hash';
import { type Moderator } from './accounts';
import { hashPassword } from './password';
import { sealSecret } from './totp-key';

/**
 * A setup link lasts a day: long enough for whoever installs the hub to open it later that day, short enough that a
 * link left in a terminal's scrollback or a service log is dead by the next. Each start while no account exists
 * makes a new one, so a restart is the way to a fresh link.
 */
export const SETUP_LINK_HOURS = 24;

/** A reset link lasts an hour: time to pass it on and use it, too short to be worth finding in an inbox later. */
export const RESET_LINK_MINUTES = 60;

/** 32 random bytes, base64url: the only form a link's token takes, checked before any query. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Spent and expired links are removed whenever a new one is made: the audit log, not this table, is the record. */
async function dropDeadLinks(tx: Queryable, now: Date): Promise<void> {
  await tx.query('DELETE FROM account_links WHERE used_at IS NOT NULL OR expires_at <= $1', [now]);
}

async function hasAccount(db: Queryable): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM moderators LIMIT 1');
  return rows.length > 0;
}

/** A new setup link's token when the hub has no account; undefined once one exists. */
export async function issueSetupLink(db: Database, now: Date): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    if (await hasAccount(tx)) return undefined;
    await dropDeadLinks(tx, now);
    const token = newToken();
    await tx.query(`INSERT INTO account_links (token_sha256, purpose, created_at, expires_at) VALUES ($1, 'setup', $2, $3)`, [
      await sha256Hex(token),
      now,
      new Date(now.getTime() + SETUP_LINK_HOURS * 3_600_000),
    ]);
    return token;
  });
}

/** `open`: the link may be used now; `done`: the hub has an account, so no setup link works any more; `dead`: unknown, spent or expired. */
export type SetupLinkState = 'open' | 'done' | 'dead';

export async function setupLinkState(db: Queryable, token: string, now: Date): Promise<SetupLinkState> {
  if (await hasAccount(db)) return 'done';
  return (await liveLink(db, token, 'setup', now)) ? 'open' : 'dead';
}

async function liveLink(db: Queryable, token: string, purpose: 'setup' | 'reset', now: Date): Promise<{ moderator_id: string | null } | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const [row] = await db.query<{ moderator_id: string | null }>(
    'SELECT moderator_id::text FROM account_links WHERE token_sha256 = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3',
    [await sha256Hex(token), purpose, now],
  );
  return row;
}

/** Marks a live link spent; true only for the one caller that spent it. */
async function spend(tx: Queryable, token: string, purpose: 'setup' | 'reset', now: Date): Promise<{ moderator_id: string | null } | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const [row] = await tx.query<{ moderator_id: string | null }>(
    `UPDATE account_links SET used_at = $3
      WHERE token_sha256 = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
      RETURNING moderator_id::text`,
    [await sha256Hex(token), purpose, now],
  );
  return row;
}

export interface FirstAdmin {
  email: string;
  password: string;
  /** A second factor the person proved their app holds (the secret and the step of the code they entered). */
  totp?: { secret: string; step: number };
}

export type SetupOutcome = { kind: 'created'; moderator: Moderator } | { kind: 'done' } | { kind: 'dead' };

/**
 * Creates the first admin with a setup link, spending it. The table lock makes "no account yet, so create this one"
 * one step across hub processes: of two browsers racing (with one link or with links of two processes), the second
 * waits, then finds an account and gets `done`. Every other setup link dies with the first account.
 */
export async function createFirstAdmin(db: Database, token: string, admin: FirstAdmin, now: Date, totpKey: Uint8Array): Promise<SetupOutcome> {
  const id = randomUUID();
  const passwordHash = await hashPassword(admin.password);
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE moderators IN SHARE ROW EXCLUSIVE MODE');
    if (await hasAccount(tx)) return { kind: 'done' };
    if (!(await spend(tx, token, 'setup', now))) return { kind: 'dead' };
    await tx.query(`UPDATE account_links SET used_at = $1 WHERE purpose = 'setup' AND used_at IS NULL`, [now]);
    const [moderator] = await tx.query<Moderator>(
      `INSERT INTO moderators (id, email, password_hash, role, totp_secret, totp_last_step) VALUES ($1, $2, $3, 'admin', $4, $5)
       RETURNING id::text, email, role`,
      [id, admin.email, passwordHash, admin.totp ? sealSecret(totpKey, id, admin.totp.secret) : null, admin.totp?.step ?? null],
    );
    await appendAudit(tx, { actorId: moderator!.id, action: AuditAction.moderatorSetup, after: { id, email: admin.email, role: 'admin', totp: admin.totp !== undefined } });
    return { kind: 'created', moderator: moderator! };
  });
}

export type ResetLinkOutcome = { kind: 'issued'; token: string; email: string; expiresAt: Date } | { kind: 'not_found' | 'self' | 'disabled' };

/**
 * A reset link for another account, audited (without the link). A new link replaces any earlier unused one for the
 * account, so only the last link an admin passed on works. An admin changes their own password on their account page.
 */
export async function issueResetLink(db: Database, moderatorId: string, actorId: string, now: Date): Promise<ResetLinkOutcome> {
  if (moderatorId === actorId) return { kind: 'self' };
  return db.transaction(async (tx) => {
    const [account] = await tx.query<{ email: string; disabled: boolean }>('SELECT email, disabled_at IS NOT NULL AS disabled FROM moderators WHERE id = $1', [moderatorId]);
    if (!account) return { kind: 'not_found' };
    if (account.disabled) return { kind: 'disabled' };
    await dropDeadLinks(tx, now);
    await tx.query(`DELETE FROM account_links WHERE purpose = 'reset' AND moderator_id = $1`, [moderatorId]);
    const token = newToken();
    const expiresAt = new Date(now.getTime() + RESET_LINK_MINUTES * 60_000);
    await tx.query(`INSERT INTO account_links (token_sha256, purpose, moderator_id, created_at, expires_at) VALUES ($1, 'reset', $2, $3, $4)`, [
      await sha256Hex(token),
      moderatorId,
      now,
      expiresAt,
    ]);
    await appendAudit(tx, { actorId, action: AuditAction.passwordResetLink, after: { moderatorId, expiresAt } });
    return { kind: 'issued', token, email: account.email, expiresAt };
  });
}

/** The account a live reset link is for (its email, shown on the reset page), or undefined for a dead link. */
export async function resetLinkAccount(db: Queryable, token: string, now: Date): Promise<string | undefined> {
  const link = await liveLink(db, token, 'reset', now);
  if (!link?.moderator_id) return undefined;
  const [row] = await db.query<{ email: string }>('SELECT email FROM moderators WHERE id = $1 AND disabled_at IS NULL', [link.moderator_id]);
  return row?.email;
}

/**
 * Sets a new password with a reset link, spending it: every session of the account ends (whoever held one may be why
 * the password was reset), the wrong-password count is cleared, and the change is audited as the account's own.
 */
export async function resetPassword(db: Database, token: string, password: string, now: Date): Promise<'done' | 'dead'> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const link = await spend(tx, token, 'reset', now);
    if (!link?.moderator_id) return 'dead';
    const [account] = await tx.query<{ id: string }>(
      'UPDATE moderators SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1 AND disabled_at IS NULL RETURNING id::text',
      [link.moderator_id, passwordHash],
    );
    // A link for an account disabled since it was issued is spent without effect: the transaction ends here unchanged.
    if (!account) throw new DeadLink();
    await tx.query('DELETE FROM sessions WHERE moderator_id = $1', [account.id]);
    await appendAudit(tx, { actorId: account.id, action: AuditAction.passwordReset, after: { moderatorId: account.id, sessionsEnded: true } });
    return 'done';
  }).catch((error: unknown) => {
    if (error instanceof DeadLink) return 'dead' as const;
    throw error;
  });
}

/** Rolls back a reset whose account was disabled after the link was issued. */
class DeadLink extends Error {}
