/**
 * One organisation's copy of a report with the reporter's personal data sealed to that organisation's key (issue 23),
 * when its discovery publishes one: name, phone, access needs and email leave the browser only as ciphertext that the
 * hub cannot read. An email the reporter asked to be updated at stays readable as well, since the hub itself must
 * write to it (the form says so beside the question). Kept out of `from-answers.ts`, so a client pays for HPKE only
 * when it seals.
 */
import { sealPersonal } from '../crypto/seal';
import type { EncryptionKey, PersonalData, Report } from '../schema';

export async function withSealedPersonal(report: Report, key: EncryptionKey | undefined): Promise<Report> {
  const { reporter } = report;
  if (!key || reporter.anonymous || reporter.sealed) return report;
  const { name, email, phone, accessNeeds, ...rest } = reporter;
  const data: PersonalData = { ...(name ? { name } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(accessNeeds ? { accessNeeds } : {}) };
  if (Object.keys(data).length === 0) return report;
  const keepEmail = reporter.consents.emailUpdates === true && email !== undefined;
  return { ...report, reporter: { ...rest, ...(keepEmail ? { email } : {}), sealed: await sealPersonal(key, data, report.id) } };
}
