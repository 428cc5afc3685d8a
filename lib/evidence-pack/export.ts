/**
 * Writing an evidence pack: a ZIP a person can keep, hand to the police, or open again later. Files are added one
 * at a time through fflate's streaming writer so the page can show progress; pictures are stored, not deflated,
 * since PNG and JPEG are already compressed.
 */
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import type { Artefact } from '../report/artefact';
import { evidenceHashes, type Report } from '../schema';
import { REPORT_FILE, SUMMARY_FILE, evidencePath, manifestPath } from './layout';
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

interface Entry {
  name: string;
  bytes: Uint8Array;
  compress: boolean;
}

function entriesOf(report: Report, artefacts: readonly Artefact[], generatedAt: string): Entry[] {
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
  return [
    { name: REPORT_FILE, bytes: strToU8(JSON.stringify(report, null, 2)), compress: true },
    ...evidence,
    ...manifests,
    { name: SUMMARY_FILE, bytes: strToU8(summaryHtml(report, generatedAt)), compress: true },
  ];
}

/** The pack's bytes. Throws `MissingArtefactError` rather than write a pack that `verify` would fail. */
export async function buildEvidencePack(
  report: Report,
  artefacts: readonly Artefact[],
  options: { generatedAt: string; onProgress?(progress: PackProgress): void },
): Promise<Uint8Array<ArrayBuffer>> {
  const entries = entriesOf(report, artefacts, options.generatedAt);
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
