/**
 * Evidence no report refers to (an upload whose report never came) does not stay for ever: after
 * `unreferencedEvidenceHours` it goes, with its chunks, and so do the chunks of uploads that never completed.
 * Evidence a report refers to is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { purgeUnreferencedEvidence, readEvidence } from '../../../hub/domain/evidence';
import { sampleReport } from '../../fixtures/report';
import { createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb.dispose());

const ageBy = (days: number, sha256: string) =>
  Promise.all([
    testDb.db.query(`UPDATE evidence SET received_at = now() - make_interval(days => $2) WHERE sha256 = $1`, [sha256, days]),
    testDb.db.query(`UPDATE evidence_chunks SET written_at = now() - make_interval(days => $2) WHERE sha256 = $1`, [sha256, days]),
  ]);

describe('unreferenced evidence', () => {
  it('is deleted once older than the limit, with its chunks; referenced and recent evidence stays', async () => {
    const kept = await uploadPng(app);
    const report = describing(sampleReport(), kept.sha256, kept.bytes);
    const filed = await postReport(app, report, report.id);
    expect(filed.status).toBe(201);
    const orphan = await uploadPng(app);
    const recent = await uploadPng(app);
    await ageBy(8, kept.sha256);
    await ageBy(8, orphan.sha256);
    // An upload cut off before its last statement: chunks and no evidence row.
    await testDb.db.query(`INSERT INTO evidence_chunks (sha256, seq, content, written_at) VALUES ($1, 0, '\\x00', now() - interval '8 days')`, ['f'.repeat(64)]);

    expect(await purgeUnreferencedEvidence(testDb.db, 7 * 24)).toBe(1);
    expect(await readEvidence(testDb.db, orphan.sha256)).toBeUndefined();
    expect(await testDb.db.query('SELECT 1 FROM evidence_chunks WHERE sha256 = ANY($1::text[])', [[orphan.sha256, 'f'.repeat(64)]])).toHaveLength(0);
    expect((await readEvidence(testDb.db, kept.sha256))?.intact).toBe(true);
    expect((await readEvidence(testDb.db, recent.sha256))?.intact).toBe(true);
  }, SETUP_TIMEOUT_MS);
});
