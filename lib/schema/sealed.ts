/**
 * Personal data sealed to an organisation (issue 23): a reporter's name, email, phone and access needs encrypted in
 * their browser to the organisation's public key (HPKE, RFC 9180), so the hub and anyone with its database, backups
 * or logs hold only ciphertext; moderators open it in their own browsers with the organisation's private key.
 */
import { z } from 'zod';
import { KeyId, PersonalFields, PublicKeyJwk, SEAL_ALG } from './report';

/** What discovery publishes: the key to seal personal data to, and its id (a new id for each new key). */
export const EncryptionKey = z.strictObject({
  kid: KeyId,
  alg: z.literal(SEAL_ALG),
  jwk: PublicKeyJwk,
});

/** The fields sealed: what names or reaches the person, each as the report schema takes it in clear. */
export const PersonalData = z.strictObject(PersonalFields);

export type EncryptionKey = z.infer<typeof EncryptionKey>;
export type PersonalData = z.infer<typeof PersonalData>;
