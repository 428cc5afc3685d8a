/** `npm run org-key`: the key file it writes opens with its passphrase only, and seals what it says it seals. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openPersonal, sealPersonal, unwrapWithPassphrase } from '../../../lib/crypto/seal';
import { EncryptionKey } from '../../../lib/schema';

const run = (args: string[], passphrase: string) =>
  execFileSync('npx', ['tsx', 'scripts/org-key.ts', ...args], { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, OHR_ORG_KEY_PASSPHRASE: passphrase } });

it('makes a wrapped key file and the public key for the hub; only the passphrase opens it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ohr-org-key-'));
  try {
    const path = join(dir, 'key.json');
    const printed = run(['new', '--out', path], 'a long enough passphrase');
    const file = JSON.parse(await readFile(path, 'utf8'));
    const key = EncryptionKey.parse(file.encryptionKey);
    expect(printed).toContain(key.kid);
    expect(JSON.stringify(file)).not.toContain('"d"');
    expect(run(['check', path], 'a long enough passphrase')).toContain('opens');
    expect(() => run(['check', path], 'not the passphrase')).toThrow();
    expect(() => run(['new', '--out', path], 'a long enough passphrase')).toThrow();
    expect(() => run(['new', '--out', join(dir, 'short.json')], 'too short')).toThrow();
    const privateKey = await unwrapWithPassphrase(file.privateKey, 'a long enough passphrase');
    const sealed = await sealPersonal(key, { name: 'Ayo' }, 'report-1');
    expect(await openPersonal({ privateKey, publicJwk: key.jwk }, sealed, 'report-1')).toEqual({ name: 'Ayo' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
