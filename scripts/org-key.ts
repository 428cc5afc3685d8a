/**
 * `npm run org-key -- new [--out FILE]`: makes an organisation's key for sealing reporters' personal data (issue 23),
 * on a moderator's own computer, never on the hub. It asks for a passphrase (twice; at least 12 characters) and writes
 * FILE (default `ohr-org-key.json`): the private key wrapped under that passphrase (PBKDF2-SHA256, 600,000 rounds,
 * AES-256-GCM) and the public key. It prints the `encryptionKey` to put in the hub's configuration, which discovery
 * then publishes. Keep FILE and the passphrase as the organisation keeps its other secrets; lose both and the sealed
 * details of every report made with this key are gone for good (docs/hub-operations.md, "Sealed personal data").
 *
 * `npm run org-key -- check FILE`: asks for the passphrase and says whether it opens the key in FILE.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { newSealingKeyPair, publicJwkOf, unwrapWithPassphrase, wrapWithPassphrase } from '../lib/crypto/seal';
import { OrgKeyFile as KeyFile, SEAL_ALG, type EncryptionKey } from '../lib/schema';

/** The passphrase from OHR_ORG_KEY_PASSPHRASE (for scripted use) or asked for at the terminal. */
async function passphrase(confirm: boolean): Promise<string> {
  const given = process.env.OHR_ORG_KEY_PASSPHRASE;
  if (given !== undefined) return given;
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    const first = await terminal.question('Passphrase for the organisation key: ');
    if (confirm && (await terminal.question('The same passphrase again: ')) !== first) throw new Error('The two passphrases are not the same.');
    return first;
  } finally {
    terminal.close();
  }
}

async function create(out: string): Promise<void> {
  const secret = await passphrase(true);
  if (secret.length < 12) throw new Error('Use a passphrase of at least 12 characters: it is all that protects the key file.');
  const pair = await newSealingKeyPair();
  const kid = `org-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
  const encryptionKey: EncryptionKey = { kid, alg: SEAL_ALG, jwk: await publicJwkOf(pair.publicKey) };
  const file = KeyFile.parse({ format: 'ohr-org-key/1', encryptionKey, privateKey: await wrapWithPassphrase(pair.privateKey, secret) });
  await writeFile(out, `${JSON.stringify(file, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  console.log(`Wrote ${out}: the organisation's private key, wrapped under your passphrase. Keep it safe; the hub never needs it.`);
  console.log('Put this in the hub\'s configuration (config file key "encryptionKey"):');
  console.log(JSON.stringify(encryptionKey, null, 2));
}

async function check(path: string): Promise<void> {
  const file = KeyFile.parse(JSON.parse(await readFile(path, 'utf8')));
  await unwrapWithPassphrase(file.privateKey, await passphrase(false)).catch(() => {
    throw new Error('That passphrase does not open this key file.');
  });
  console.log(`The passphrase opens ${path} (key ${file.encryptionKey.kid}).`);
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  const outAt = rest.indexOf('--out');
  if (command === 'new') return create(outAt >= 0 && rest[outAt + 1] ? rest[outAt + 1]! : 'ohr-org-key.json');
  if (command === 'check' && rest[0]) return check(rest[0]);
  console.error('Usage: npm run org-key -- new [--out FILE] | check FILE');
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
