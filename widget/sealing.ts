/**
 * Where the widget seals the reporter's personal data (issue 23): for a hub whose discovery publishes an
 * `encryptionKey`, an identified report's name, email, phone and access needs are sealed before it is kept in the
 * outbox or sent. HPKE comes from the hub (`seal-entry.ts`, served as `/widget/seal.js`), loaded only then, so the
 * widget's script carries only this. If it cannot be loaded or fails, this rejects: the report is not sent with the
 * details in clear to a hub that asked for them sealed (`Widget` tells the person and keeps the form as it was).
 */
import type { Discovery } from '@/lib/schema';
import { hubModule } from './hub-module';
import type { Entry } from './outbox';

type SealModule = typeof import('./seal-entry');

export async function sealed(discovery: Discovery, entry: Entry): Promise<Entry> {
  // An identified report to a hub with a key: the module seals whatever details it carries (none: it is left as it was).
  if (!discovery.encryptionKey || entry.answers.reporter?.anonymous !== false) return entry;
  return (await hubModule<SealModule>(discovery, 'seal.js')).sealEntry(entry, discovery.encryptionKey);
}
