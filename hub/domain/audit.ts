/**
 * The audit log: what was done to a report or an account, by whom, when. Rows are only ever appended, each in the
 * transaction that makes the change it records, so the trail can never miss a change nor record one that did not
 * happen. Intake (a withdrawal), the workflow, accounts and referrals write here; the report view reads a report's trail.
 */
import type { Database, Queryable } from '../db';

/** What the audit log says was done; `reference` is null for changes to accounts. */
export const AuditAction = {
  status: 'status',
  assign: 'assign',
  note: 'note',
  publicNote: 'public_note',
  revealContact: 'contact.reveal',
  withdraw: 'withdraw',
  login: 'login',
  lockout: 'lockout',
  moderatorCreate: 'moderator.create',
  moderatorRole: 'moderator.role',
  moderatorDisable: 'moderator.disable',
  moderatorEnable: 'moderator.enable',
  moderatorUnlock: 'moderator.unlock',
  moderatorResetTotp: 'moderator.totp_reset',
  totpEnable: 'totp.enable',
  totpDisable: 'totp.disable',
  referralNotice: 'referral.dsa_notice',
  referralCaseFile: 'referral.case_file',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface AuditEntry {
  /** The moderator; null for the reporter (withdrawal) or the hub itself. */
  actorId: string | null;
  action: AuditAction;
  reference?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one row to the audit log; call it with the transaction that makes the change. */
export async function appendAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.query('INSERT INTO audit_log (actor_id, action, reference, before, after) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)', [
    entry.actorId,
    entry.action,
    entry.reference ?? null,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
  ]);
}

export interface AuditRow {
  id: string;
  at: Date;
  actorEmail: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

/** A report's trail, oldest first. */
export function auditTrail(db: Queryable, reference: string): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    `SELECT a.id::text AS id, a.at, m.email AS "actorEmail", a.action, a.before, a.after
       FROM audit_log a LEFT JOIN moderators m ON m.id = a.actor_id
      WHERE a.reference = $1 ORDER BY a.at, a.id`,
    [reference],
  );
}

/** Whether this moderator asked to see the report's contact details within `withinMinutes` (the ask is audited). */
export async function revealedRecently(db: Queryable, reference: string, actorId: string, withinMinutes: number): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM audit_log WHERE reference = $1 AND actor_id = $2 AND action = $3 AND at > now() - make_interval(mins => $4::int) LIMIT 1`,
    [reference, actorId, AuditAction.revealContact, withinMinutes],
  );
  return rows.length > 0;
}

/** Records that a moderator looked at a report's contact details. */
export function revealContact(db: Database, reference: string, actorId: string): Promise<void> {
  return db.transaction((tx) => appendAudit(tx, { actorId, action: AuditAction.revealContact, reference }));
}
