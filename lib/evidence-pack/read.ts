/**
 * Reading an evidence pack back. Everything is checked before anything is used: the ZIP must open, its inflated
 * size must be sane (checked before inflating), `report.json` must pass the report schema, and every evidence file
 * the report names must be there with the right hash and size. The answer is a pack or a reason, never half of one.
 */
import { strFromU8, unzipSync, type Unzipped } from 'fflate';
import type { Artefact } from '../report/artefact';
import { sha256Hex } from '../hash';
import type { MessageKey } from '../i18n';
import { Report } from '../schema';
import { EVIDENCE_DIR, MAX_PACK_BYTES, REPORT_FILE } from './layout';
import type { EvidenceSource } from '../integrity/verify';

export interface Refusal {
  key: MessageKey;
  values?: Record<string, string>;
}

export type PackReading = { ok: true; report: Report; artefacts: Artefact[] } | { ok: false; refusal: Refusal };

class TooBigError extends Error {}

/** The ZIP's files, refusing before inflation when their declared sizes add up to too much. */
export function unzipPack(bytes: Uint8Array, limit = MAX_PACK_BYTES): { ok: true; files: Unzipped } | { ok: false; refusal: Refusal } {
  let total = 0;
  try {
    const files = unzipSync(bytes, {
      filter(file) {
        total += file.originalSize;
        if (total > limit) throw new TooBigError();
        return !file.name.endsWith('/');
      },
    });
    return { ok: true, files };
  } catch (error) {
    return { ok: false, refusal: { key: error instanceof TooBigError ? 'locker.tooBig' : 'locker.notZip' } };
  }
}

export async function readEvidencePack(bytes: Uint8Array, limit = MAX_PACK_BYTES): Promise<PackReading> {
  const opened = unzipPack(bytes, limit);
  if (!opened.ok) return opened;
  const files = opened.files;
  const json = files[REPORT_FILE];
  if (!json) return { ok: false, refusal: { key: 'locker.noReport' } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(strFromU8(json));
  } catch {
    return { ok: false, refusal: { key: 'locker.badReport', values: { detail: 'not JSON' } } };
  }
  const report = Report.safeParse(parsed);
  if (!report.success) {
    const issue = report.error.issues[0];
    return { ok: false, refusal: { key: 'locker.badReport', values: { detail: `${issue?.path.join('.') || 'report'}: ${issue?.message ?? ''}` } } };
  }
  const byHash = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const [name, content] of Object.entries(files)) {
    if (name.startsWith(EVIDENCE_DIR)) byHash.set(await sha256Hex(content as Uint8Array<ArrayBuffer>), content as Uint8Array<ArrayBuffer>);
  }
  const artefacts: Artefact[] = [];
  for (const evidence of report.data.items.flatMap((item) => item.evidence)) {
    const content = byHash.get(evidence.sha256);
    if (!content || content.byteLength !== evidence.bytes) {
      return { ok: false, refusal: { key: 'locker.missingFile', values: { detail: evidence.sha256.slice(0, 12) } } };
    }
    if (!artefacts.some((artefact) => artefact.sha256 === evidence.sha256)) {
      artefacts.push({ sha256: evidence.sha256, mediaType: evidence.mediaType, bytes: content });
    }
  }
  return { ok: true, report: report.data, artefacts };
}

/** A pack's report JSON and its files as an `EvidenceSource`, for `npm run verify -- pack.zip`. */
export function packForVerify(bytes: Uint8Array, limit = MAX_PACK_BYTES): { json: unknown; source: EvidenceSource } | Refusal {
  const opened = unzipPack(bytes, limit);
  if (!opened.ok) return opened.refusal;
  const files = opened.files;
  const json = files[REPORT_FILE];
  if (!json) return { key: 'locker.noReport' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(strFromU8(json));
  } catch {
    return { key: 'locker.badReport', values: { detail: 'not JSON' } };
  }
  return {
    json: parsed,
    source: {
      async *files() {
        for (const [name, content] of Object.entries(files)) {
          if (name.startsWith(EVIDENCE_DIR)) yield { name, bytes: content as Uint8Array<ArrayBuffer> };
        }
      },
    },
  };
}
