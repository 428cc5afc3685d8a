/**
 * The audit log: what was done to a report or an account, by whom, when. Rows are only ever appended, each in the
 * transaction that makes the change it records, so the trail can never miss a change nor record one that did not
 * happen. Intake (a withdrawal), the workflow, accounts and referrals write here; the report view reads a report's trail.
 *
 * Each entry is two rows (hub/migrations/007_retention.sql): the entry itself, kept for good, and its payload (the
 * before/after JSON), which erasure may delete. Entries form a hash chain, each hash covering the previous one, the
 * entry's fields and its payload's hash, so `verifyAuditChain` finds an entry edited, deleted or slipped in later.
 * The `audit_log` view reads and appends both as one.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db';

/** What the audit log says was done; `reference` is null for changes to accounts. */
export const AuditAction = {
  status: 'status',
  assign: 'assign',
  note: 'note',
  publicNote: 'public_note',
  /** A moderator asked to see a report's contact details in clear, on the report view ("Show contact details"). */
  revealContact: 'contact.reveal',
  /**
   * A moderator's browser opened a report's sealed contact details with the organisation's key (issue 23): recorded
   * before they are shown. Its own action, so the trail says which it was, and an opening of the sealed details never
   * counts as asking to see the clear ones (`revealedRecently`).
   */
  openSealedContact: 'contact.open_sealed',
  /** A moderator opened an evidence file (its SHA-256 in the payload): the chain of custody (issue 21). */
  evidenceView: 'evidence.view',
  withdraw: 'withdraw',
  login: 'login',
  lockout: 'lockout',
  moderatorCreate: 'moderator.create',
  moderatorRole: 'moderator.role',
  moderatorDisable: 'moderator.disable',
  moderatorEnable: 'moderator.enable',
  moderatorUnlock: 'moderator.unlock',
  moderatorResetTotp: 'moderator.totp_reset',
  /** The first admin, created with the setup link. */
  moderatorSetup: 'moderator.setup',
  passwordChange: 'password.change',
  passwordResetLink: 'password.reset_link',
  passwordReset: 'password.reset',
  totpEnable: 'totp.enable',
  totpDisable: 'totp.disable',
  referralNotice: 'referral.dsa_notice',
  referralCaseFile: 'referral.case_file',
  /**
   * A moderator's browser added reporters' opened contact details to a police case file (issue 23): the final file's
   * SHA-256, the hub's file it was made from and when that was made; never the details.
   */
  referralCaseFileContact: 'referral.case_file_contact',
  /** A report's personal data and evidence erased (withdrawal, retention or an admin); ids and counts only. */
  reportErase: 'report.erase',
  /** A moderator asked the reporter a question (the words in the erasable payload). */
  questionAsk: 'question.ask',
  /** The reporter answered a question, perhaps adding items (the words in the erasable payload). */
  answer: 'question.answer',
  /** A moderator set up (or replaced) their own key for sealed contact details (hub/domain/key-access.ts). */
  keySetup: 'key.setup',
  /** An admin gave a moderator access to an organisation key (sealed to the moderator's own key). */
  keyGrant: 'key.grant',
  /** An admin removed a moderator's access to an organisation key. */
  keyRevoke: 'key.revoke',
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
  /** The moderator who acted; null for the reporter or the hub itself. */
  actorId: string | null;
  actorEmail: string | null;
  /** The name the moderator gave themselves (migration 014); null when they gave none. */
  actorName: string | null;
  action: string;
  before: unknown;
  after: unknown;
  /** The payload was erased with the report's personal data; the entry itself remains. */
  erased: boolean;
}

/** A report's trail, oldest first. */
export function auditTrail(db: Queryable, reference: string): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    `SELECT a.id::text AS id, a.at, a.actor_id::text AS "actorId", m.email AS "actorEmail", m.display_name AS "actorName", a.action, a.before, a.after, a.erased
       FROM audit_log a LEFT JOIN moderators m ON m.id = a.actor_id
      WHERE a.reference = $1 ORDER BY a.at, a.id`,
    [reference],
  );
}

/**
 * Whether this moderator asked to see the report's contact details in clear within `withinMinutes` (the ask is
 * audited). Only `contact.reveal` counts: having opened the sealed details shows nothing on the report view.
 */
export async function revealedRecently(db: Queryable, reference: string, actorId: string, withinMinutes: number): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM audit_log WHERE reference = $1 AND actor_id = $2 AND action = $3 AND at > now() - make_interval(mins => $4::int) LIMIT 1`,
    [reference, actorId, AuditAction.revealContact, withinMinutes],
  );
  return rows.length > 0;
}

/** How long one opening of an evidence file stands for the same moderator's later ones (a page shows it several times). */
const EVIDENCE_VIEW_MINUTES = 15;

/**
 * Records that a moderator opened an evidence file: one entry for each report that names it (the file is stored once
 * by hash and may be evidence in several), unless this moderator's opening of it was recorded for that report within
 * the last few minutes. One statement: it records everything or nothing.
 */
export async function recordEvidenceView(db: Queryable, actorId: string, sha256: string): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_id, action, reference, before, after)
     SELECT $1, $2, re.reference, NULL, jsonb_build_object('sha256', $3::text)
       FROM report_evidence re JOIN reports r ON r.reference = re.reference AND r.erased_at IS NULL
      WHERE re.sha256 = $3
        AND NOT EXISTS (SELECT 1 FROM audit_log a
                         WHERE a.reference = re.reference AND a.actor_id = $1 AND a.action = $2 AND a.after->>'sha256' = $3
                           AND a.at > now() - make_interval(mins => $4::int))`,
    [actorId, AuditAction.evidenceView, sha256, EVIDENCE_VIEW_MINUTES],
  );
}

/** Records that a moderator looked at a report's contact details. */
export function revealContact(db: Database, reference: string, actorId: string): Promise<void> {
  return db.transaction((tx) => appendAudit(tx, { actorId, action: AuditAction.revealContact, reference }));
}

/** Records that a moderator's browser opened a report's sealed contact details (before it shows them). */
export function openSealedContact(db: Database, reference: string, actorId: string): Promise<void> {
  return db.transaction((tx) => appendAudit(tx, { actorId, action: AuditAction.openSealedContact, reference }));
}

/** Where the chain does not hold, and how. */
export interface ChainBreak {
  /** The entry's id. */
  id: string;
  /** Its place in the chain; null for an entry that was never chained (written with the chain's trigger off). */
  seq: string | null;
  problem:
    | 'entry_hash' // the entry's fields or the hash before it are not what its hash covers: edited, or one before it removed
    | 'payload_hash' // the payload is not what the entry's payload hash covers: edited
    | 'gap' // entries before this one are missing from the chain (deleted)
    | 'unchained'; // no place in the chain (inserted by going around the hub's triggers)
}

export interface ChainVerdict {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** The last entry: note it somewhere else (a backup log) and a later rewrite of the whole chain shows too. */
  head: { seq: string; hash: string } | null;
  /** The first breaks found (at most `MAX_BREAKS`). */
  breaks: ChainBreak[];
}

const MAX_BREAKS = 100;
const VERIFY_PAGE = 5_000;

interface ChainRow {
  id: string;
  seq: string;
  at: string;
  actor_id: string | null;
  action: string;
  reference: string | null;
  payload_sha256: string | null;
  hash: string;
  salt: string | null;
  before: string | null;
  after: string | null;
}

/** One field of a hash's input, as ohr_audit_field in 007_retention.sql: UTF-8 length, colon, text; '-' for null. */
const field = (value: string | null): string => (value === null ? '-' : `${Buffer.byteLength(value, 'utf8')}:${value}`);
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The payload hash the database stored, computed here from the payload's text. */
export const payloadHash = (salt: string, before: string | null, after: string | null): string => sha256(field(salt) + field(before) + field(after));

/** An entry's chain hash from the previous entry's hash and its own fields. */
export function entryHash(previous: string | null, row: Omit<ChainRow, 'hash' | 'salt' | 'before' | 'after'>): string {
  return sha256(
    [previous, row.seq, row.id, row.at, row.actor_id, row.action, row.reference, row.payload_sha256].map(field).join(''),
  );
}

/**
 * Recomputes the whole chain, in pages, in TypeScript (not with the database's own functions, so a changed function
 * cannot vouch for itself), and says where it breaks. After a break it goes on from the stored hash, so each edited
 * entry is named rather than everything after it.
 */
export async function verifyAuditChain(db: Queryable): Promise<ChainVerdict> {
  const breaks: ChainBreak[] = [];
  const broken = (found: ChainBreak) => breaks.length < MAX_BREAKS && breaks.push(found);
  const unchained = await db.query<{ id: string }>('SELECT id::text AS id FROM audit_entries WHERE seq IS NULL OR hash IS NULL ORDER BY id LIMIT $1', [MAX_BREAKS]);
  for (const row of unchained) broken({ id: row.id, seq: null, problem: 'unchained' });
  let previous = null as { seq: bigint; hash: string } | null;
  let entries = 0;
  for (;;) {
    const rows: ChainRow[] = await db.query<ChainRow>(
      `SELECT e.id::text AS id, e.seq::text AS seq, ohr_audit_time(e.at) AS at, e.actor_id::text AS actor_id, e.action, e.reference,
              e.payload_sha256, e.hash, p.salt, p.before::text AS before, p.after::text AS after
         FROM audit_entries e LEFT JOIN audit_payloads p ON p.entry_id = e.id
        WHERE e.seq > $1::bigint ORDER BY e.seq LIMIT $2`,
      [String(previous?.seq ?? 0n), VERIFY_PAGE],
    );
    for (const row of rows) {
      entries++;
      const seq: bigint = BigInt(row.seq);
      if (seq !== (previous?.seq ?? 0n) + 1n) broken({ id: row.id, seq: row.seq, problem: 'gap' });
      if (entryHash(previous?.hash ?? null, row) !== row.hash) broken({ id: row.id, seq: row.seq, problem: 'entry_hash' });
      const payloadKept = row.salt !== null;
      if (payloadKept && (row.payload_sha256 === null || payloadHash(row.salt!, row.before, row.after) !== row.payload_sha256)) {
        broken({ id: row.id, seq: row.seq, problem: 'payload_hash' });
      }
      previous = { seq, hash: row.hash };
    }
    if (rows.length < VERIFY_PAGE) break;
  }
  const head = previous ? { seq: String(previous.seq), hash: previous.hash } : null;
  return { ok: breaks.length === 0, entries, head, breaks };
}
