/**
 * Moderator passwords: argon2id through `@node-rs/argon2` (prebuilt, no install script). Its defaults are OWASP's
 * recommended minimum for argon2id (19 MiB, 2 passes, 1 lane), and the PHC string it returns carries them, so raising
 * them later still verifies old hashes.
 */
import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { ct } from '../../../lib/i18n/console';

export const PASSWORD_MIN = 12;
/** Long enough for any passphrase, short enough that hashing a pasted novel cannot tie up the hub. */
export const PASSWORD_MAX = 256;

/**
 * Passwords of twelve or more characters that lead the published lists of leaked passwords and that the lists below
 * miss: long enough to pass the length rule, and among the first an attacker tries.
 */
const OWN = [
  '123456789012', '1234567890123', '12345678901234', '123456789123', '111111111111', '000000000000',
  'password1234', 'password12345', 'password123!', 'passwordpassword', 'qwertyuiopas', 'qwerty123456',
  'qwertyuiop12', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'abcdefghijkl', 'abc123abc123', 'iloveyou1234',
  'letmein12345', 'welcome12345', 'administrator', 'changeme1234', 'trustno1trustno1', 'football1234',
  'baseball1234', 'superman1234', 'monkey123456', 'dragon123456', 'sunshine1234', 'princess1234',
  'aaaaaaaaaaaa', 'asdfghjkl123', 'zxcvbnm12345', 'passw0rd1234', 'p@ssw0rd1234', 'moderator123',
  'moderator1234', 'correcthorsebatterystaple',
];

/**
 * The common passwords refused (ASVS 5.0 6.2.4): the 12,031 most common of 12 characters or more from SecLists' leaked
 * password lists (source and licence at the top of the file), and the hub's own few, lowercased.
 */
const COMMON: ReadonlySet<string> = new Set([
  ...readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#')),
  ...OWN,
]);

/** A password a moderator may choose. */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN, ct('password.tooShort', { min: PASSWORD_MIN }))
  .max(PASSWORD_MAX, ct('password.tooLong', { max: PASSWORD_MAX }))
  .refine((password) => !COMMON.has(password.toLowerCase()), ct('password.common'));

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False for a wrong password and for a stored value that is not an argon2 hash at all. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * A real hash of a random password, made once, to verify against when the email is unknown: the answer then takes as
 * long as for a real account, so timing does not tell which emails have accounts.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hash(crypto.randomUUID());
  return decoy;
}
