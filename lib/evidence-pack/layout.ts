/**
 * Where things live inside an evidence pack. One module so the writer, the reader and `npm run verify` agree.
 * - `report.json`: the report exactly as frozen (and signed) for sending
 * - `evidence/<sha256>.<ext>`: each artefact, named by its hash so anyone can check it with `sha256sum`; an HTML
 *   snapshot as `<sha256>.html.txt`, an inert text file (issue 17: opened as `.html` from an unzipped folder, the
 *   captured page's markup ran in the officer's browser). Readers and `npm run verify` find evidence by hash under
 *   `evidence/`, whatever its name, so packs saved before with `.html` still read and verify.
 * - `manifests/item-<n>.json`: each signed capture manifest on its own, for people who read files rather than JSON paths
 * - `summary.html`: a printable, text-only account for a police officer
 * - `receipts/<n>/`: for each organisation that acknowledged the report with a signed receipt, the copy sent to it
 *   (`report.json`, exactly as sent: the receipt covers its canonical hash), the hub's `receipt.json` and any RFC 3161
 *   tokens (`timestamps/<m>.tst`); the evidence is the pack's own `evidence/` (the same files, by hash)
 * - `environment.json`: what the capture was made with and how its times were taken (never sent to anyone)
 */
import type { EvidenceMediaType } from '../schema';

export const REPORT_FILE = 'report.json';
export const SUMMARY_FILE = 'summary.html';
export const EVIDENCE_DIR = 'evidence/';
export const MANIFEST_DIR = 'manifests/';
export const RECEIPTS_DIR = 'receipts/';
export const ENVIRONMENT_FILE = 'environment.json';
export const RECEIPT_FILE = 'receipt.json';
export const TIMESTAMPS_DIR = 'timestamps/';

/** Where the n-th receipt's files go (n from 1), inside a pack. */
export function receiptFolder(n: number): string {
  return `${RECEIPTS_DIR}${n}/`;
}

/** The m-th timestamp token of a receipt (m from 1), inside its folder: DER of the RFC 3161 TimeStampToken. */
export function timestampPath(folder: string, m: number): string {
  return `${folder}${TIMESTAMPS_DIR}${m}.tst`;
}

/** An import larger than this, once inflated, is refused before it is inflated (a ZIP bomb costs nothing to send). */
export const MAX_PACK_BYTES = 512 * 1024 * 1024;

const EXTENSIONS: Record<EvidenceMediaType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  // Never `.html`: a snapshot is someone else's markup, to be read as source, not opened as a page.
  'text/html': 'html.txt',
};

export function evidencePath(sha256: string, mediaType: EvidenceMediaType): string {
  return `${EVIDENCE_DIR}${sha256}.${EXTENSIONS[mediaType]}`;
}

export function manifestPath(itemIndex: number): string {
  return `${MANIFEST_DIR}item-${itemIndex}.json`;
}
