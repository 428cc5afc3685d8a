/**
 * The police case file: one ZIP for a report or a cluster, laid out like the extension's evidence pack so the same
 * habits (and `sha256sum -c`) work on both:
 * - `reports/<reference>/report.json` — the report as received, with what the hub knows of it (status, urgency);
 *   the reporter's name, email, phone and safe times only where they agreed to the police being told *and* to
 *   sharing contact details (what was withheld is listed in the file). It keeps the report's `publicKey`, so the
 *   police can repeat the signature check themselves; the key was made for this one copy of this one report, so it
 *   ties it to no other report, from the same person or not (docs/design.md, "Signing without linking")
 * - `reports/<reference>/manifests/item-<n>.json` and `verification.txt` — each signed capture manifest and the result
 *   of checking every hash and signature (`lib/integrity`) against the bytes the hub holds
 * - `evidence/<sha256>.<ext>` — each artefact once, named by its hash
 * - `summary.html` (Preact, escaped) and `summary.txt` — printable; `audit-trail.json` — the chain of custody: who
 *   did what to each report and when (`custodyOf`), never an internal note's body, the words of a public note or
 *   any contact detail, whatever the audit row holds
 * - `reports/<reference>/receipt.json`, `timestamps/<n>.tst`, `custody.txt` and `exhibit.pdf` — the hub's signed
 *   receipt, the RFC 3161 tokens over the report's SHA-256, the chain of custody in words, and the exhibit for the
 *   police (exhibit-pdf.ts); `npm run verify` checks the receipt and the tokens too
 * - `SHA256SUMS` — over every other file, in `sha256sum` format
 * Deterministic: files in name order, one timestamp (the time it was produced) on every entry, so the same input
 * gives the same bytes and the ZIP's own SHA-256 recorded in the audit log identifies it (case-zip.ts packs it).
 *
 * Sealed contact details (issue 23): the reporter's sealed block never goes to the police (`reporter.sealed` is listed
 * in `withheld`). Where the reporter agreed to the police being told and to sharing contact details, a moderator can
 * ask for them to be added (`addSealedContact`): the hub, which cannot open them, writes the case file saying so, and
 * the moderator's browser (add-contact.ts) opens each block with the organisation's key, adds
 * `reports/<reference>/contact.json`, re-packs the ZIP with a new SHA256SUMS and has the hub record the final file's
 * SHA-256 (`referral.case_file_contact`) before it is saved. The hub never sees the opened details.
 */
import { strToU8 } from 'fflate';
import { sha256Hex } from '../../hash';
import { evidencePath, manifestPath } from '../../../lib/evidence-pack/layout';
import { formatVerdict, verifyReport, type EvidenceSource } from '../../../lib/integrity/verify';
import type { Report, SignedReceipt } from '../../../lib/schema';
import type { StoredTimestamp } from '../../domain/timestamps';
import { CONTACT_FILE, json, packCaseFile, reportFolder } from './case-zip';
import { custodyLines } from './custody-words';
import { exhibitPdf } from './exhibit-pdf';
import { caseSummaryHtml, caseSummaryText, type CaseReport } from './case-summary';
import type { AuditEntry, HeldReport, StoredEvidence } from './sources';

/**
 * One line of the case file's chain of custody: what was done to a report, by whom, when, and how its status moved.
 * An allow-list, read from the audit row field by field: the audit log keeps what the console needs (an internal
 * note's body, the public note's words), and none of that is the police's to read (issue 17, finding 4). What it
 * carries per action:
 * - `status`, `withdraw`: the status before and after, and the outcome when closed; a duplicate, what of
 * - `assign`: whether the report was given to a moderator or taken from one (the actor is named; the assignee is not)
 * - `referral.*`: the SHA-256 of what was handed out, so each referral can be matched to its file (for a case file
 *   with opened contact details added, the final file's)
 * - `evidence.view`: the SHA-256 of the evidence file a moderator opened
 * - `note`, `public_note`, `contact.reveal` and any other action: only that it happened, who and when
 */
export interface CustodyEntry {
  at: string;
  reference: string;
  /** The moderator's email; null for the reporter (a withdrawal) or the hub. */
  actor: string | null;
  action: string;
  statusBefore?: string;
  statusAfter?: string;
  outcome?: string;
  duplicateOf?: string;
  assigned?: boolean;
  sha256?: string;
}

const field = (value: unknown, key: string): unknown => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && /^[a-z_]{1,40}$/.test(value) ? value : undefined);

export function custodyOf(entry: AuditEntry): CustodyEntry {
  const base: CustodyEntry = { at: entry.at, reference: entry.reference ?? '', actor: entry.actor, action: entry.action };
  switch (entry.action) {
    case 'status':
    case 'withdraw': {
      const duplicateOf = field(entry.after, 'duplicateOf');
      if (typeof duplicateOf === 'string' && /^OHR-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(duplicateOf)) return { ...base, duplicateOf };
      const statusBefore = text(field(entry.before, 'status'));
      const statusAfter = text(field(entry.after, 'status'));
      const outcome = text(field(entry.after, 'outcome'));
      return { ...base, ...(statusBefore ? { statusBefore } : {}), ...(statusAfter ? { statusAfter } : {}), ...(outcome ? { outcome } : {}) };
    }
    case 'assign':
      return { ...base, assigned: field(entry.after, 'assignedTo') != null };
    case 'evidence.view':
    case 'referral.dsa_notice':
    case 'referral.case_file':
    case 'referral.case_file_contact': {
      const sha256 = field(entry.after, 'sha256');
      return typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256) ? { ...base, sha256 } : base;
    }
    default:
      return base;
  }
}

export { SUMS_FILE } from './case-zip';

/** What the hub holds to prove a report's receipt and time (sources.ts `loadProof`). */
export interface ReportProof {
  /** SHA-256 of the report's canonical JSON as received. */
  reportSha256: string;
  receipt?: SignedReceipt | undefined;
  timestamps: StoredTimestamp[];
}

export interface CaseFileInput {
  organisation: string;
  /** Per reference; absent: the case file says no receipt and no timestamps. */
  proof?: ReadonlyMap<string, ReportProof>;
  /** Where the hub publishes its receipt keys (its discovery address), named in the exhibit. */
  keysUrl?: string;
  generatedAt: string;
  reports: readonly HeldReport[];
  evidence: readonly StoredEvidence[];
  audit: readonly AuditEntry[];
  /**
   * The references whose sealed contact details the moderator's browser will add as contact.json; only those that
   * `canAddSealedContact` are taken. Their report.json names the file instead of listing the sealed block as withheld.
   */
  addSealedContact?: ReadonlySet<string>;
}

export type CaseFileResult =
  | {
      ok: true;
      bytes: Uint8Array<ArrayBuffer>;
      sha256: string;
      files: string[];
      references: string[];
      withoutConsent: string[];
      /** The references whose report.json says the moderator's browser adds contact.json. */
      sealedAdded: string[];
    }
  | { ok: false; withoutConsent: string[] };

/** Whether a moderator may add this report's sealed contact details to a police case file: it has them sealed, and the reporter agreed to both. */
export function canAddSealedContact(report: Report): boolean {
  const { sealed, consents } = report.reporter;
  return sealed !== undefined && consents.police && consents.shareContact;
}

/**
 * The report as it goes to the police: contact details removed unless the reporter agreed to share them, and the
 * sealed block never (the police cannot open it). `sealedAdded`: its details go in contact.json instead, so it is not
 * listed as withheld; honoured only where `canAddSealedContact`.
 */
export function forPolice(report: Report, sealedAdded = false): { report: Report; withheld: string[] } {
  const { sealed, ...reporter } = report.reporter;
  const sealedWithheld = sealed && !(sealedAdded && canAddSealedContact(report)) ? ['reporter.sealed'] : [];
  if (reporter.consents.police && reporter.consents.shareContact) return { report: { ...report, reporter }, withheld: sealedWithheld };
  const { name, email, phone, ...rest } = reporter;
  const { safeTimes, ...contact } = reporter.contact;
  const withheld = Object.entries({ name, email, phone, 'contact.safeTimes': safeTimes })
    .filter(([, value]) => value !== undefined)
    .map(([field]) => `reporter.${field}`);
  // With no way to reach them left, the channel says so rather than pointing at a removed field.
  return { report: { ...report, reporter: { ...rest, contact: { ...contact, channel: 'none' } } }, withheld: [...withheld, ...sealedWithheld] };
}

function sourceOf(evidence: readonly StoredEvidence[]): EvidenceSource {
  return {
    async *files() {
      for (const file of evidence) yield { name: file.sha256, bytes: file.bytes as Uint8Array<ArrayBuffer> };
    },
  };
}

/**
 * The ZIP for these reports. Reports whose reporter did not agree to the police being told are left out (listed in
 * `withoutConsent`); with none left there is no case file.
 */
export async function buildCaseFile(input: CaseFileInput): Promise<CaseFileResult> {
  const withoutConsent = input.reports.filter((held) => !held.report.reporter.consents.police).map((held) => held.reference);
  const included = input.reports.filter((held) => held.report.reporter.consents.police);
  if (included.length === 0) return { ok: false, withoutConsent };
  const source = sourceOf(input.evidence);
  const references = new Set(included.map((held) => held.reference));
  const custody = input.audit.filter((entry) => entry.reference !== null && references.has(entry.reference)).map(custodyOf);
  const entries: CaseReport[] = [];
  const files = new Map<string, Uint8Array>();
  for (const held of included) {
    const sealedAdded = (input.addSealedContact?.has(held.reference) ?? false) && canAddSealedContact(held.report);
    const { report, withheld } = forPolice(held.report, sealedAdded);
    const verdict = await verifyReport(held.report, source);
    entries.push({ held, report, withheld, verdict, sealedAdded });
    const folder = reportFolder(held.reference);
    const { report: _received, ...facts } = held;
    files.set(`${folder}report.json`, json({ ...facts, withheld, ...(sealedAdded ? { contactDetails: CONTACT_FILE } : {}), report }));
    for (const manifest of report.captureManifests ?? []) files.set(folder + manifestPath(manifest.itemIndex), json(manifest));
    files.set(`${folder}verification.txt`, strToU8(`${formatVerdict(verdict)}\n`));
    const proof = input.proof?.get(held.reference);
    if (proof?.receipt) files.set(`${folder}receipt.json`, json(proof.receipt));
    const granted = (proof?.timestamps ?? []).filter((stamp) => stamp.state === 'granted' && stamp.token);
    granted.forEach((stamp, index) => files.set(`${folder}timestamps/${index + 1}.tst`, Uint8Array.from(Buffer.from(stamp.token!, 'base64'))));
    const reportSha256 = proof?.reportSha256 ?? '';
    const lines = custodyLines({ at: held.receivedAt, reference: held.reference, hub: input.organisation, sha256: reportSha256 }, custody);
    files.set(`${folder}custody.txt`, strToU8(`${lines.join('\n')}\n`));
    const evidence = input.evidence.filter((file) => held.report.items.some((item) => item.evidence.some((entry) => entry.sha256 === file.sha256)));
    files.set(
      `${folder}exhibit.pdf`,
      await exhibitPdf({
        exhibit: held.reference,
        organisation: input.organisation,
        generatedAt: input.generatedAt,
        reference: held.reference,
        receivedAt: held.receivedAt,
        report,
        verdict,
        evidence,
        reportSha256,
        receipt: proof?.receipt,
        keysUrl: input.keysUrl ?? '/.well-known/ohr',
        // Granted first, numbered as their files are; those still asked for after them.
        timestamps: [...granted, ...(proof?.timestamps ?? []).filter((stamp) => !granted.includes(stamp))],
        custody: lines,
      }),
    );
  }
  const needed = new Set(included.flatMap((held) => held.report.items.flatMap((item) => item.evidence.map((evidence) => evidence.sha256))));
  for (const file of input.evidence) if (needed.has(file.sha256)) files.set(evidencePath(file.sha256, file.mediaType), file.bytes);
  const summary = { organisation: input.organisation, generatedAt: input.generatedAt, reports: entries, custody };
  files.set('summary.html', strToU8(caseSummaryHtml(summary)));
  files.set('summary.txt', strToU8(caseSummaryText(summary)));
  files.set('audit-trail.json', json(custody));
  const packed = await packCaseFile(files, input.generatedAt, sha256Hex);
  const sealedAdded = entries.filter((entry) => entry.sealedAdded).map((entry) => entry.held.reference);
  return { ok: true, bytes: packed.bytes, sha256: await sha256Hex(packed.bytes), files: packed.names, references: [...references], withoutConsent, sealedAdded };
}
