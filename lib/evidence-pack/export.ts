/**
 * Writing an evidence pack: a ZIP a person can keep, hand to the police, or open again later. Files are added one
 * at a time through fflate's streaming writer so the page can show progress; pictures are stored, not deflated,
 * since PNG and JPEG are already compressed.
 */
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import type { Artefact } from '../report/artefact';
import { evidenceHashes, type Report, type SignedReceipt } from '../schema';
import { ENVIRONMENT_FILE, RECEIPT_FILE, REPORT_FILE, SUMMARY_FILE, evidencePath, manifestPath, receiptFolder, timestampPath } from './layout';
import { summaryHtml } from './summary';

export interface PackProgress {
  done: number;
  total: number;
}

export class MissingArtefactError extends Error {
  constructor(readonly sha256: string) {
    super(`the evidence file ${sha256} is not on this computer`);
  }
}

/** A receipt an organisation's hub signed for the copy of the report sent to it, with that copy exactly as sent. */
export interface PackReceipt {
  report: Report;
  receipt: SignedReceipt;
  /** RFC 3161 tokens over the copy's hash, DER, when the person's browser has them. */
  timestamps?: readonly Uint8Array[];
}

/**
 * What the capture was made with and how its times were taken (Berkeley Protocol: who collected it and with what).
 * Kept in the person's own pack only: never in a report sent to anyone (it would tell an organisation, or link
 * reports by, the person's time zone and exact browser).
 */
export interface CaptureEnvironment {
  tool: { app: string; version: string };
  browser: string;
  timeSource: string;
  timeZone: string;
  /** The computer's offset from UTC when the pack was made, e.g. "+01:00". */
  utcOffset: string;
}

export interface PackExtras {
  receipts?: readonly PackReceipt[];
  environment?: CaptureEnvironment;
}

interface Entry {
  name: string;
  bytes: Uint8Array;
  compress: boolean;
}

const jsonEntry = (name: string, value: unknown): Entry => ({ name, bytes: strToU8(JSON.stringify(value, null, 2)), compress: true });

/** Each receipt in its folder: the copy exactly as sent (the receipt covers its canonical hash), the receipt, its tokens. */
function receiptEntries(receipts: readonly PackReceipt[]): Entry[] {
  return receipts.flatMap(({ report, receipt, timestamps = [] }, index) => {
    const folder = receiptFolder(index + 1);
    return [
      jsonEntry(folder + REPORT_FILE, report),
      jsonEntry(folder + RECEIPT_FILE, receipt),
      ...timestamps.map((token, at) => ({ name: timestampPath(folder, at + 1), bytes: token, compress: false })),
    ];
  });
}

function entriesOf(report: Report, artefacts: readonly Artefact[], generatedAt: string, extras: PackExtras = {}): Entry[] {
  const byHash = new Map(artefacts.map((artefact) => [artefact.sha256, artefact]));
  const evidence = evidenceHashes(report).map((sha256) => {
    const artefact = byHash.get(sha256);
    if (!artefact) throw new MissingArtefactError(sha256);
    return { name: evidencePath(sha256, artefact.mediaType), bytes: artefact.bytes, compress: artefact.mediaType === 'text/html' };
  });
  const manifests = (report.captureManifests ?? []).map((manifest) => ({
    name: manifestPath(manifest.itemIndex),
    bytes: strToU8(JSON.stringify(manifest, null, 2)),
    compress: true,
  }));
  // The copies sent carry the same captures; any file only they name is added when this computer still has it.
  const own = new Set(evidenceHashes(report));
  const sentEvidence = [...new Set((extras.receipts ?? []).flatMap((receipt) => evidenceHashes(receipt.report)))]
    .filter((sha256) => !own.has(sha256))
    .flatMap((sha256) => {
      const artefact = byHash.get(sha256);
      return artefact ? [{ name: evidencePath(sha256, artefact.mediaType), bytes: artefact.bytes, compress: artefact.mediaType === 'text/html' }] : [];
    });
  return [
    { name: REPORT_FILE, bytes: strToU8(JSON.stringify(report, null, 2)), compress: true },
    ...evidence,
    ...sentEvidence,
    ...manifests,
    ...receiptEntries(extras.receipts ?? []),
    ...(extras.environment ? [jsonEntry(ENVIRONMENT_FILE, extras.environment)] : []),
    { name: SUMMARY_FILE, bytes: strToU8(summaryHtml(report, generatedAt)), compress: true },
  ];
}

/** The pack's bytes. Throws `MissingArtefactError` rather than write a pack that `verify` would fail. */
export async function buildEvidencePack(
  report: Report,
  artefacts: readonly Artefact[],
  options: { generatedAt: string; onProgress?(progress: PackProgress): void } & PackExtras,
): Promise<Uint8Array<ArrayBuffer>> {
  const entries = entriesOf(report, artefacts, options.generatedAt, options);
  const chunks: Uint8Array[] = [];
  const finished = new Promise<void>((resolve, reject) => {
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      chunks.push(chunk);
      if (final) resolve();
    });
    void (async () => {
      for (const [index, entry] of entries.entries()) {
        const file = entry.compress ? new ZipDeflate(entry.name, { level: 6 }) : new ZipPassThrough(entry.name);
        zip.add(file);
        file.push(entry.bytes, true);
        options.onProgress?.({ done: index + 1, total: entries.length });
        // Let the page paint the progress between files.
        await new Promise((next) => setTimeout(next, 0));
      }
      zip.end();
    })().catch(reject);
  });
  await finished;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
