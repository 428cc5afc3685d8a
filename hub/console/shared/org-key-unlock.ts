/**
 * Unlocking the organisation's private key in the moderator's browser (issue 23), for every console page that opens
 * sealed contact details (the sealed-contact page, the police case file) and for an admin giving a colleague access.
 * Bundled into those pages' scripts, never run on the hub. Two ways, both ending with the key only in the caller's
 * variables:
 *
 * - the moderator's own passphrase: the page (OrgKeyFields) carries their own key, wrapped under that passphrase, and
 *   their grants, each the organisation's key sealed to their own key (hub/domain/key-access.ts); the passphrase
 *   unwraps their key, which opens the grant for the key needed;
 * - the organisation's key file, read from the moderator's disk, and its passphrase.
 *
 * Each failure is a `KeyProblem` naming the words to show (`data-msg-<name>` on the page, from KEY_MESSAGES).
 */
import { z } from 'zod';
import { openKey, unwrapWithPassphrase, type KeyUse, type OpeningKey } from '../../../lib/crypto/seal';
import { EncryptionKey, OrgKeyFile, PassphraseWrappedKey, PublicKeyJwk, SealedKey } from '../../../lib/schema';

export type KeyProblemName = 'no-file' | 'not-key-file' | 'other-key' | 'passphrase' | 'no-own-passphrase' | 'own-passphrase' | 'no-access';

export class KeyProblem extends Error {
  constructor(
    readonly word: KeyProblemName,
    readonly values: Record<string, string> = {},
  ) {
    super(word);
  }
}

/** What OrgKeyFields hands the browser in `data-own-access` (all of it wrapped or sealed; the hub holds it as well). */
export const OwnAccessData = z.strictObject({
  holder: z.string().max(64),
  publicJwk: PublicKeyJwk,
  wrapped: PassphraseWrappedKey,
  grants: z.array(z.strictObject({ orgKey: EncryptionKey, sealed: SealedKey })).max(100),
});
export type OwnAccessData = z.infer<typeof OwnAccessData>;

/** The element ids OrgKeyFields renders and this file reads. */
export const FIELD_IDS = {
  box: 'org-key-fields',
  file: 'org-key-file',
  passphrase: 'org-key-passphrase',
  own: 'own-key-passphrase',
  fileChoice: 'org-key-file-choice',
} as const;

/** The opening key for key `kid` from the chosen key file and its passphrase. */
export async function unlockWithFile(file: File | undefined, passphrase: string, kid: string, use: KeyUse = {}): Promise<OpeningKey> {
  if (!file) throw new KeyProblem('no-file');
  const keyFile = OrgKeyFile.safeParse(await readJson(file));
  if (!keyFile.success) throw new KeyProblem('not-key-file');
  const { encryptionKey, privateKey: wrapped } = keyFile.data;
  if (encryptionKey.kid !== kid) throw new KeyProblem('other-key', { chosen: encryptionKey.kid, sealed: kid });
  const privateKey = await unwrapWithPassphrase(wrapped, passphrase, use).catch(() => {
    throw new KeyProblem('passphrase');
  });
  return { privateKey, publicJwk: encryptionKey.jwk };
}

/** The opening key for key `kid` from the moderator's own key, unwrapped with their passphrase, and their grant for `kid`. */
export async function unlockWithOwnKey(access: OwnAccessData, passphrase: string, kid: string, use: KeyUse = {}): Promise<OpeningKey> {
  const grant = access.grants.find((entry) => entry.orgKey.kid === kid);
  if (!grant) throw new KeyProblem('no-access', { kid });
  if (!passphrase) throw new KeyProblem('no-own-passphrase');
  const ownKey = await unwrapWithPassphrase(access.wrapped, passphrase).catch(() => {
    throw new KeyProblem('own-passphrase');
  });
  // A grant that does not open was sealed to another key of theirs or changed since: as good as no access.
  const privateKey = await openKey({ privateKey: ownKey, publicJwk: access.publicJwk }, grant.sealed, access.holder, use).catch(() => {
    throw new KeyProblem('no-access', { kid });
  });
  return { privateKey, publicJwk: grant.orgKey.jwk };
}

/** The moderator's own access the page carries, if it carries any. */
export function ownAccessOnPage(): OwnAccessData | undefined {
  const raw = document.getElementById(FIELD_IDS.box)?.dataset.ownAccess;
  if (!raw) return undefined;
  try {
    const parsed = OwnAccessData.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key the page's `OrgKeyFields` unlock: with the moderator's own passphrase when the page offers it, unless they
 * opened "use the key file instead" and chose a file; else with the key file and its passphrase. `use.extractable`
 * only for giving a colleague access.
 */
export function unlockFromFields(kid: string, use: KeyUse = {}): Promise<OpeningKey> {
  const input = (id: string) => document.getElementById(id) as HTMLInputElement | null;
  const file = input(FIELD_IDS.file)?.files?.[0];
  const passphrase = input(FIELD_IDS.passphrase);
  const own = input(FIELD_IDS.own);
  const access = own ? ownAccessOnPage() : undefined;
  const fileChosen = (document.getElementById(FIELD_IDS.fileChoice) as HTMLDetailsElement | null)?.open === true && file !== undefined;
  const unlocking = access && own && !fileChosen ? unlockWithOwnKey(access, own.value, kid, use) : unlockWithFile(file, passphrase?.value ?? '', kid, use);
  // No passphrase is left in a field once it has been used, right or wrong.
  for (const field of [passphrase, own]) if (field) field.value = '';
  return unlocking;
}

async function readJson(file: File): Promise<unknown> {
  // A key file is about 1 KB; anything far larger is not one, and is not read.
  if (file.size > 64 * 1024) return undefined;
  try {
    return JSON.parse(await file.text());
  } catch {
    return undefined;
  }
}
