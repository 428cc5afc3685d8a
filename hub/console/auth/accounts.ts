/**
 * Moderator accounts: created by an admin (or the `create-moderator` command), signed in with email and password, locked
 * for a while after too many wrong passwords, disabled rather than deleted so the audit log keeps naming them.
 */
import { z } from 'zod';
import type { ConsoleConfig } from '../../config';
import type { Database, Queryable } from '../../db';
import { appendAudit, AuditAction } from '../../domain/audit';
import { decoyHash, hashPassword, NewPassword, verifyPassword } from './password';
import { freshStep } from './totp';
import { openSecret, sealSecret } from './totp-key';
import { ct } from '../../../lib/i18n/console';

export const Role = z.enum(['moderator', 'admin']);
export type Role = z.infer<typeof Role>;

/** Emails are kept lowercased (the table's check insists), so "Ana@Example.org" and "ana@example.org" are one account. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email(ct('account.emailInvalid')).max(254));

export const NewModerator = z.object({ email: Email, password: NewPassword, role: Role.default('moderator') });
export type NewModerator = z.input<typeof NewModerator>;

export interface Moderator {
  id: string;
  email: string;
  role: Role;
}

/** Wrong passwords in a row before an account is locked, and for how long (configured as `console.*`). */
export type Lockout = Pick<ConsoleConfig, 'lockoutAttempts' | 'lockoutMinutes'>;

export type CreateOutcome = { kind: 'created'; moderator: Moderator } | { kind: 'exists' };

/** Creates an account from already validated input; `actorId` is the admin, null for the command line. */
export async function createModerator(db: Database, input: z.output<typeof NewModerator>, actorId: string | null): Promise<CreateOutcome> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [moderator] = await tx.query<Moderator>(
      `INSERT INTO moderators (email, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO NOTHING RETURNING id::text, email, role`,
      [input.email, passwordHash, input.role],
    );
    if (!moderator) return { kind: 'exists' };
    await appendAudit(tx, { actorId, action: AuditAction.moderatorCreate, after: { id: moderator.id, email: moderator.email, role: moderator.role } });
    return { kind: 'created', moderator };
  });
}

export type SignIn = { kind: 'ok'; moderator: Moderator } | { kind: 'refused' };

interface AccountRow extends Moderator {
  password_hash: string;
  totp_secret: string | null;
  totp_last_step: number | null;
  failed_logins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
}

/** No account has this id: a refusal for an unknown email runs the same update as any other, and it matches no row. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

/**
 * Checks an email, password and (for an account with a second factor) the code from the authenticator app. The answer
 * is the same `refused` for an unknown email, a wrong password or code, a locked and a disabled account, so the
 * sign-in page cannot be used to find out which accounts exist, are locked or have a second factor. Every path costs
 * the same: the password is always verified (against a decoy hash when there is no account), a code is always
 * checked, and every answer runs one transaction with the same statements (a refusal for no account updates no row).
 */
export async function authenticate(db: Database, email: string, password: string, code: string, now: Date, lockout: Lockout, totpKey: Uint8Array): Promise<SignIn> {
  const [account] = await db.query<AccountRow>(
    `SELECT id::text, email, role, password_hash, totp_secret, totp_last_step::float8 AS totp_last_step, failed_logins, locked_until, disabled_at
       FROM moderators WHERE email = $1`,
    [email],
  );
  const passwordMatches = await verifyPassword(account?.password_hash ?? (await decoyHash()), password);
  const secret = (account?.totp_secret && openSecret(totpKey, account.id, account.totp_secret)) || DECOY_TOTP_SECRET;
  const step = freshStep(secret, code.trim(), account?.totp_last_step ?? null, now);
  // An account locked by an admin's earlier rules (before throttling, see throttle.ts) stays locked until its time.
  const live = account && !account.disabled_at && !(account.locked_until && new Date(account.locked_until) > now) ? account : undefined;
  const matches = live !== undefined && passwordMatches && (!live.totp_secret || (secret !== DECOY_TOTP_SECRET && step !== undefined));
  return db.transaction(async (tx) => {
    if (live && matches) {
      // Compare-and-set on the code's time step: of sign-ins racing with one code, only the first to get here spends it.
      const totpStep = live.totp_secret ? step : undefined;
      const [spent] = await tx.query<{ id: string }>(
        `UPDATE moderators SET failed_logins = 0, locked_until = NULL, totp_last_step = COALESCE($2, totp_last_step)
          WHERE id = $1 AND ($2::bigint IS NULL OR totp_last_step IS NULL OR totp_last_step < $2::bigint)
          RETURNING id::text`,
        [live.id, totpStep ?? null],
      );
      if (spent) {
        await appendAudit(tx, { actorId: live.id, action: AuditAction.login });
        return { kind: 'ok', moderator: { id: live.id, email: live.email, role: live.role } };
      }
    }
    await recordFailure(tx, live?.id ?? NO_ACCOUNT, lockout);
    return { kind: 'refused' };
  });
}

/** Checked when the account has no second factor (or there is no account), so a code costs the same either way. */
const DECOY_TOTP_SECRET = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Counts a wrong password or code. The account is not locked (a lockout let anyone keep its owner out): the sign-in
 * route slows whoever sends the wrong passwords (throttle.ts). Every `lockoutAttempts`-th failure in a row is written
 * to the audit log as `lockout` (`after.slowed`), so an admin sees an account being guessed at.
 */
async function recordFailure(tx: Queryable, id: string, lockout: Lockout): Promise<void> {
  const [row] = await tx.query<{ failures: number }>(
    'UPDATE moderators SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins AS failures',
    [id],
  );
  if (row && row.failures % lockout.lockoutAttempts === 0) {
    await appendAudit(tx, { actorId: null, action: AuditAction.lockout, after: { moderatorId: id, failures: row.failures, slowed: true } });
  }
}

export interface ModeratorRow extends Moderator {
  /** Whether the account has a second factor. */
  totp: boolean;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export function listModerators(db: Queryable): Promise<ModeratorRow[]> {
  return db.query<ModeratorRow>(
    `SELECT id::text, email, role, totp_secret IS NOT NULL AS totp, locked_until AS "lockedUntil", disabled_at AS "disabledAt", created_at AS "createdAt"
       FROM moderators ORDER BY disabled_at IS NOT NULL, email`,
  );
}

export type AccountChange = { kind: 'role'; role: Role } | { kind: 'disable' } | { kind: 'enable' } | { kind: 'unlock' } | { kind: 'resetTotp' };

/**
 * An admin's change to another account, audited. Disabling also ends the account's sessions and removes its access to
 * sealed contact details (its key grants, named in the audit entry). An admin cannot change
 * their own role or disable themselves, so a hub cannot lose its last admin by a slip; and the acting admin's row is
 * locked with the other's (in one order, so two admins demoting each other at once take turns rather than deadlock)
 * and must still be an active admin, so two such changes at once cannot leave the hub with none either.
 */
export async function changeAccount(db: Database, id: string, change: AccountChange, actorId: string): Promise<'done' | 'not_found' | 'self' | 'not_admin'> {
  if (id === actorId) return 'self';
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string; role: Role; locked_until: Date | null; disabled_at: Date | null }>(
      'SELECT id::text, role, locked_until, disabled_at FROM moderators WHERE id IN ($1, $2) ORDER BY id FOR UPDATE',
      [id, actorId],
    );
    const actor = rows.find((row) => row.id === actorId);
    if (!actor || actor.role !== 'admin' || actor.disabled_at) return 'not_admin';
    const before = rows.find((row) => row.id === id);
    if (!before) return 'not_found';
    const { sql, action, after } = accountUpdate(change);
    await tx.query(`UPDATE moderators SET ${sql} WHERE id = $1`, change.kind === 'role' ? [id, change.role] : [id]);
    // Disabling, and resetting the second factor (whoever held a session may have held the phone too), sign it out everywhere.
    if (change.kind === 'disable' || change.kind === 'resetTotp') await tx.query('DELETE FROM sessions WHERE moderator_id = $1', [id]);
    // A disabled account keeps no access to sealed contact details: enabled again, an admin gives it afresh.
    const accessRemoved = change.kind === 'disable' ? (await tx.query<{ kid: string }>('DELETE FROM key_grants WHERE moderator_id = $1 RETURNING kid', [id])).map((row) => row.kid) : [];
    const recorded = accessRemoved.length > 0 ? { ...after, accessRemoved } : after;
    await appendAudit(tx, { actorId, action, before: { moderatorId: id, role: before.role, lockedUntil: before.locked_until, disabledAt: before.disabled_at }, after: { moderatorId: id, ...recorded } });
    return 'done';
  });
}

export type PasswordChange = 'done' | 'wrong_password';

/**
 * A moderator's change of their own password: the current one is required (a session left open is not enough), and
 * every other session of the account ends; the one that made the change (`keepSession`, its SHA-256) goes on, so the
 * person is not thrown out of the page they are on. Audited, without either password.
 */
export async function changePassword(db: Database, id: string, current: string, next: z.output<typeof NewPassword>, keepSession: string): Promise<PasswordChange> {
  const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM moderators WHERE id = $1', [id]);
  if (!row || !(await verifyPassword(row.password_hash, current))) return 'wrong_password';
  const passwordHash = await hashPassword(next);
  return db.transaction(async (tx) => {
    // Compare-and-set on the hash just verified: a change made meanwhile (a reset link) is not silently overwritten.
    const [changed] = await tx.query<{ id: string }>('UPDATE moderators SET password_hash = $3 WHERE id = $1 AND password_hash = $2 RETURNING id::text', [id, row.password_hash, passwordHash]);
    if (!changed) return 'wrong_password';
    const ended = await tx.query('DELETE FROM sessions WHERE moderator_id = $1 AND token_sha256 <> $2 RETURNING 1', [id, keepSession]);
    await appendAudit(tx, { actorId: id, action: AuditAction.passwordChange, after: { moderatorId: id, otherSessionsEnded: ended.length } });
    return 'done';
  });
}

/** The SQL `SET` list (fixed text; the role is parameter $2) and the audit entry of each change. */
function accountUpdate(change: AccountChange): { sql: string; action: AuditAction; after: Record<string, unknown> } {
  switch (change.kind) {
    case 'role':
      return { sql: 'role = $2', action: AuditAction.moderatorRole, after: { role: change.role } };
    case 'disable':
      return { sql: 'disabled_at = now()', action: AuditAction.moderatorDisable, after: { disabled: true } };
    case 'enable':
      return { sql: 'disabled_at = NULL', action: AuditAction.moderatorEnable, after: { disabled: false } };
    case 'unlock':
      return { sql: 'locked_until = NULL, failed_logins = 0', action: AuditAction.moderatorUnlock, after: { lockedUntil: null } };
    // A lost phone: the person signs in with the password alone and sets up a new second factor.
    case 'resetTotp':
      return { sql: 'totp_secret = NULL, totp_last_step = NULL', action: AuditAction.moderatorResetTotp, after: { totp: false } };
  }
}

/** Active moderators, for the "assign to" list. */
export function activeModerators(db: Queryable): Promise<Moderator[]> {
  return db.query<Moderator>('SELECT id::text, email, role FROM moderators WHERE disabled_at IS NULL ORDER BY email');
}

export type TotpChange = 'done' | 'wrong_code' | 'wrong_password' | 'already_on';

/**
 * Turns the second factor on with `secret` (shown to the moderator, who proves their app has it with a code, and
 * their password, so a session alone cannot add a factor and lock the owner out) or off (with a current code). A
 * factor that is on is never replaced: it is turned off first, with a code from it. Either change ends every other
 * session of the account (`keepSession` is the SHA-256 of the one that made it). The account's own choice, audited.
 */
export async function setTotp(
  db: Database,
  id: string,
  change: { on: true; secret: string; password: string } | { on: false },
  code: string,
  now: Date,
  keepSession: string,
  totpKey: Uint8Array,
): Promise<TotpChange> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ totp_secret: string | null; totp_last_step: number | null; password_hash: string }>(
      'SELECT totp_secret, totp_last_step::float8 AS totp_last_step, password_hash FROM moderators WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!row) return 'wrong_code';
    if (change.on && row.totp_secret) return 'already_on';
    if (change.on && !(await verifyPassword(row.password_hash, change.password))) return 'wrong_password';
    const secret = change.on ? change.secret : row.totp_secret && openSecret(totpKey, id, row.totp_secret);
    const step = secret ? freshStep(secret, code.trim(), change.on ? null : row.totp_last_step, now) : undefined;
    if (step === undefined) return 'wrong_code';
    await tx.query('UPDATE moderators SET totp_secret = $2, totp_last_step = $3 WHERE id = $1', [id, change.on ? sealSecret(totpKey, id, change.secret) : null, change.on ? step : null]);
    await tx.query('DELETE FROM sessions WHERE moderator_id = $1 AND token_sha256 <> $2', [id, keepSession]);
    await appendAudit(tx, { actorId: id, action: change.on ? AuditAction.totpEnable : AuditAction.totpDisable, after: { moderatorId: id, totp: change.on } });
    return 'done';
  });
}
