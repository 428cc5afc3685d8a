/**
 * The reporter's personal data sealed to the organisation (issue 23), as a module of its own: the build writes it
 * beside the widget's script as `seal.js` (widget/vite.config.ts), the hub serves it at `/widget/seal.js`, and the
 * widget loads it (`sealing.ts`) only for a report with personal details to a hub whose discovery publishes an
 * `encryptionKey`, so HPKE stays out of the widget's first script.
 *
 * The report, built once under the entry's id (the seal is bound to it, and the id is the idempotency key, so every
 * attempt sends these same bytes), is kept in the entry as `report`; the answers keep no name, email, phone or access
 * needs beyond what the report itself carries in clear (an email the person asked to be updated at). So the outbox,
 * in this page's memory or in IndexedDB, holds the details only as ciphertext.
 */
import { withSealedPersonal } from '@/lib/report/seal-personal';
import type { EncryptionKey } from '@/lib/schema';
import type { Entry } from './outbox';
import { buildReport } from './report';

export async function sealEntry(entry: Entry, key: EncryptionKey): Promise<Entry> {
  const report = await withSealedPersonal(buildReport(entry.id, entry.answers, entry.items, entry.createdAt), key);
  if (!report.reporter.sealed) return entry;
  const { name: _name, phone: _phone, accessNeeds: _accessNeeds, email, ...reporter } = entry.answers.reporter ?? {};
  const answers = { ...entry.answers, reporter: { ...reporter, ...(report.reporter.email ? { email } : {}) } };
  return { ...entry, answers, report };
}
