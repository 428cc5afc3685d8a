/**
 * The per-install signing key: ECDSA P-256 made once with WebCrypto. The private key is created non-extractable, so
 * no script — ours included — can read it out; it is kept as a `CryptoKey` object in IndexedDB (structured clone
 * keeps it usable and still non-extractable). Only the public half leaves the browser, as a JWK in each report.
 */
import { openDB } from 'idb';
import { PublicKeyJwk, type PublicKeyJwk as PublicKeyJwkType } from '../schema';

/** Where the key pair lives between service-worker lifetimes. */
export interface KeyStore {
  get(): Promise<CryptoKeyPair | undefined>;
  put(pair: CryptoKeyPair): Promise<void>;
}

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicKeyJwkType;
}

export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

const DB_NAME = 'ohr-integrity';
const STORE = 'keys';
const KEY = 'install-signing-key';

/** The extension's store: one IndexedDB record holding the `CryptoKeyPair`. */
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

/** For tests and for contexts without IndexedDB. */
export function memoryKeyStore(): KeyStore {
  let stored: CryptoKeyPair | undefined;
  return {
    get: async () => stored,
    put: async (pair) => {
      if (stored) throw new Error('a key pair is already stored');
      stored = pair;
    },
  };
}

export async function exportPublicJwk(publicKey: CryptoKey): Promise<PublicKeyJwkType> {
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
  return PublicKeyJwk.parse({ kty, crv, x, y });
}

/** The install's key, made on first use. If another context stored one first, that one is used. */
export async function installSigningKey(store: KeyStore): Promise<SigningKey> {
  let pair = await store.get();
  if (!pair) {
    const made = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
    try {
      await store.put(made);
      pair = made;
    } catch (error) {
      pair = await store.get();
      if (!pair) throw error;
    }
  }
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk: await exportPublicJwk(pair.publicKey) };
}
