/**
 * Sealing a reporter's personal data to an organisation, and opening it again (issue 23), on HPKE (RFC 9180) through
 * `@hpke/core`: the browser seals to the key the organisation publishes in discovery; only a holder of the matching
 * private key — a moderator's browser, never the hub — can open it. The report's id is the associated data, so a
 * sealed block moved into another report no longer opens.
 *
 * Keys at rest, for moderators: the organisation's private key is kept only wrapped. `wrapWithPassphrase` wraps a
 * private key under a key derived from a passphrase (PBKDF2-SHA256, 600,000 rounds, as OWASP advises for it; the
 * passphrase never leaves the browser); `sealKeyTo` wraps the organisation's key to one moderator's own public key, so
 * an admin can give a colleague access without learning their passphrase.
 */
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import { base64url, fromBase64url } from '../integrity/canonical';
import { PersonalData, SEAL_ALG, Sealed, type EncryptionKey, type PublicKeyJwk } from '../schema';

const suite = new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
const ECDH_P256 = { name: 'ECDH', namedCurve: 'P-256' } as const;
/** Domain separation: a sealed block made for one purpose cannot be taken for another. */
const INFO = { personal: 'ohr/personal/1', key: 'ohr/org-key/1' } as const;

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

/** A new key pair for an organisation or a moderator (extractable: it is wrapped before it is stored anywhere). */
export async function newSealingKeyPair(): Promise<CryptoKeyPair> {
  return suite.kem.generateKeyPair();
}

/** A sealing key's public half as discovery publishes it: the same P-256 JWK as a signing key's. */
export { exportPublicJwk as publicJwkOf } from '../integrity/keys';

async function importPublic(jwk: PublicKeyJwk): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { ...jwk, ext: true }, ECDH_P256, true, []);
}

async function sealBytes(recipient: PublicKeyJwk, info: string, plaintext: Uint8Array, aad: string) {
  const sender = await suite.createSenderContext({ recipientPublicKey: await importPublic(recipient), info: bytes(info) });
  const ct = await sender.seal(plaintext.buffer as ArrayBuffer, bytes(aad).buffer as ArrayBuffer);
  return { enc: base64url(new Uint8Array(sender.enc)), ct: base64url(new Uint8Array(ct)) };
}

/**
 * A private key for opening, with its public half: given both, HPKE never has to work the public key out from a
 * private key that cannot be exported (which some WebCrypto engines get wrong for imported keys).
 */
export interface OpeningKey {
  privateKey: CryptoKey;
  publicJwk: PublicKeyJwk;
}

async function openBytes(key: OpeningKey, info: string, sealed: { enc: string; ct: string }, aad: string): Promise<Uint8Array> {
  const recipientKey = { privateKey: key.privateKey, publicKey: await importPublic(key.publicJwk) };
  const recipient = await suite.createRecipientContext({ recipientKey, enc: fromBase64url(sealed.enc).buffer, info: bytes(info) });
  return new Uint8Array(await recipient.open(fromBase64url(sealed.ct).buffer, bytes(aad).buffer as ArrayBuffer));
}

/** The person's details sealed to the organisation's published key, bound to the report (`reportId`). */
export async function sealPersonal(key: EncryptionKey, data: PersonalData, reportId: string): Promise<Sealed> {
  const plaintext = bytes(JSON.stringify(PersonalData.parse(data)));
  return { alg: SEAL_ALG, kid: key.kid, ...(await sealBytes(key.jwk, INFO.personal, plaintext, reportId)) };
}

/** Opens what `sealPersonal` made for report `reportId`; throws if the key, the report or a byte is not the one sealed to. */
export async function openPersonal(key: OpeningKey, sealed: Sealed, reportId: string): Promise<PersonalData> {
  const plaintext = await openBytes(key, INFO.personal, Sealed.parse(sealed), reportId);
  return PersonalData.parse(JSON.parse(new TextDecoder().decode(plaintext)));
}

/** A private key wrapped under a passphrase: what a moderator's account keeps on the hub. */
export interface PassphraseWrapped {
  kdf: 'PBKDF2-SHA256';
  iterations: number;
  salt: string;
  iv: string;
  wrapped: string;
}

export const PBKDF2_ITERATIONS = 600_000;

async function passphraseKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', bytes(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
}

export async function wrapWithPassphrase(privateKey: CryptoKey, passphrase: string, iterations = PBKDF2_ITERATIONS): Promise<PassphraseWrapped> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.wrapKey('pkcs8', privateKey, await passphraseKey(passphrase, salt, iterations), { name: 'AES-GCM', iv });
  return { kdf: 'PBKDF2-SHA256', iterations, salt: base64url(salt), iv: base64url(iv), wrapped: base64url(new Uint8Array(wrapped)) };
}

/**
 * How an opened private key may be used. `extractable` only for giving a colleague access: `sealKeyTo` exports the
 * organisation's key to seal it to them. Every other use keeps the key unexportable, good only for opening.
 */
export interface KeyUse {
  extractable?: boolean;
}

/** The private key back, usable only for opening (not extractable again, unless `use` says); throws on a wrong passphrase. */
export async function unwrapWithPassphrase(wrapped: PassphraseWrapped, passphrase: string, use: KeyUse = {}): Promise<CryptoKey> {
  const key = await passphraseKey(passphrase, fromBase64url(wrapped.salt), wrapped.iterations);
  return crypto.subtle.unwrapKey('pkcs8', fromBase64url(wrapped.wrapped), key, { name: 'AES-GCM', iv: fromBase64url(wrapped.iv) }, ECDH_P256, use.extractable === true, ['deriveBits']);
}

/** The organisation's private key sealed to one moderator's public key (`holder`: their account id, bound in). */
export async function sealKeyTo(moderator: PublicKeyJwk, organisationKey: CryptoKey, holder: string): Promise<{ enc: string; ct: string }> {
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', organisationKey));
  return sealBytes(moderator, INFO.key, pkcs8, holder);
}

/** Opens what `sealKeyTo` made, with the moderator's own key: the organisation's private key, for opening only (unless `use` says). */
export async function openKey(moderatorKey: OpeningKey, sealed: { enc: string; ct: string }, holder: string, use: KeyUse = {}): Promise<CryptoKey> {
  const pkcs8 = await openBytes(moderatorKey, INFO.key, sealed, holder);
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8.buffer as ArrayBuffer, ECDH_P256, use.extractable === true, ['deriveBits']);
  } finally {
    pkcs8.fill(0);
  }
}
