/**
 * The hub's signed receipts (lib/integrity/receipt.ts). The signing key is made at the first start and kept in
 * `hub_signing_keys` (migration 015): every process of a PostgreSQL hub signs with the same key, and a backup carries
 * it like every other table. Its public half is published in discovery (`receiptKeys`) with its id.
 *
 * Nothing about a receipt is stored but the key: the payload is made of what the hub keeps anyway (the reference, the
 * time received, the hash of the report as received, its evidence hashes), so a retried POST, the console and the
 * police case file sign the same payload again. ECDSA signatures are randomised, so two signatures of one receipt
 * differ in their bytes; each is valid, and both vouch for the same facts.
 */
import { webcrypto } from 'node:crypto';
import { evidenceHashes, HubPublicKeyJwk, PublicKeyJwk, RECEIPT_FORMAT, type Report, type SignedReceipt } from '../../lib/schema';
import { jwkThumbprint, signReceiptPayload } from '../../lib/integrity/receipt';
import { ECDSA_P256 } from '../../lib/integrity/keys';
import type { Queryable } from '../db';

interface LoadedKey {
  privateKey: CryptoKey;
  publicJwk: HubPublicKeyJwk;
}

const current = new WeakMap<object, Promise<LoadedKey>>();

/** The current receipt key, made (once, whoever asks first) when the hub has none. */
export function receiptKey(db: Queryable): Promise<LoadedKey> {
  let loaded = current.get(db);
  if (!loaded) {
    loaded = loadOrCreate(db);
    current.set(db, loaded);
    loaded.catch(() => current.delete(db));
  }
  return loaded;
}

async function loadOrCreate(db: Queryable): Promise<LoadedKey> {
  const existing = await readCurrent(db);
  if (existing) return existing;
  const pair = (await webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, y } = await webcrypto.subtle.exportKey('jwk', pair.publicKey);
  const publicKey = PublicKeyJwk.parse({ kty, crv, x, y });
  const publicJwk = HubPublicKeyJwk.parse({ ...publicKey, kid: await jwkThumbprint(publicKey), alg: 'ES256', use: 'sig' });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64');
  // Another process may have made one meanwhile: the unique index keeps only the first, and everyone reads it back.
  await db.query(
    `INSERT INTO hub_signing_keys (kid, public_jwk, private_pkcs8) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT DO NOTHING`,
    [publicJwk.kid, JSON.stringify(publicJwk), pkcs8],
  );
  const made = await readCurrent(db);
  if (!made) throw new Error('The receipt signing key could not be stored');
  return made;
}

async function readCurrent(db: Queryable): Promise<LoadedKey | undefined> {
  const [row] = await db.query<{ public_jwk: unknown; private_pkcs8: string }>(
    'SELECT public_jwk, private_pkcs8 FROM hub_signing_keys WHERE retired_at IS NULL',
  );
  if (!row) return undefined;
  const publicJwk = HubPublicKeyJwk.parse(typeof row.public_jwk === 'string' ? JSON.parse(row.public_jwk) : row.public_jwk);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', Buffer.from(row.private_pkcs8, 'base64'), ECDSA_P256, false, ['sign']);
  return { privateKey, publicJwk };
}

/** Every receipt key's public half, the current one first: what discovery publishes. */
export async function publishedReceiptKeys(db: Queryable): Promise<HubPublicKeyJwk[]> {
  await receiptKey(db);
  const rows = await db.query<{ public_jwk: unknown }>(
    'SELECT public_jwk FROM hub_signing_keys ORDER BY retired_at IS NULL DESC, created_at DESC LIMIT 20',
  );
  return rows.map((row) => HubPublicKeyJwk.parse(typeof row.public_jwk === 'string' ? JSON.parse(row.public_jwk) : row.public_jwk));
}

export interface FiledFacts {
  hub: string;
  reference: string;
  receivedAt: string;
  reportSha256: string;
  report: Pick<Report, 'id' | 'items'>;
}

/** The receipt for a filed report, signed now with the current key. */
export async function signedReceipt(db: Queryable, facts: FiledFacts): Promise<SignedReceipt> {
  const key = await receiptKey(db);
  return signReceiptPayload(
    {
      format: RECEIPT_FORMAT,
      hub: facts.hub,
      reference: facts.reference,
      reportId: facts.report.id,
      receivedAt: facts.receivedAt,
      reportSha256: facts.reportSha256,
      evidence: evidenceHashes(facts.report).sort(),
    },
    key.privateKey,
    key.publicJwk,
  );
}

/** The receipt of a report the hub holds (for the console and the case file), from its stored row. */
export async function receiptOfStored(db: Queryable, hub: string, reference: string): Promise<SignedReceipt | undefined> {
  const [row] = await db.query<{ received_at: Date; body_sha256: string; body: unknown }>(
    'SELECT received_at, body_sha256, body FROM reports WHERE reference = $1 AND erased_at IS NULL',
    [reference],
  );
  if (!row) return undefined;
  const body = (typeof row.body === 'string' ? JSON.parse(row.body) : row.body) as Pick<Report, 'id' | 'items'>;
  return signedReceipt(db, { hub, reference, receivedAt: new Date(row.received_at).toISOString(), reportSha256: row.body_sha256, report: body });
}
