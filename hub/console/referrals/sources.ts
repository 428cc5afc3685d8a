/**
 * What a referral is made from, read from the hub's tables: the reports (as received, re-checked against the report
 * schema so nothing downstream trusts a stored row blindly), their evidence bytes by hash, and their audit trail.
 */
import { z } from 'zod';
import type { Queryable } from '../../db';
import { readEvidence } from '../../domain/evidence';
import { EvidenceMediaType, evidenceHashes, Outcome, Report, ReportStatus } from '../../../lib/schema';
import type { ReferralSource } from './dsa-notice';
import type { ReportProof } from './case-file';
import { receiptOfStored } from '../../domain/receipts';
import { timestampsOf } from '../../domain/timestamps';

export interface HeldReport extends ReferralSource {
  status: ReportStatus;
  outcome?: Outcome;
  urgent: boolean;
}

export interface StoredEvidence {
  sha256: string;
  mediaType: EvidenceMediaType;
  bytes: Uint8Array;
}

/** One audit-log row, with the moderator's email instead of their id (NULL actor: the reporter or the hub). */
export const AuditEntry = z.strictObject({
  id: z.coerce.number().int(),
  at: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  reference: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const HeldRow = z.object({
  reference: z.string(),
  received_at: z.coerce.date(),
  status: ReportStatus,
  outcome: Outcome.nullable(),
  urgent: z.boolean(),
  body: Report,
});

/** The reports with these references, in the order asked for; unknown references are simply absent. */
export async function loadReports(db: Queryable, references: readonly string[]): Promise<HeldReport[]> {
  const rows = await db.query<unknown>(
    // An erased report holds nothing to refer: it is absent, as an unknown reference is.
    'SELECT reference, received_at, status, outcome, urgent, body FROM reports WHERE reference = ANY($1::text[]) AND erased_at IS NULL',
    [references],
  );
  const byReference = new Map(
    rows.map((row) => {
      const held = HeldRow.parse(row);
      const report: HeldReport = {
        reference: held.reference,
        receivedAt: held.received_at.toISOString(),
        report: held.body,
        status: held.status,
        urgent: held.urgent,
        ...(held.outcome ? { outcome: held.outcome } : {}),
      };
      return [held.reference, report] as const;
    }),
  );
  return references.flatMap((reference) => byReference.get(reference) ?? []);
}

/** Every evidence file these reports refer to that the hub holds, in hash order. */
export async function loadEvidence(db: Queryable, reports: readonly HeldReport[]): Promise<StoredEvidence[]> {
  const hashes = [...new Set(reports.flatMap((held) => evidenceHashes(held.report)))].sort();
  if (hashes.length === 0) return [];
  const files: StoredEvidence[] = [];
  for (const sha256 of hashes) {
    const file = await readEvidence(db, sha256);
    if (file) files.push({ sha256, mediaType: file.mediaType, bytes: file.bytes });
  }
  return files;
}

/** The audit trail of these reports, oldest first. */
export async function loadAudit(db: Queryable, references: readonly string[]): Promise<AuditEntry[]> {
  const rows = await db.query<unknown>(
    `SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, m.email AS actor,
            a.action, a.reference, a.before, a.after
       FROM audit_log a LEFT JOIN moderators m ON m.id = a.actor_id
      WHERE a.reference = ANY($1::text[])
      ORDER BY a.id`,
    [references],
  );
  return rows.map((row) => AuditEntry.parse(row));
}

/** Each report's signed receipt (signed now, over what was received), its hash as received and its timestamps. */
export async function loadProof(db: Queryable, hub: string, references: readonly string[]): Promise<Map<string, ReportProof>> {
  const rows = await db.query<{ reference: string; body_sha256: string }>('SELECT reference, body_sha256 FROM reports WHERE reference = ANY($1::text[])', [
    references,
  ]);
  const proof = new Map<string, ReportProof>();
  for (const row of rows) {
    proof.set(row.reference, {
      reportSha256: row.body_sha256,
      receipt: await receiptOfStored(db, hub, row.reference),
      timestamps: await timestampsOf(db, row.reference),
    });
  }
  return proof;
}
