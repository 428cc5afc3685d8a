/**
 * Personal data sealed to an organisation (issue 23): a reporter's name, email, phone and access needs encrypted in
 * their browser to the organisation's public key (HPKE, RFC 9180), so the hub and anyone with its database, backups
 * or logs hold only ciphertext; moderators open it in their own browsers with the organisation's private key.
 */
import { z } from 'zod';
import { KeyId, PersonalFields, PublicKeyJwk, SEAL_ALG, Sealed } from './report';

/** What discovery publishes: the key to seal personal data to, and its id (a new id for each new key). */
export const EncryptionKey = z.strictObject({
  kid: KeyId,
  alg: z.literal(SEAL_ALG),
  jwk: PublicKeyJwk,
});

/** The fields sealed: what names or reaches the person, each as the report schema takes it in clear. */
export const PersonalData = z.strictObject(PersonalFields);

/**
 * A private key wrapped under a passphrase (`wrapWithPassphrase`): in the organisation's key file, and each
 * moderator's own key as the hub keeps it. The rounds are bounded so a file cannot make a browser derive for minutes.
 */
export const PassphraseWrappedKey = z.strictObject({
  kdf: z.literal('PBKDF2-SHA256'),
  iterations: z.number().int().min(1).max(10_000_000),
  salt: z.string().max(64),
  iv: z.string().max(64),
  wrapped: z.string().max(4_096),
});

/** The organisation's private key sealed to one moderator's own key (`sealKeyTo`): HPKE's encapsulated key and ciphertext. */
export const SealedKey = Sealed.pick({ enc: true, ct: true });

/**
 * The organisation's key file (`npm run org-key -- new`), kept on moderators' own computers and opened only in their
 * browsers: the public key discovery publishes, and the private key wrapped under a passphrase (`wrapWithPassphrase`).
 * `org-key` always writes 600,000 rounds.
 */
export const OrgKeyFile = z.strictObject({
  format: z.literal('ohr-org-key/1'),
  encryptionKey: EncryptionKey,
  privateKey: PassphraseWrappedKey,
});

export type EncryptionKey = z.infer<typeof EncryptionKey>;
export type OrgKeyFile = z.infer<typeof OrgKeyFile>;
export type SealedKey = z.infer<typeof SealedKey>;
export type PersonalData = z.infer<typeof PersonalData>;
