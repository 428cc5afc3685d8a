/**
 * Signing keys: ECDSA P-256 made with WebCrypto, one pair for each copy of a report that leaves the computer (one per
 * organisation it is sent to, and the person's own copy for evidence packs). The private key is created
 * non-extractable, signs that one copy's capture manifests while the copy is frozen, and is then dropped: it is never
 * stored, so no later report can be signed with it. Only the public half leaves the browser, as a JWK in that copy.
 *
 * Why not one key per install: the public key travels with every report, so a key kept for the install would be the
 * same value in every report from it, anonymous ones included, and would let any organisation — or two of them
 * comparing notes — link them. A key per copy proves the same thing (nothing captured was changed after it was signed)
 * and links nothing.
 */
import { PublicKeyJwk, type PublicKeyJwk as PublicKeyJwkType } from '../schema';

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicKeyJwkType;
}

export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function exportPublicJwk(publicKey: CryptoKey): Promise<PublicKeyJwkType> {
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
  return PublicKeyJwk.parse({ kty, crv, x, y });
}

/** A fresh key pair for one copy of one report. The caller keeps it only as long as it takes to sign that copy. */
export async function newSigningKey(): Promise<SigningKey> {
  const pair = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk: await exportPublicJwk(pair.publicKey) };
}
