/**
 * The evidence pack of one report on this computer, as the report form and the reports page both offer it: the report
 * as frozen and signed for sending once it has been sent, the draft's answers until then.
 */
import { buildEvidencePack, type PackProgress } from '@/lib/evidence-pack/export';
import { reportFromAnswers, type ClientInfo } from '@/lib/report/from-answers';
import { DraftMissingError, type DraftStore } from '../drafts';
import { frozenReport } from '../outbox';

export async function evidencePackFor(
  drafts: DraftStore,
  draftId: string,
  client: ClientInfo,
  onProgress: (progress: PackProgress) => void,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; filename: string }> {
  const frozen = await frozenReport(drafts.db, draftId);
  const draft = await drafts.get(draftId);
  const report = frozen ?? (draft && reportFromAnswers(draft, client));
  if (!report) throw new DraftMissingError(draftId);
  const now = new Date().toISOString();
  const bytes = await buildEvidencePack(report, await drafts.artefactsFor(report), { generatedAt: now, onProgress });
  return { bytes, filename: `evidence-pack-${now.slice(0, 10)}-${draftId.slice(0, 8)}.zip` };
}
