/**
 * Opening an evidence pack into the local store: after `readEvidencePack` has checked all of it, the report becomes
 * a draft again, under the pack's report id, with its evidence bytes, written in one transaction. A pack keeps the
 * draft's id (which no organisation receives: each gets a copy with an id of its own), so a report already on this
 * computer is recognised and refused rather than overwritten or doubled.
 */
import { readEvidencePack, type Refusal } from '@/lib/evidence-pack/read';
import { detailsFromReport } from '@/lib/report/from-report';
import type { DraftStore } from '../drafts';

export type ImportResult = { ok: true; draftId: string; createdAt: string; items: number } | { ok: false; refusal: Refusal };

export async function importEvidencePack(store: DraftStore, bytes: Uint8Array, now: string): Promise<ImportResult> {
  const reading = await readEvidencePack(bytes);
  if (!reading.ok) return reading;
  const { report, artefacts } = reading;
  if (await store.get(report.id)) return { ok: false, refusal: { key: 'locker.exists' } };
  try {
    await store.create(
      {
        id: report.id,
        createdAt: report.createdAt,
        updatedAt: now,
        items: report.items,
        summary: report.incident.summary,
        details: detailsFromReport(report),
        status: 'draft',
      },
      artefacts,
    );
  } catch {
    // Another page imported the same report between the check and the write.
    return { ok: false, refusal: { key: 'locker.exists' } };
  }
  return { ok: true, draftId: report.id, createdAt: report.createdAt, items: report.items.length };
}
