/**
 * Evidence kept in an S3-compatible object store (a real S3-protocol server, s3rver, on loopback): uploads land as one
 * object per hash under the prefix, the `evidence` row is written after the object, reads come back intact, the same
 * file twice is one object, a damaged object is replaced, expiry and erasure delete the objects, and a store that
 * cannot be reached makes the hub answer 503 rather than lose or half-keep anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { deleteQueuedEvidence, eraseEvidence, purgeUnreferencedEvidence, readEvidence, streamEvidence } from '../../../hub/domain/evidence';
import { resolveConfig, configFromEnv, ConfigError } from '../../../hub/config';
import { S3EvidenceStore } from '../../../hub/storage/s3-evidence';
import { evidenceStoreOf } from '../../../hub/storage/evidence-store';
import { sampleReport } from '../../fixtures/report';
import { createTestApp, describing, openTestDatabase, pngBytes, postReport, putEvidence, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';
import { startS3, type TestS3 } from './s3-server';
import { Browser, makeModerator } from './console-helpers';
import { sha256Hex } from '../../../hub/hash';

let testDb: TestDatabase;
let s3: TestS3;
let app: Hono;
let store: S3EvidenceStore;
beforeAll(async () => {
  [testDb, s3] = await Promise.all([openTestDatabase(), startS3()]);
  app = createTestApp({ db: testDb.db, config: { evidenceStore: s3.config } });
  store = new S3EvidenceStore(s3.config);
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await testDb.dispose();
  await s3.close();
});

async function upload(bytes = pngBytes(60_000)) {
  const sha256 = await sha256Hex(bytes);
  return { sha256, bytes, response: await putEvidence(app, bytes, sha256) };
}

describe('evidence in an S3-compatible object store', () => {
  it('is one object per hash under the prefix, with the row written after it, and reads back intact in pieces', async () => {
    expect(evidenceStoreOf(testDb.db).kind).toBe('s3');
    const file = await upload();
    expect(file.response.status).toBe(201);
    expect(store.url(file.sha256)).toBe(`${s3.endpoint}/evidence/ohr/${file.sha256}`);
    expect(await store.has(file.sha256)).toBe(true);
    // Nothing of it in the database but its row.
    expect(await testDb.db.query('SELECT 1 FROM evidence_chunks WHERE sha256 = $1', [file.sha256])).toHaveLength(0);
    expect(await testDb.db.query('SELECT bytes FROM evidence WHERE sha256 = $1', [file.sha256])).toEqual([{ bytes: file.bytes.byteLength }]);

    const again = await putEvidence(app, file.bytes, file.sha256);
    expect(again.status).toBe(200);
    const read = await readEvidence(testDb.db, file.sha256);
    expect(read?.intact).toBe(true);
    expect(Buffer.from(read!.bytes).equals(Buffer.from(file.bytes))).toBe(true);
    const streamed = await streamEvidence(testDb.db, file.sha256);
    let pieces = 0;
    for await (const piece of streamed!.chunks) pieces += piece.byteLength > 0 ? 1 : 0;
    expect(pieces).toBeGreaterThan(0);

    const report = describing(sampleReport(), file.sha256, file.bytes);
    expect((await postReport(app, report, report.id)).status).toBe(201);

    // The console serves it from the object store.
    const browser = new Browser(app);
    expect((await browser.signIn((await makeModerator(testDb.db)).email)).status).toBe(303);
    const served = await browser.get(`/console/evidence/${file.sha256}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(file.bytes))).toBe(true);
  });

  it('says so when the stored object no longer matches its hash, and replaces a damaged object on the next upload', async () => {
    const file = await upload(pngBytes(2048));
    // Write other bytes straight under the file's key, as damage or tampering would.
    const other = pngBytes(2048);
    await store.delete(file.sha256);
    await rawPut(file.sha256, other);
    expect((await readEvidence(testDb.db, file.sha256))?.intact).toBe(false);
    await store.put(file.sha256, file.bytes);
    expect((await readEvidence(testDb.db, file.sha256))?.intact).toBe(true);
    // The prefix is part of every name: nothing is written at the bare hash.
    expect(await new S3EvidenceStore({ ...s3.config, prefix: '' }).has(file.sha256)).toBe(false);
  });

  it('deletes the objects of expired and of erased evidence, never those still referred to', async () => {
    const expired = await upload(pngBytes(1024));
    const erased = await upload(pngBytes(1024));
    await testDb.db.query("UPDATE evidence SET received_at = now() - interval '8 days' WHERE sha256 = $1", [expired.sha256]);
    expect(await purgeUnreferencedEvidence(testDb.db, 7 * 24)).toBe(1);
    expect(await store.has(expired.sha256)).toBe(false);
    expect(await readEvidence(testDb.db, expired.sha256)).toBeUndefined();

    // An erasure rolled back keeps the object; one committed queues it, and the drain deletes it.
    await expect(
      testDb.db.transaction(async (tx) => {
        await eraseEvidence(tx, [erased.sha256]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await deleteQueuedEvidence(testDb.db)).toBe(0);
    expect((await readEvidence(testDb.db, erased.sha256))?.intact).toBe(true);
    expect(await testDb.db.transaction((tx) => eraseEvidence(tx, [erased.sha256]))).toEqual([erased.sha256]);
    expect(await store.has(erased.sha256)).toBe(true);
    expect(await deleteQueuedEvidence(testDb.db)).toBe(1);
    expect(await store.has(erased.sha256)).toBe(false);
    expect(await testDb.db.query('SELECT 1 FROM evidence_deletions')).toHaveLength(0);
  });

  it('answers 503 with Retry-After, and keeps no row, when the object store cannot be reached', async () => {
    const unreachable = await openTestDatabase();
    try {
      const down = createTestApp({ db: unreachable.db, config: { evidenceStore: { ...s3.config, endpoint: 'http://127.0.0.1:9' } } });
      const bytes = pngBytes(1024);
      const sha256 = await sha256Hex(bytes);
      const response = await putEvidence(down, bytes, sha256);
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBeTruthy();
      expect(await unreachable.db.query('SELECT 1 FROM evidence WHERE sha256 = $1', [sha256])).toHaveLength(0);
    } finally {
      await unreachable.dispose();
    }
  }, SETUP_TIMEOUT_MS);

  it('is configured from the environment, and an incomplete s3 setting is refused by name', () => {
    const env = configFromEnv({
      OHR_EVIDENCE_STORE: 's3',
      OHR_S3_ENDPOINT: 'https://s3.eu-west-2.amazonaws.com',
      OHR_S3_BUCKET: 'ohr-evidence',
      OHR_S3_REGION: 'eu-west-2',
      OHR_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      OHR_S3_SECRET_ACCESS_KEY: 'secret',
      OHR_S3_PREFIX: 'hub-1/',
      OHR_S3_PATH_STYLE: 'false',
    });
    const config = resolveConfig(env);
    expect(config.evidenceStore).toMatchObject({ kind: 's3', bucket: 'ohr-evidence', prefix: 'hub-1/', pathStyle: false });
    expect(new S3EvidenceStore(config.evidenceStore as ConstructorParameters<typeof S3EvidenceStore>[0]).url('a'.repeat(64))).toBe(
      `https://ohr-evidence.s3.eu-west-2.amazonaws.com/hub-1/${'a'.repeat(64)}`,
    );
    expect(() => resolveConfig({ evidenceStore: { kind: 's3', endpoint: 'http://127.0.0.1:9000' } })).toThrow(ConfigError);
    expect(() => resolveConfig({ evidenceStore: { kind: 's3', endpoint: 'http://127.0.0.1:9000' } })).toThrow(/evidenceStore.bucket: An s3 evidence store needs bucket/);
    expect(resolveConfig({}).evidenceStore.kind).toBe('database');
  });
});

/** A PUT made around the hub (no checks, no condition), as whatever damaged the object would. */
async function rawPut(sha256: string, bytes: Uint8Array): Promise<void> {
  const { AwsClient } = await import('aws4fetch');
  const client = new AwsClient({ accessKeyId: s3.config.accessKeyId, secretAccessKey: s3.config.secretAccessKey, service: 's3', region: 'us-east-1' });
  const response = await client.fetch(store.url(sha256), { method: 'PUT', body: bytes as Uint8Array<ArrayBuffer> });
  expect(response.ok).toBe(true);
}
