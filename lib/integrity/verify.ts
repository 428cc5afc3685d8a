/**
 * Checking a report's evidence: every artefact's bytes must hash to what the report says (and be as long), and each
 * item's capture manifest must carry a valid signature by the report's public key, cover every evidence entry of its
 * item, name the item's page and vouch for its text. Evidence bytes come from an `EvidenceSource`, so a directory,
 * loose files or (later) an evidence-pack ZIP are all the same to the checks.
 */
import { sha256Hex } from '../hash';
import { Report, type CaptureManifest, type Report as ReportType } from '../schema';
import { textMatches, verifyManifest } from './manifest';
import { canonicalJson } from './canonical';

/** Named byte blobs to match against the report by hash. */
export interface EvidenceSource {
  files(): AsyncIterable<{ name: string; bytes: Uint8Array<ArrayBuffer> }>;
}

export interface Check {
  ok: boolean;
  what: string;
}

export interface ItemVerdict {
  itemIndex: number;
  url: string;
  ok: boolean;
  checks: Check[];
}

export interface ReportVerdict {
  ok: boolean;
  /** Problems with the report as a whole (schema errors). */
  problems: string[];
  items: ItemVerdict[];
}

/** Index evidence by SHA-256; when the same content appears twice, the first name is kept. */
async function indexByHash(source: EvidenceSource): Promise<Map<string, { name: string; bytes: number }>> {
  const byHash = new Map<string, { name: string; bytes: number }>();
  for await (const file of source.files()) {
    const hash = await sha256Hex(file.bytes);
    if (!byHash.has(hash)) byHash.set(hash, { name: file.name, bytes: file.bytes.byteLength });
  }
  return byHash;
}

async function manifestChecks(report: ReportType, item: ReportType['items'][number], manifest: CaptureManifest): Promise<Check[]> {
  const checks: Check[] = [];
  if (!report.publicKey) return [{ ok: false, what: 'capture manifest present but the report carries no public key' }];
  checks.push({ ok: await verifyManifest(manifest, report.publicKey), what: 'capture manifest signature' });
  const covered = new Set(manifest.artefacts.map((artefact) => `${artefact.kind}:${artefact.sha256}`));
  for (const evidence of item.evidence) {
    checks.push({ ok: covered.has(`${evidence.kind}:${evidence.sha256}`), what: `manifest covers ${evidence.kind} ${evidence.sha256.slice(0, 12)}…` });
    // Areas the reporter hid are vouched for by the signature: the report's list must be the signed one.
    const signed = manifest.artefacts.find((artefact) => artefact.kind === evidence.kind && artefact.sha256 === evidence.sha256);
    if (evidence.hidden || signed?.hidden) {
      checks.push({ ok: canonicalJson(evidence.hidden ?? null) === canonicalJson(signed?.hidden ?? null), what: `hidden areas of ${evidence.kind} ${evidence.sha256.slice(0, 12)}… as signed` });
    }
  }
  checks.push({ ok: manifest.pageUrl === item.url, what: 'manifest page URL is the item URL' });
  const text = await textMatches(manifest, item.text);
  if (text !== undefined) checks.push({ ok: text, what: 'item text matches the signed text hash' });
  return checks;
}

export async function verifyReport(json: unknown, source: EvidenceSource): Promise<ReportVerdict> {
  const parsed = Report.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(report)'}: ${issue.message}`), items: [] };
  }
  const report = parsed.data;
  const files = await indexByHash(source);
  const items: ItemVerdict[] = [];
  for (const [itemIndex, item] of report.items.entries()) {
    const checks: Check[] = item.evidence.map((evidence) => {
      const file = files.get(evidence.sha256);
      if (!file) return { ok: false, what: `${evidence.kind} ${evidence.sha256.slice(0, 12)}…: no file has this hash (missing or altered)` };
      return { ok: file.bytes === evidence.bytes, what: `${evidence.kind} ${evidence.sha256.slice(0, 12)}… = ${file.name}${file.bytes === evidence.bytes ? '' : ` (size ${file.bytes}, report says ${evidence.bytes})`}` };
    });
    const manifests = (report.captureManifests ?? []).filter((manifest) => manifest.itemIndex === itemIndex);
    if (manifests.length === 0) {
      // Extension captures are always signed; uploads and manual entries have nothing to sign with.
      checks.push({ ok: item.captureMethod !== 'extension', what: 'capture manifest (none: unsigned)' });
    }
    for (const manifest of manifests) checks.push(...(await manifestChecks(report, item, manifest)));
    items.push({ itemIndex, url: item.url, ok: checks.every((check) => check.ok), checks });
  }
  return { ok: items.every((item) => item.ok), problems: [], items };
}

/** A human-readable verdict, one line per check. */
export function formatVerdict(verdict: ReportVerdict): string {
  const lines = verdict.problems.map((problem) => `INVALID REPORT  ${problem}`);
  for (const item of verdict.items) {
    lines.push(`${item.ok ? 'PASS' : 'FAIL'}  item ${item.itemIndex}  ${item.url}`);
    for (const check of item.checks) lines.push(`      ${check.ok ? 'ok  ' : 'FAIL'}  ${check.what}`);
  }
  lines.push(verdict.ok ? 'VERIFIED: every artefact and signature checks out.' : 'NOT VERIFIED: see FAIL lines above.');
  return lines.join('\n');
}
