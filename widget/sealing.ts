/**
 * Where the widget seals the reporter's personal data (issue 23): for a hub whose discovery publishes an
 * `encryptionKey`, a report that carries a name, email, phone or access needs is sealed before it is kept in the
 * outbox or sent. HPKE comes from the hub (`seal-entry.ts`, served as `/widget/seal.js`), loaded only then, so the
 * widget's script carries only this. If it cannot be loaded or fails, this rejects: the report is not sent with the
 * details in clear to a hub that asked for them sealed (`Widget` tells the person and keeps the form as it was).
 */
import type { Discovery } from '@/lib/schema';
import type { Entry } from './outbox';

type SealModule = typeof import('./seal-entry');

export async function sealed({ encryptionKey, submitUrl }: Discovery, entry: Entry): Promise<Entry> {
  const reporter = entry.answers.reporter;
  if (!encryptionKey || reporter?.anonymous !== false || !(reporter.name || reporter.email || reporter.phone || reporter.accessNeeds)) return entry;
  return ((await import(/* @vite-ignore */ new URL('/widget/seal.js', submitUrl).href)) as SealModule).sealEntry(entry, encryptionKey);
}
