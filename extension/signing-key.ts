/**
 * There is no install signing key any more: each copy of a report is signed with a key made for it and then dropped
 * (`lib/integrity/keys.ts`). Versions before that kept one key pair per install in its own IndexedDB database; it is
 * deleted at every start of the background, so no key that could tie reports to this computer stays on it.
 */
const LEGACY_DB_NAME = 'ohr-integrity';

export function forgetInstallKey(factory: IDBFactory = indexedDB, name = LEGACY_DB_NAME): Promise<void> {
  return new Promise((resolve) => {
    const request = factory.deleteDatabase(name);
    // Deleting a database that does not exist succeeds; a blocked or failed delete is tried again at the next start.
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
