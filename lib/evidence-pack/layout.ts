/**
 * Where things live inside an evidence pack. One module so the writer, the reader and `npm run verify` agree.
 * - `report.json`: the report exactly as frozen (and signed) for sending
 * - `evidence/<sha256>.<ext>`: each artefact, named by its hash so anyone can check it with `sha256sum`; an HTML
 *   snapshot as `<sha256>.html.txt`, an inert text file (issue 17: opened as `.html` from an unzipped folder, the
 *   captured page's markup ran in the officer's browser). Readers and `npm run verify` find evidence by hash under
 *   `evidence/`, whatever its name, so packs saved before with `.html` still read and verify.
 * - `manifests/item-<n>.json`: each signed capture manifest on its own, for people who read files rather than JSON paths
 * - `summary.html`: a printable, text-only account for a police officer
 */
import type { EvidenceMediaType } from '../schema';

export const REPORT_FILE = 'report.json';
export const SUMMARY_FILE = 'summary.html';
export const EVIDENCE_DIR = 'evidence/';
export const MANIFEST_DIR = 'manifests/';

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
