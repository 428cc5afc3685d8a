/**
 * Personal data sealed to an organisation (issue 23): a reporter's name, email, phone and access needs encrypted in
 * their browser to the organisation's public key (HPKE, RFC 9180), so the hub and anyone with its database, backups
 * or logs hold only ciphertext; moderators open it in their own browsers with the organisation's private key.
 */
import { z } from 'zod';
import { PersonalFields, PublicKeyJwk } from './report';

/** HPKE base mode: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM — all native to WebCrypto everywhere. */
export const SEAL_ALG = 'HPKE-Base-P256-SHA256-AES128GCM';

const keyId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A key id is 1 to 64 letters, digits, "-" or "_"');
const base64url = (max: number) => z.string().regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url').max(max);

/** What discovery publishes: the key to seal personal data to, and its id (a new id for each new key). */
export const EncryptionKey = z.strictObject({
  kid: keyId,
  alg: z.literal(SEAL_ALG),
  jwk: PublicKeyJwk,
});

/** One sealed message: the encapsulated key (an uncompressed P-256 point) and the ciphertext with its tag. */
export const Sealed = z.strictObject({
  alg: z.literal(SEAL_ALG),
  kid: keyId,
  enc: z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'The encapsulated key is a P-256 point (87 base64url characters)'),
  ct: base64url(16_384),
});

/** The fields sealed: what names or reaches the person, each as the report schema takes it in clear. */
export const PersonalData = z.strictObject(PersonalFields);

export type EncryptionKey = z.infer<typeof EncryptionKey>;
export type Sealed = z.infer<typeof Sealed>;
export type PersonalData = z.infer<typeof PersonalData>;
