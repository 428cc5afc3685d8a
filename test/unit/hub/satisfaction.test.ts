/**
 * Satisfaction follow-up and equality monitoring through the real API on a real database: the status answer opens the
 * question when a report is closed (not when withdrawn); one answer per report (the same again gets the first receipt,
 * a different one is refused); monitoring answers are stored apart, with nothing of the report in any column and no
 * constraint pointing at it; the aggregates count them, satisfaction by community joining a reporter's two answers;
 * erasing a report keeps the numbers, the retention purge clears old comments, a withdrawal takes the answers.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitoringReceipt, Receipt, SatisfactionReceipt, StatusResponse, type MonitoringAnswers } from '../../../lib/schema';
import { changeStatus } from '../../../hub/domain/workflow';
import { eraseReport, purgeExpired } from '../../../hub/domain/retention';
import { monitoringCounts, respondentKey, satisfactionByCommunity, satisfactionCounts } from '../../../hub/domain/satisfaction';
import { sha256Hex } from '../../../hub/hash';
import { sampleReport } from '../../fixtures/report';
import { makeModerator } from './console-helpers';
import { bearer, createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let moderatorId: string;
beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db });
  moderatorId = (await makeModerator(testDb.db)).id;
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const db = () => testDb.db;

async function file(): Promise<Receipt> {
  const { sha256, bytes } = await uploadPng(app);
  const report = describing(sampleReport(), sha256, bytes);
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return Receipt.parse(await response.json());
}

async function close(reference: string, outcome: 'actioned' | 'no_further_action' = 'actioned'): Promise<void> {
  expect(await changeStatus(db(), { reference, actorId: moderatorId, to: 'in_review' })).toEqual({ kind: 'done' });
  expect(await changeStatus(db(), { reference, actorId: moderatorId, to: 'closed', outcome })).toEqual({ kind: 'done' });
}

async function statusOf(receipt: Receipt, query = '?include=satisfaction'): Promise<StatusResponse> {
  const response = await app.request(`/api/v1/reports/${receipt.reference}/status${query}`, { headers: bearer(receipt.statusToken) });
  expect(response.status).toBe(200);
  return StatusResponse.parse(await response.json());
}

function post(receipt: Receipt, what: 'satisfaction' | 'monitoring', body: unknown, token = receipt.statusToken) {
  return app.request(`/api/v1/reports/${receipt.reference}/${what}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...bearer(token) },
    body: JSON.stringify(body),
  });
}

/** Every value in every row of both tables, as text. */
async function storedValues(): Promise<string[]> {
  const rows = [
    ...(await db().query<Record<string, unknown>>('SELECT * FROM satisfaction_answers')),
    ...(await db().query<Record<string, unknown>>('SELECT * FROM monitoring_answers')),
  ];
  return rows.flatMap((row) => Object.values(row).map((value) => (value instanceof Date ? value.toISOString() : String(value))));
}

describe('the satisfaction question', () => {
  it('is open once the report is closed, answered once, and appears in the aggregate', async () => {
    const receipt = await file();
    const before = await satisfactionCounts(db());
    expect((await statusOf(receipt)).satisfaction).toBeUndefined();
    const early = await post(receipt, 'satisfaction', { score: 4 });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe('not_closed');

    await close(receipt.reference);
    expect((await statusOf(receipt)).satisfaction).toBe('open');
    // Only clients that ask see the field (older strict clients refuse unknown fields).
    expect((await statusOf(receipt, '')).satisfaction).toBeUndefined();

    const first = await post(receipt, 'satisfaction', { score: 4, comment: '  Quick and kind.  ' });
    expect(first.status).toBe(201);
    const receiptBody = SatisfactionReceipt.parse(await first.json());
    expect(receiptBody).toMatchObject({ score: 4, comment: true });
    expect((await statusOf(receipt)).satisfaction).toBe('answered');

    const again = await post(receipt, 'satisfaction', { score: 4, comment: 'Quick and kind.' });
    expect(again.status).toBe(200);
    expect(SatisfactionReceipt.parse(await again.json())).toEqual(receiptBody);
    const different = await post(receipt, 'satisfaction', { score: 1 });
    expect(different.status).toBe(409);
    expect(((await different.json()) as { error: { code: string } }).error.code).toBe('already_answered');

    const after = await satisfactionCounts(db());
    const cell = (counts: typeof after) => counts.find((row) => row.month === receiptBody.month && row.score === 4)?.count ?? 0;
    expect(cell(after)).toBe(cell(before) + 1);
    expect(after.reduce((sum, row) => sum + row.count, 0)).toBe(before.reduce((sum, row) => sum + row.count, 0) + 1);
  });

  it('is not asked of a withdrawn report, and refuses a wrong code, a bad score and a non-JSON body in words', async () => {
    const receipt = await file();
    expect((await app.request(`/api/v1/reports/${receipt.reference}/status`, { method: 'DELETE', headers: bearer(receipt.statusToken) })).status).toBe(200);
    expect((await statusOf(receipt)).satisfaction).toBeUndefined();
    expect((await post(receipt, 'satisfaction', { score: 5 })).status).toBe(409);

    const closed = await file();
    await close(closed.reference);
    expect((await post(closed, 'satisfaction', { score: 5 }, 'AAAA-AAAA-AAAA-AAAA')).status).toBe(404);
    const bad = await post(closed, 'satisfaction', { score: 6, comment: 'x'.repeat(2_001) });
    expect(bad.status).toBe(422);
    const fields = ((await bad.json()) as { error: { fields: Array<{ path: string; message: string }> } }).error.fields;
    expect(fields.map((field) => field.path).sort()).toEqual(['comment', 'score']);
    expect(fields.every((field) => /\w+ \w+/.test(field.message))).toBe(true);
    const text = await app.request(`/api/v1/reports/${closed.reference}/satisfaction`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', ...bearer(closed.statusToken) },
      body: '5',
    });
    expect(text.status).toBe(415);
  });
});

describe('equality monitoring', () => {
  const answers: MonitoringAnswers = {
    ethnicGroup: 'black_caribbean',
    religion: 'prefer_not_to_say',
    sexualOrientation: 'gay_or_lesbian',
    disability: 'limited_a_little',
    ageBand: '25_34',
  };

  it('is stored once per report, apart: no column holds anything of the report, no constraint points at it', async () => {
    const receipt = await file();
    const first = await post(receipt, 'monitoring', answers);
    expect(first.status).toBe(201);
    expect(MonitoringReceipt.parse(await first.json()).answered).toEqual(['ethnicGroup', 'religion', 'sexualOrientation', 'disability', 'ageBand']);
    expect((await post(receipt, 'monitoring', answers)).status).toBe(200);
    expect((await post(receipt, 'monitoring', { ...answers, ageBand: '35_44' })).status).toBe(409);
    const invalid = await post(receipt, 'monitoring', { ethnicGroup: 'martian' });
    expect(invalid.status).toBe(422);

    const [report] = await db().query<Record<string, unknown>>(
      'SELECT reference, id::text AS id, status_token_sha256, body_sha256, received_at, updated_at FROM reports WHERE reference = $1',
      [receipt.reference],
    );
    const secrets = [receipt.reference, receipt.statusToken, await sha256Hex(receipt.statusToken), ...Object.values(report!).map((value) => (value instanceof Date ? value.toISOString() : String(value)))];
    const values = await storedValues();
    for (const secret of secrets) expect(values.filter((value) => value.includes(secret))).toEqual([]);
    const [row] = await db().query<Record<string, unknown>>('SELECT * FROM monitoring_answers WHERE respondent_key = $1', [await respondentKey(receipt.statusToken)]);
    expect(row).toMatchObject({ ethnic_group: 'black_caribbean', ethnic_group_broad: 'black', religion: 'prefer_not_to_say', gender_identity: null });

    const constraints = await db().query<{ table: string; type: string }>(
      `SELECT conrelid::regclass::text AS table, contype AS type FROM pg_constraint
        WHERE conrelid IN ('satisfaction_answers'::regclass, 'monitoring_answers'::regclass)`,
    );
    expect(constraints.filter((constraint) => constraint.type === 'f')).toEqual([]);
    const columns = await db().query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name IN ('satisfaction_answers', 'monitoring_answers')`,
    );
    expect(columns.map((column) => column.column_name).filter((name) => /reference|report|token|status/.test(name))).toEqual([]);
  });

  it('counts satisfaction by community by joining a reporter’s two answers, never through the report', async () => {
    const communities = ['white_roma', 'white_roma', 'asian_pakistani'] as const;
    const before = await satisfactionByCommunity(db(), 'ethnic_group');
    const monitoringBefore = await monitoringCounts(db());
    for (const [index, ethnicGroup] of communities.entries()) {
      const receipt = await file();
      expect((await post(receipt, 'monitoring', { ethnicGroup })).status).toBe(201);
      await close(receipt.reference, 'no_further_action');
      expect((await post(receipt, 'satisfaction', { score: index + 1 })).status).toBe(201);
    }
    const after = await satisfactionByCommunity(db(), 'ethnic_group');
    const count = (rows: typeof after, value: string, score: number) => rows.find((row) => row.value === value && row.score === score)?.count ?? 0;
    expect(count(after, 'white_roma', 1) - count(before, 'white_roma', 1)).toBe(1);
    expect(count(after, 'white_roma', 2) - count(before, 'white_roma', 2)).toBe(1);
    expect(count(after, 'asian_pakistani', 3) - count(before, 'asian_pakistani', 3)).toBe(1);
    const broad = await satisfactionByCommunity(db(), 'ethnic_group_broad');
    expect(broad.filter((row) => row.value === 'white').reduce((sum, row) => sum + row.count, 0)).toBeGreaterThanOrEqual(2);
    const monitoring = await monitoringCounts(db());
    const roma = (rows: typeof monitoring) => rows.find((row) => row.question === 'ethnic_group' && row.value === 'white_roma')?.count ?? 0;
    expect(roma(monitoring) - roma(monitoringBefore)).toBe(2);
    await expect(satisfactionByCommunity(db(), 'reference' as never)).rejects.toThrow(/Not a monitoring question/);
  });

  it('keeps the numbers when a report is erased, clears old comments in the purge, and goes with a withdrawal', async () => {
    const receipt = await file();
    expect((await post(receipt, 'monitoring', { ageBand: '65_74' })).status).toBe(201);
    await close(receipt.reference);
    expect((await post(receipt, 'satisfaction', { score: 2, comment: 'Nobody called me back.' })).status).toBe(201);
    expect((await eraseReport(db(), { reference: receipt.reference, actorId: moderatorId, reason: 'reporter_request' })).kind).toBe('erased');
    const key = await respondentKey(receipt.statusToken);
    const [kept] = await db().query<{ score: number; comment: string | null }>('SELECT score, comment FROM satisfaction_answers WHERE respondent_key = $1', [key]);
    expect(kept).toEqual({ score: 2, comment: 'Nobody called me back.' });

    const later = new Date(Date.now() + 400 * 24 * 3600 * 1000);
    const counts = await purgeExpired(db(), { erasureWithdrawnDays: 0, erasureClosedMonths: 12, unreferencedEvidenceHours: 24 }, later);
    expect(counts.satisfactionComments).toBeGreaterThanOrEqual(1);
    const [cleared] = await db().query<{ score: number; comment: string | null }>('SELECT score, comment FROM satisfaction_answers WHERE respondent_key = $1', [key]);
    expect(cleared).toEqual({ score: 2, comment: null });

    const withdrawn = await file();
    expect((await post(withdrawn, 'monitoring', { religion: 'sikh' })).status).toBe(201);
    expect((await app.request(`/api/v1/reports/${withdrawn.reference}`, { method: 'DELETE', headers: bearer(withdrawn.statusToken) })).status).toBe(200);
    expect(await db().query('SELECT 1 FROM monitoring_answers WHERE respondent_key = $1', [await respondentKey(withdrawn.statusToken)])).toEqual([]);
  });
});

describe('the status page', () => {
  let statusApp: Hono;
  beforeAll(() => {
    statusApp = createTestApp({ db: db(), config: { rateLimit: { enabled: false, store: 'memory', clientIpHeader: 'x-test-client' } } });
  });
  const page = (fields: Record<string, string>) =>
    statusApp.request('/status', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', 'x-test-client': '192.0.2.200' },
      body: new URLSearchParams(fields).toString(),
    });

  it('asks the question once the report is closed; the answer reaches the aggregate; a refusal keeps the comment', async () => {
    const receipt = await file();
    const credentials = { reference: receipt.reference, code: receipt.statusToken };
    expect(await (await page({ ...credentials, action: 'view' })).text()).not.toContain('How satisfied are you');
    await close(receipt.reference);
    const asked = await (await page({ ...credentials, action: 'view' })).text();
    expect(asked).toContain('How satisfied are you with how your report was handled?');
    expect(asked).toContain('name="score" value="5"');
    expect(await (await page({ ...credentials, action: 'view', lang: 'cy' })).text()).toContain('Pa mor fodlon ydych chi');

    const refused = await page({ ...credentials, action: 'satisfaction', comment: 'Slow at first' });
    expect(refused.status).toBe(422);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('Choose how satisfied you are.');
    expect(refusedPage).toContain('Slow at first</textarea>');

    const before = (await satisfactionCounts(db())).filter((row) => row.score === 5).reduce((sum, row) => sum + row.count, 0);
    const sent = await page({ ...credentials, action: 'satisfaction', score: '5', comment: 'Slow at first, then good' });
    expect(sent.status).toBe(200);
    const sentPage = await sent.text();
    expect(sentPage).toContain('Thank you. Your answer was sent.');
    expect(sentPage).toContain('You have answered this question.');
    expect(sentPage).not.toContain('name="score"');
    const after = (await satisfactionCounts(db())).filter((row) => row.score === 5).reduce((sum, row) => sum + row.count, 0);
    expect(after).toBe(before + 1);
    // The form sent again (a reload) is the same answer, not a second one.
    expect((await page({ ...credentials, action: 'satisfaction', score: '5', comment: 'Slow at first, then good' })).status).toBe(200);
    expect((await satisfactionCounts(db())).filter((row) => row.score === 5).reduce((sum, row) => sum + row.count, 0)).toBe(after);
  });
});
