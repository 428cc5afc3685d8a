/**
 * The per-install signing key: ECDSA P-256 made once with WebCrypto. The private key is created non-extractable, so
 * no script — ours included — can read it out; the extension keeps it as a `CryptoKey` object in IndexedDB
 * (`extension/signing-key.ts`; structured clone keeps it usable and still non-extractable). Only the public half
 * leaves the browser, as a JWK in each report.
 */
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
