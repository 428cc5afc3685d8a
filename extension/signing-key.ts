/**
 * Where the extension keeps its install's signing key (`lib/integrity/keys.ts`): one IndexedDB record holding the
 * `CryptoKeyPair`, in its own small database, so the key survives service-worker restarts and stays non-extractable.
 */
import { openDB } from 'idb';
import type { KeyStore } from '@/lib/integrity/keys';

const DB_NAME = 'ohr-integrity';
const STORE = 'keys';
const KEY = 'install-signing-key';

export function idbKeyStore(dbName = DB_NAME): KeyStore {
  const db = () => openDB(dbName, 1, { upgrade: (database) => void database.createObjectStore(STORE) });
  return {
    async get() {
      const database = await db();
      try {
        return (await database.get(STORE, KEY)) as CryptoKeyPair | undefined;
      } finally {
        database.close();
      }
    },
    async put(pair) {
      const database = await db();
      try {
        // `add`, not `put`: if two contexts race to create the key, the second fails instead of replacing the first.
        await database.add(STORE, pair, KEY);
      } finally {
        database.close();
      }
    },
  };
}
