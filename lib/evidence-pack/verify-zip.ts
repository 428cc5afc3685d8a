/**
 * `npm run verify` on a ZIP: an evidence pack from the extension (`report.json` at the top, the receipts its
 * organisations gave under `receipts/`) or a police case file from a hub (`reports/<reference>/`, with `SHA256SUMS`).
 * Everything is checked against the files in the ZIP itself: each report's evidence and capture manifests
 * (lib/integrity/verify.ts), each hub receipt and timestamp token (lib/integrity/verify-bundle.ts), and the case file's
 * list of hashes.
 */
import { strFromU8, type Unzipped } from 'fflate';
import type * as pkijs from 'pkijs';
import { sha256Hex } from '../hash';
import { formatVerdict as formatWithConclusion, verifyReport, type EvidenceSource, type ReportVerdict } from '../integrity/verify';
import { formatBundleVerdict, verifyReceiptBundle } from '../integrity/verify-bundle';
import { EVIDENCE_DIR, RECEIPT_FILE, RECEIPTS_DIR, REPORT_FILE, TIMESTAMPS_DIR } from './layout';

export const CASE_SUMS_FILE = 'SHA256SUMS';

/** One report's lines without its own conclusion: the ZIP's verdict concludes once, for everything. */
const formatVerdict = (verdict: ReportVerdict) => formatWithConclusion(verdict).split('\n').slice(0, -1).join('\n');

export interface ZipVerdict {
  ok: boolean;
  text: string;
}

function sourceOf(files: Unzipped): EvidenceSource {
  return {
    async *files() {
      for (const [name, content] of Object.entries(files)) {
        if (name.startsWith(EVIDENCE_DIR)) yield { name, bytes: content as Uint8Array<ArrayBuffer> };
      }
    },
  };
}

function parseJson(files: Unzipped, name: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const bytes = files[name];
  if (!bytes) return { ok: false, problem: `${name} is missing` };
  try {
    return { ok: true, value: JSON.parse(strFromU8(bytes)) };
  } catch {
    return { ok: false, problem: `${name} is not JSON` };
  }
}

const tokensIn = (files: Unzipped, folder: string) =>
  Object.keys(files)
    .filter((name) => name.startsWith(folder + TIMESTAMPS_DIR) && name.endsWith('.tst'))
    .sort()
    .map((name) => ({ name, der: files[name]! }));

/** Verifies every report, receipt and token in the ZIP's files; one verdict in words. */
export async function verifyZip(files: Unzipped, trustedCerts?: readonly pkijs.Certificate[]): Promise<ZipVerdict> {
  const evidence = new Set<string>();
  for (const [name, content] of Object.entries(files)) if (name.startsWith(EVIDENCE_DIR)) evidence.add(await sha256Hex(content as Uint8Array<ArrayBuffer>));
  const source = sourceOf(files);
  const sections: string[] = [];
  let ok = true;
  const add = (passed: boolean, text: string) => {
    ok &&= passed;
    sections.push(text);
  };
  const reportFolders = files[REPORT_FILE]
    ? ['']
    : [...new Set(Object.keys(files).filter((name) => /^reports\/[^/]+\/report\.json$/.test(name)).map((name) => name.slice(0, -REPORT_FILE.length)))].sort();
  if (reportFolders.length === 0) return { ok: false, text: 'NOT VERIFIED: the ZIP holds neither report.json nor reports/<reference>/report.json' };
  for (const folder of reportFolders) {
    const json = parseJson(files, folder + REPORT_FILE);
    if (!json.ok) {
      add(false, `FAIL  ${json.problem}`);
      continue;
    }
    // A case file wraps the report with what the hub knows of it: { reference, receivedAt, …, withheld, report }.
    const wrapped = folder !== '' ? (json.value as { report?: unknown; withheld?: unknown; reference?: unknown }) : undefined;
    const report = wrapped ? wrapped.report : json.value;
    const verdict = await verifyReport(report, source);
    add(verdict.ok, `${folder ? `== ${folder}\n` : ''}${formatVerdict(verdict)}`);
    if (wrapped && files[folder + RECEIPT_FILE]) {
      const receipt = parseJson(files, folder + RECEIPT_FILE);
      const withheld = Array.isArray(wrapped.withheld) ? wrapped.withheld.map(String) : [];
      const bundle = await verifyReceiptBundle(
        {
          label: `hub receipt for ${String(wrapped.reference)}`,
          receipt: receipt.ok ? receipt.value : undefined,
          ...(withheld.length === 0 ? { reportJson: report } : { reportAbsent: `withheld from this copy: ${withheld.join(', ')}` }),
          tokens: tokensIn(files, folder),
          evidence,
        },
        trustedCerts,
      );
      add(bundle.ok, formatBundleVerdict(bundle));
    }
  }
  if (files[REPORT_FILE]) {
    const receiptFolders = [...new Set(Object.keys(files).filter((name) => name.startsWith(RECEIPTS_DIR) && name.endsWith(`/${RECEIPT_FILE}`)).map((name) => name.slice(0, -RECEIPT_FILE.length)))].sort();
    for (const folder of receiptFolders) {
      const receipt = parseJson(files, folder + RECEIPT_FILE);
      const sent = parseJson(files, folder + REPORT_FILE);
      if (sent.ok) {
        const copy = await verifyReport(sent.value, source);
        add(copy.ok, `== ${folder}${REPORT_FILE} (the copy sent)\n${formatVerdict(copy)}`);
      }
      const bundle = await verifyReceiptBundle(
        {
          label: `hub receipt ${folder}`,
          receipt: receipt.ok ? receipt.value : undefined,
          ...(sent.ok ? { reportJson: sent.value } : { reportAbsent: 'the copy sent is not in the pack' }),
          tokens: tokensIn(files, folder),
          evidence,
        },
        trustedCerts,
      );
      add(bundle.ok && sent.ok, formatBundleVerdict(bundle));
    }
  }
  const sums = files[CASE_SUMS_FILE];
  if (sums) {
    const lines = strFromU8(sums).split('\n').filter(Boolean);
    const bad: string[] = [];
    for (const line of lines) {
      const [hash, name] = [line.slice(0, 64), line.slice(66)];
      const content = files[name];
      if (!content || (await sha256Hex(content as Uint8Array<ArrayBuffer>)) !== hash) bad.push(name);
    }
    const unlisted = Object.keys(files).filter((name) => name !== CASE_SUMS_FILE && !lines.some((line) => line.slice(66) === name));
    add(bad.length === 0 && unlisted.length === 0, `${bad.length === 0 && unlisted.length === 0 ? 'PASS' : 'FAIL'}  ${CASE_SUMS_FILE}: ${lines.length} files listed${bad.length ? `; changed or missing: ${bad.join(', ')}` : ''}${unlisted.length ? `; not listed: ${unlisted.join(', ')}` : ''}`);
  }
  sections.push(ok ? 'VERIFIED: every artefact, signature, receipt and timestamp checks out.' : 'NOT VERIFIED: see FAIL lines above.');
  return { ok, text: sections.join('\n') };
}
