/**
 * The OpenAPI contract: the document is served, is OpenAPI 3.1 built from the shared schemas, and every documented
 * answer of every route is produced here through the contract-checking app (helpers.createTestApp), which fails on any
 * undocumented status or any body that does not match. The other test files go through the same check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { sha256Hex } from '../../../lib/hash';
import { Receipt } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';
import { documentedAnswers, seen } from './contract';
import { bearer, createTestApp, describing, openTestDatabase, pngBytes, postReport, putEvidence, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';
import { DatabaseUnavailableError } from '../../../hub/storage/availability';
import type { Database } from '../../../hub/db';
import { askQuestion } from '../../../hub/domain/questions';
import { changeStatus } from '../../../hub/domain/workflow';
import { makeModerator } from './console-helpers';

let testDb: TestDatabase;
let app: Hono;
beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db, config: { limits: { maxJsonBytes: 50_000, maxEvidenceBytes: 5_000, maxItems: 50 }, maxImagePixels: 1_000_000 } });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('OpenAPI document', () => {
  it('is served as OpenAPI 3.1 with the shared schemas as components', async () => {
    const response = await app.request('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: object }> } };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/.well-known/ohr', '/api/v1/evidence/{sha256}', '/api/v1/reports', '/api/v1/reports/{reference}/status', '/healthz']),
    );
    expect(Object.keys(document.components.schemas.Receipt?.properties ?? {})).toEqual(['reference', 'statusToken', 'receivedAt', 'signedReceipt']);
  });

  it('every documented answer of every route is produced and matches its schema', async () => {
    // Discovery, OpenAPI, health.
    await app.request('/.well-known/ohr');
    await createTestApp({ db: testDb.db, isDraining: () => true }).request('/healthz');
    await app.request('/healthz');

    // Evidence.
    const png = pngBytes();
    const sha = await sha256Hex(png);
    await putEvidence(app, png, sha);
    await putEvidence(app, png, sha);
    await putEvidence(app, png, 'NOT-A-HASH');
    await putEvidence(app, pngBytes(6_000), sha);
    await putEvidence(app, png, sha, 'application/pdf');
    await putEvidence(app, pngBytes(), sha);

    // Reports.
    const { sha256, bytes } = await uploadPng(app);
    const report = describing(sampleReport(), sha256, bytes);
    await postReport(app, report, undefined);
    const orphan = describing(sampleReport(), 'c'.repeat(64), bytes);
    expect((await postReport(app, orphan, orphan.id)).status).toBe(409);
    await postReport(app, JSON.stringify({ padding: 'x'.repeat(60_000) }), report.id);
    await postReport(app, report, report.id, { 'Content-Type': 'text/plain' });
    await postReport(app, { ...report, items: [] }, report.id);
    const receipt = Receipt.parse(await (await postReport(app, report, report.id)).json());

    // Status and withdrawal, on both addresses.
    for (const path of [`/api/v1/reports/${receipt.reference}/status`, `/api/v1/reports/${receipt.reference}`]) {
      for (const method of path.endsWith('/status') ? ['GET', 'DELETE'] : ['DELETE']) {
        await app.request(path, { method });
        await app.request(path, { method, headers: bearer('z'.repeat(43)) });
        await app.request(path, { method, headers: bearer(receipt.statusToken) });
      }
    }

    // Answers to a question, on a second report (the first is withdrawn by now).
    const fresh = await uploadPng(app);
    const second = describing(sampleReport(), fresh.sha256, fresh.bytes);
    const open = Receipt.parse(await (await postReport(app, second, second.id)).json());
    const question = await askQuestion(testDb.db, { reference: open.reference, actorId: (await makeModerator(testDb.db)).id, text: 'When?' });
    if (question.kind !== 'asked') throw new Error(question.kind);
    const answerPath = `/api/v1/reports/${open.reference}/questions/${question.questionId}/answer`;
    const answerInit = (body: string, headers: Record<string, string> = {}): RequestInit => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...bearer(open.statusToken), ...headers },
      body,
    });
    const answer = { id: crypto.randomUUID(), text: 'Yesterday' };
    await app.request(answerPath, { method: 'POST' });
    await app.request(answerPath, answerInit('{not json'));
    await app.request(answerPath, answerInit(JSON.stringify(answer), bearer('z'.repeat(43))));
    await app.request(answerPath, answerInit(JSON.stringify({ padding: 'x'.repeat(60_000) })));
    await app.request(answerPath, answerInit(JSON.stringify(answer), { 'Content-Type': 'text/plain' }));
    await app.request(answerPath, answerInit(JSON.stringify({ ...answer, text: '' })));
    await app.request(answerPath, answerInit(JSON.stringify({ ...answer, items: orphan.items })));
    expect((await app.request(answerPath, answerInit(JSON.stringify(answer)))).status).toBe(201);

    // Monitoring answers (any time after sending) and the satisfaction question (once closed), on the same report.
    const monitoringPath = `/api/v1/reports/${open.reference}/monitoring`;
    const satisfactionPath = `/api/v1/reports/${open.reference}/satisfaction`;
    const satisfaction = { score: 3 };
    for (const [path, body] of [
      [monitoringPath, { ageBand: '18_24' }],
      [satisfactionPath, satisfaction],
    ] as const) {
      await app.request(path, { method: 'POST' });
      await app.request(path, answerInit('{not json'));
      await app.request(path, answerInit(JSON.stringify(body), bearer('z'.repeat(43))));
      await app.request(path, answerInit(JSON.stringify({ padding: 'x'.repeat(60_000) })));
      await app.request(path, answerInit(JSON.stringify(body), { 'Content-Type': 'text/plain' }));
      await app.request(path, answerInit(JSON.stringify({ score: 0, ageBand: 'old' })));
    }
    expect((await app.request(satisfactionPath, answerInit(JSON.stringify(satisfaction)))).status).toBe(409);
    expect((await app.request(monitoringPath, answerInit(JSON.stringify({ ageBand: '18_24' })))).status).toBe(201);
    expect((await app.request(monitoringPath, answerInit(JSON.stringify({ ageBand: '18_24' })))).status).toBe(200);
    expect((await app.request(monitoringPath, answerInit(JSON.stringify({ ageBand: '25_34' })))).status).toBe(409);
    expect((await changeStatus(testDb.db, { reference: open.reference, actorId: null, to: 'closed', outcome: 'actioned' })).kind).toBe('done');
    expect((await app.request(satisfactionPath, answerInit(JSON.stringify(satisfaction)))).status).toBe(201);
    expect((await app.request(satisfactionPath, answerInit(JSON.stringify(satisfaction)))).status).toBe(200);

    // 429 on every limited route, and a 500 on each route that touches the database.
    const limited = createTestApp({ db: testDb.db, config: { rateLimit: { enabled: true, burst: 1, perSecond: 0.01 } } });
    const broken: Database = { ...testDb.db, query: () => Promise.reject(new Error('down')), transaction: () => Promise.reject(new Error('down')) };
    const failing = createTestApp({ db: broken });
    const full = new DatabaseUnavailableError({ reason: 'disk_full', message: 'The disk is full' });
    const unavailable: Database = { ...testDb.db, query: () => Promise.reject(full), transaction: () => Promise.reject(full) };
    const resting = createTestApp({ db: unavailable });
    const every: Array<[string, RequestInit]> = [
      ['/.well-known/ohr', {}],
      ['/api/v1/openapi.json', {}],
      [`/api/v1/evidence/${sha}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png }],
      ['/api/v1/reports', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id }, body: JSON.stringify(report) }],
      [`/api/v1/reports/${receipt.reference}/status`, { headers: bearer(receipt.statusToken) }],
      [`/api/v1/reports/${receipt.reference}/status`, { method: 'DELETE', headers: bearer(receipt.statusToken) }],
      [`/api/v1/reports/${receipt.reference}`, { method: 'DELETE', headers: bearer(receipt.statusToken) }],
      [answerPath, answerInit(JSON.stringify(answer))],
      [monitoringPath, answerInit(JSON.stringify({ ageBand: '18_24' }))],
      [satisfactionPath, answerInit(JSON.stringify(satisfaction))],
    ];
    await limited.request('/.well-known/ohr');
    for (const [path, init] of every) {
      expect((await limited.request(path, init)).status).toBe(429);
      if (init.method || path.includes('/status')) await failing.request(path, init);
      if (init.method || path.includes('/status')) await resting.request(path, init);
    }

    // Discovery and the document itself cannot fail on input, so their 500 is documented but not provoked.
    const unprovoked = new Set(['/.well-known/ohr get 500', '/api/v1/openapi.json get 500']);
    const missing = documentedAnswers().filter((answer) => !seen.has(answer) && !unprovoked.has(answer));
    expect(missing).toEqual([]);
  });
});
