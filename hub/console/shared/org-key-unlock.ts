/**
 * Unlocking the organisation's private key in the moderator's browser (issue 23), for every console page that opens
 * sealed contact details (the sealed-contact page, the police case file). Bundled into those pages' scripts, never run
 * on the hub: the key file is read from the moderator's disk, the passphrase from the field, and the key they give
 * lives only in the caller's variables.
 *
 * Each failure is a `KeyProblem` naming the words to show (`data-msg-<name>` on the page, from OrgKeyFields.MESSAGES).
 */
import { unwrapWithPassphrase, type OpeningKey } from '../../../lib/crypto/seal';
import { OrgKeyFile } from '../../../lib/schema';

export type KeyProblemName = 'no-file' | 'not-key-file' | 'other-key' | 'passphrase';

export class KeyProblem extends Error {
  constructor(
    readonly word: KeyProblemName,
    readonly values: Record<string, string> = {},
  ) {
    super(word);
  }
}

/** The opening key for key `kid` from the chosen key file and its passphrase. */
export async function unlockWithFile(file: File | undefined, passphrase: string, kid: string): Promise<OpeningKey> {
  if (!file) throw new KeyProblem('no-file');
  const keyFile = OrgKeyFile.safeParse(await readJson(file));
  if (!keyFile.success) throw new KeyProblem('not-key-file');
  const { encryptionKey, privateKey: wrapped } = keyFile.data;
  if (encryptionKey.kid !== kid) throw new KeyProblem('other-key', { chosen: encryptionKey.kid, sealed: kid });
  const privateKey = await unwrapWithPassphrase(wrapped, passphrase).catch(() => {
    throw new KeyProblem('passphrase');
  });
  return { privateKey, publicJwk: encryptionKey.jwk };
}

/** The key file and passphrase the page's `OrgKeyFields` hold. */
export function unlockFromFields(kid: string): Promise<OpeningKey> {
  const file = (document.getElementById('org-key-file') as HTMLInputElement | null)?.files?.[0];
  const passphrase = document.getElementById('org-key-passphrase') as HTMLInputElement | null;
  const unlocking = unlockWithFile(file, passphrase?.value ?? '', kid);
  // The passphrase is not left in the field once it has been used, right or wrong.
  if (passphrase) passphrase.value = '';
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
