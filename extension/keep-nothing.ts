/**
 * "Keep nothing on this computer after a report is sent", for the background to call after each acknowledgement
 * (when a delivery is marked sent). It deletes the report's local copy — draft, evidence bytes no other report
 * uses, frozen report, deliveries with their receipts — only when the person asked for it and every organisation
 * has acknowledged the report, so nothing still waiting to be sent is ever lost.
 */
import type { Delivery } from './db';
import { shouldForgetAfterSend, type Settings } from './settings';

export interface ForgetDeps {
  loadSettings(): Promise<Settings>;
  deliveriesOf(reportId: string): Promise<ReadonlyArray<Pick<Delivery, 'status'>>>;
  /** `Outbox.deleteLocal`. */
  deleteLocal(reportId: string): Promise<void>;
}

/** True when the local copy was deleted. */
export async function forgetIfDelivered(deps: ForgetDeps, reportId: string): Promise<boolean> {
  const [settings, deliveries] = await Promise.all([deps.loadSettings(), deps.deliveriesOf(reportId)]);
  if (!shouldForgetAfterSend(settings, deliveries.map((delivery) => delivery.status))) return false;
  await deps.deleteLocal(reportId);
  return true;
}
