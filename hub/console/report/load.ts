/**
 * A report as the report view needs it: the stored row, the body read back through the shared schema, and the
 * integrity verdict of its evidence — the stored bytes hashed again and each capture manifest's signature checked with
 * the same `lib/integrity` code `npm run verify` uses.
 */
import { evidenceHashes, Report, type Outcome, type ReportStatus } from '../../../lib/schema';
import { verifyReport, type ItemVerdict } from '../../../lib/integrity/verify';
import type { Queryable } from '../../db';
import { readEvidence } from '../../domain/evidence';
import { captureProofOf, type CaptureProofData } from './proof';

export interface ReportRow {
  reference: string;
  body: unknown;
  status: ReportStatus;
  outcome: Outcome | null;
  urgent: boolean;
  publicNote: string | null;
  receivedAt: Date;
  updatedAt: Date;
  assignedTo: string | null;
  /** When its personal data and evidence were erased (hub/domain/retention.ts); null while it holds them. */
  erasedAt: Date | null;
}

/** Verified: hashes and signature check out. Not signed: hashes check out, nothing was signed. Failed: anything else. */
export type Integrity = 'verified' | 'failed' | 'not_signed';

export interface ItemIntegrity {
  integrity: Integrity;
  /** Per evidence entry, in the item's order: do the stored bytes hash to what the report says? */
  evidenceOk: boolean[];
}

export type LoadedReport =
  | { kind: 'ok'; row: ReportRow; report: Report; items: ItemIntegrity[]; mediaTypes: Map<string, string>; proof?: CaptureProofData | undefined }
  /** The stored body no longer reads as the current schema: shown as raw JSON text instead. */
  | { kind: 'unreadable'; row: ReportRow }
  /** Erased: only the tombstone (status, dates, closed-list values) is left. */
  | { kind: 'erased'; row: ReportRow };

export async function loadReport(db: Queryable, reference: string): Promise<LoadedReport | undefined> {
  const [row] = await db.query<ReportRow>(
    `SELECT reference, body, status, outcome, urgent, public_note AS "publicNote", received_at AS "receivedAt",
            updated_at AS "updatedAt", assigned_to::text AS "assignedTo", erased_at AS "erasedAt"
       FROM reports WHERE reference = $1`,
    [reference],
  );
  if (!row) return undefined;
  if (row.erasedAt) return { kind: 'erased', row };
  const parsed = Report.safeParse(row.body);
  if (!parsed.success) return { kind: 'unreadable', row };
  const files = await db.query<{ sha256: string; media_type: string }>(
    `SELECT e.sha256, e.media_type FROM report_evidence re JOIN evidence e ON e.sha256 = re.sha256 WHERE re.reference = $1`,
    [reference],
  );
  // Only the files the report itself names: items added later with an answer link theirs to the report too, and an
  // extra file would read to the verifier as one slipped in. One file's bytes in memory at a time: a report may carry
  // many screenshots of up to 10 MB each.
  const named = new Set(evidenceHashes(parsed.data));
  const verdict = await verifyReport(row.body, {
    async *files() {
      for (const file of files.filter((each) => named.has(each.sha256))) {
        const stored = await readEvidence(db, file.sha256);
        if (stored) yield { name: file.sha256, bytes: stored.bytes };
      }
    },
  });
  const report = parsed.data;
  const items = verdict.items.map((item) => integrityOf(report, item));
  const proof = await captureProofOf(db, reference);
  return { kind: 'ok', row, report, items, mediaTypes: new Map(files.map((file) => [file.sha256, file.media_type])), proof };
}

/** `verifyReport` lists an item's evidence checks first, one per evidence entry, then the manifest checks. */
function integrityOf(report: Report, item: ItemVerdict): ItemIntegrity {
  const evidenceCount = report.items[item.itemIndex]?.evidence.length ?? 0;
  const evidenceOk = item.checks.slice(0, evidenceCount).map((check) => check.ok);
  const signed = (report.captureManifests ?? []).some((manifest) => manifest.itemIndex === item.itemIndex && manifest.signature);
  const integrity: Integrity = !item.ok ? 'failed' : signed ? 'verified' : 'not_signed';
  return { integrity, evidenceOk };
}
