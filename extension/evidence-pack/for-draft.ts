/**
 * The evidence pack of one report on this computer, as the report form and the reports page both offer it: the report
 * as frozen and signed for sending once it has been sent, the draft's answers until then; with each organisation's
 * signed receipt (and the copy it covers) once they have acknowledged it, and the capture environment.
 */
import { captureEnvironment } from '@/lib/evidence-pack/environment';
import { buildEvidencePack, type PackProgress, type PackReceipt } from '@/lib/evidence-pack/export';
import { reportFromAnswers, type ClientInfo } from '@/lib/report/from-answers';
import type { Report } from '@/lib/schema';
import { browserName } from '../background/browser-name';
import { DraftMissingError, type DraftStore } from '../drafts';
import type { OhrDatabase } from '../db';
import { deliveryKey, frozenReport } from '../outbox';

/** The receipts organisations signed for this draft's copies, each with the copy exactly as it was sent. */
export async function receiptsOf(db: OhrDatabase, draftId: string): Promise<PackReceipt[]> {
  const deliveries = await db.getAllFromIndex('deliveries', 'byReport', draftId);
  const receipts: PackReceipt[] = [];
  for (const delivery of deliveries.sort((a, b) => a.endpoint.localeCompare(b.endpoint))) {
    const signed = delivery.receipt?.signedReceipt;
    if (!signed) continue;
    // Deliveries queued before copies were per destination sent the copy kept under the draft's id.
    const copy = (await db.get('reports', deliveryKey(delivery))) ?? (await db.get('reports', draftId));
    // The tokens the hub gave with the status (`?include=timestamps`), kept with the delivery's last status.
    const timestamps = (delivery.remote?.timestamps ?? []).map((stamp) => Uint8Array.from(atob(stamp.token), (char) => char.charCodeAt(0)));
    if (copy) receipts.push({ report: copy.report, receipt: signed, timestamps });
  }
  return receipts;
}

export async function evidencePackFor(
  drafts: DraftStore,
  draftId: string,
  client: ClientInfo,
  onProgress: (progress: PackProgress) => void,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; filename: string }> {
  const frozen = await frozenReport(drafts.db, draftId);
  const draft = await drafts.get(draftId);
  const report: Report | undefined = frozen ?? (draft && reportFromAnswers(draft, client));
  if (!report) throw new DraftMissingError(draftId);
  const now = new Date();
  const stamp = now.toISOString();
  const receipts = await receiptsOf(drafts.db, draftId);
  const artefacts = await drafts.artefactsFor(report);
  const environment = captureEnvironment({ tool: report.client, browser: report.captureManifests?.[0]?.browser ?? browserName(navigator), at: now });
  const bytes = await buildEvidencePack(report, artefacts, { generatedAt: stamp, onProgress, receipts, environment });
  return { bytes, filename: `evidence-pack-${stamp.slice(0, 10)}-${draftId.slice(0, 8)}.zip` };
}
