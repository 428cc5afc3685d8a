/**
 * Checking what the hub gave for a report: its signed receipt and the RFC 3161 timestamp tokens over the report's
 * hash. Used by `npm run verify` on an evidence pack (the receipts the person's browser kept) and on a police case
 * file (the hub's own). Separate from verify.ts so the browser bundles that check capture manifests do not carry pkijs.
 */
import type * as pkijs from 'pkijs';
import { SignedReceipt } from '../schema';
import type { Check } from './verify';
import { verifyReceipt } from './receipt';
import { verifyTimestampToken, type TokenFacts } from './timestamp';

export interface ReceiptBundle {
  /** What the lines are about, e.g. "receipt 1" or a reference. */
  label: string;
  receipt: unknown;
  /** The report exactly as the hub received it, when the bundle has it (a case file withholding contact details does not). */
  reportJson?: unknown;
  /** Why the report as received cannot be compared, in words (when `reportJson` is absent). */
  reportAbsent?: string;
  tokens: ReadonlyArray<{ name: string; der: Uint8Array }>;
  /** Evidence files present beside the bundle, by SHA-256. */
  evidence: ReadonlySet<string>;
}

export interface BundleVerdict {
  label: string;
  ok: boolean;
  checks: Check[];
  timestamps: TokenFacts[];
}

export async function verifyReceiptBundle(bundle: ReceiptBundle, trustedCerts?: readonly pkijs.Certificate[]): Promise<BundleVerdict> {
  const checks: Check[] = [];
  const receiptJson = bundle.reportJson as { id?: unknown } | undefined;
  checks.push(
    ...(await verifyReceipt(bundle.receipt, {
      ...(bundle.reportJson !== undefined ? { reportJson: bundle.reportJson } : {}),
      ...(typeof receiptJson?.id === 'string' ? { reportId: receiptJson.id } : {}),
    })),
  );
  if (bundle.reportJson === undefined && bundle.reportAbsent) checks.push({ ok: true, what: `report as received not compared: ${bundle.reportAbsent}` });
  const parsed = SignedReceipt.safeParse(bundle.receipt);
  const timestamps: TokenFacts[] = [];
  if (parsed.success) {
    for (const sha256 of parsed.data.payload.evidence) {
      checks.push({ ok: bundle.evidence.has(sha256), what: `receipt's evidence ${sha256.slice(0, 12)}… is here with that hash` });
    }
    for (const token of bundle.tokens) {
      const verdict = await verifyTimestampToken(token.der, parsed.data.payload.reportSha256, trustedCerts);
      for (const check of verdict.checks) checks.push({ ok: check.ok, what: `${token.name}: ${check.what}` });
      if (verdict.facts) {
        timestamps.push(verdict.facts);
        checks.push({ ok: verdict.ok, what: `${token.name}: time ${verdict.facts.genTime}, serial ${verdict.facts.serial}, by ${verdict.facts.tsa}` });
      }
    }
  }
  return { label: bundle.label, ok: checks.every((check) => check.ok), checks, timestamps };
}

export function formatBundleVerdict(verdict: BundleVerdict): string {
  return [`${verdict.ok ? 'PASS' : 'FAIL'}  ${verdict.label}`, ...verdict.checks.map((check) => `      ${check.ok ? 'ok  ' : 'FAIL'}  ${check.what}`)].join('\n');
}
