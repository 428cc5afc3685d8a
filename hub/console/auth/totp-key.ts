/**
 * TOTP secrets are kept encrypted (AES-256-GCM): a copy of the `moderators` table — a dump, a backup, a query that
 * should not have run — does not hand out second factors. The account's id is the additional data, so a sealed
 * secret moved to another account's row does not open.
 *
 * The key (32 random bytes) is not in the database: `OHR_TOTP_KEY` (base64 of 32 bytes, for PostgreSQL deployments and
 * secret stores), else the file `totp.key` in the data folder, created at the first start with mode 0600. Losing it
 * loses every second factor (each moderator then needs an admin's reset); keep it out of copies of the database you
 * hand to anyone, and back it up apart from them. Secrets stored in clear by earlier versions are sealed at start
 * (`sealStoredSecrets`) and read meanwhile.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../../db';

const PREFIX = 'v1.';
const KEY_BYTES = 32;
/** A secret as earlier versions stored it: base32, in clear. */
const CLEAR = /^[A-Z2-7]+=*$/;

export function sealSecret(key: Uint8Array, moderatorId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(moderatorId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** The base32 secret of a stored value (sealed, or in clear from an earlier version); undefined if it does not open. */
export function openSecret(key: Uint8Array, moderatorId: string, stored: string): string | undefined {
  if (CLEAR.test(stored)) return stored;
  const [iv, sealed] = stored.startsWith(PREFIX) ? stored.slice(PREFIX.length).split('.') : [];
  if (!iv || !sealed) return undefined;
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(moderatorId));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The key from `OHR_TOTP_KEY`, else `<dataDir>/totp.key` (made with mode 0600 when missing). */
export function loadTotpKey(dataDir: string, env: Record<string, string | undefined> = process.env): Uint8Array {
  const given = env.OHR_TOTP_KEY?.trim();
  if (given) {
    const key = Buffer.from(given, 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`OHR_TOTP_KEY must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
    return key;
  }
  const file = join(dataDir, 'totp.key');
  try {
    const key = readFileSync(file);
    if (key.length !== KEY_BYTES) throw new Error(`${file} must hold ${KEY_BYTES} bytes: restore it from a backup, or remove it and reset every second factor`);
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  return key;
}

/** Seals every secret an earlier version stored in clear; returns how many. */
export async function sealStoredSecrets(db: Queryable, key: Uint8Array): Promise<number> {
  const rows = await db.query<{ id: string; totp_secret: string }>(
    `SELECT id::text, totp_secret FROM moderators WHERE totp_secret IS NOT NULL AND totp_secret NOT LIKE '${PREFIX}%'`,
  );
  for (const row of rows) {
    await db.query('UPDATE moderators SET totp_secret = $2 WHERE id = $1 AND totp_secret = $3', [row.id, sealSecret(key, row.id, row.totp_secret), row.totp_secret]);
  }
  return rows.length;
}
