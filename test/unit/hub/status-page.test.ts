/**
 * The public status page (/status) on a real database: a reporter finds their report with the reference and the code as
 * they might type it; a wrong code, an unknown reference and a long-gone token all get the same words; an older long
 * token still works; a question is answered through the page (once, even if the form is sent twice) and the moderator's
 * view has it; withdrawal needs the confirmation; the code never appears in a URL; tries are limited per client.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receipt } from '../../../lib/schema';
import { statusWords } from '../../../lib/i18n/status';
import { askQuestion, questionsWithItems } from '../../../hub/domain/questions';
import { sha256Hex } from '../../../hub/hash';
import { STATUS_LIMIT } from '../../../hub/status/routes';
import { sampleReport } from '../../fixtures/report';
import { makeModerator } from './console-helpers';
import { bearer, createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let moderatorId: string;
beforeAll(async () => {
  testDb = await openTestDatabase();
  app = createTestApp({ db: testDb.db, config: { rateLimit: { enabled: false, store: 'memory', clientIpHeader: 'x-test-client' } } });
  moderatorId = (await makeModerator(testDb.db)).id;
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

async function file(): Promise<Receipt> {
  const { sha256, bytes } = await uploadPng(app);
  const report = describing(sampleReport(), sha256, bytes);
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return Receipt.parse(await response.json());
}

let clients = 0;
/** Each test speaks from its own address, so the per-client allowance is its own. */
const client = () => `192.0.2.${++clients}`;

function post(fields: Record<string, string>, address = client(), headers: Record<string, string> = { 'Sec-Fetch-Site': 'same-origin' }) {
  return app.request('/status', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'x-test-client': address, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

const NOT_FOUND = 'There is no report with this reference number and status code';

describe('/status', () => {
  it('shows the form in the language the browser asks for, with the headers a page holding a secret needs', async () => {
    const response = await app.request('/status', { headers: { 'Accept-Language': 'cy-GB,cy;q=0.9,en;q=0.5' } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<html lang="cy" dir="ltr">');
    expect(page).toContain('Gwirio eich adroddiad');
    expect(page).toContain('method="post"');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    const arabic = await (await app.request('/status?lang=ar', { headers: { 'Accept-Language': 'cy' } })).text();
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
  });

  it('starts the form with a reference named in the link (from an email), never a code', async () => {
    const page = await (await app.request('/status?lang=en&reference=ohr-7k2m-9qxa&code=7K2M-9QXA-HH3P-Z0V1')).text();
    expect(page).toContain('value="OHR-7K2M-9QXA"');
    expect(page).not.toContain('7K2M-9QXA-HH3P-Z0V1');
  });

  it('finds a report by the code as a person might type it, and shows its status', async () => {
    const receipt = await file();
    const typed = receipt.statusToken.toLowerCase().replaceAll('-', ' ');
    const response = await post({ reference: receipt.reference.toLowerCase().replace('ohr-', ''), code: typed, action: 'view' });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`Your report ${receipt.reference}`);
    expect(page).toContain('data-testid="status">received<');
  });

  it('answers a wrong code, an unknown reference and a missing code in the same words, and never echoes the code', async () => {
    const receipt = await file();
    const wrongCode = await post({ reference: receipt.reference, code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', action: 'view' });
    const unknown = await post({ reference: 'OHR-0000-0000', code: receipt.statusToken, action: 'view' });
    expect(wrongCode.status).toBe(404);
    expect(unknown.status).toBe(404);
    const [a, b] = [await wrongCode.text(), await unknown.text()];
    expect(a).toContain(NOT_FOUND);
    expect(b).toContain(NOT_FOUND);
    expect(b).not.toContain(receipt.statusToken);
    const missing = await post({ reference: receipt.reference, code: ' ', action: 'view' });
    expect(missing.status).toBe(422);
  });

  it('still finds a report filed with an older long token', async () => {
    const receipt = await file();
    const old = 'Qm9vdGhfb2xkLXN0eWxlX3Rva2VuLTQzLWNoYXJzLWxvbmc';
    await testDb.db.query('UPDATE reports SET status_token_sha256 = $2 WHERE reference = $1', [receipt.reference, await sha256Hex(old)]);
    expect((await post({ reference: receipt.reference, code: old, action: 'view' })).status).toBe(200);
    expect((await post({ reference: receipt.reference, code: old.toLowerCase(), action: 'view' })).status).toBe(404);
    const api = await app.request(`/api/v1/reports/${receipt.reference}/status`, { headers: bearer(old) });
    expect(api.status).toBe(200);
  });

  it('takes the answer to a question once, and the moderator sees it', async () => {
    const receipt = await file();
    const asked = await askQuestion(testDb.db, { reference: receipt.reference, actorId: moderatorId, text: 'Which account sent the second message?' });
    if (asked.kind !== 'asked') throw new Error(asked.kind);
    const shown = await (await post({ reference: receipt.reference, code: receipt.statusToken, action: 'view' })).text();
    expect(shown).toContain('Which account sent the second message?');
    expect(shown).toContain('data-testid="status">more information needed<');
    const answerId = /name="answerId" value="([0-9a-f-]{36})"/.exec(shown)?.[1];
    expect(answerId).toBeDefined();
    const fields = { reference: receipt.reference, code: receipt.statusToken, action: 'answer', questionId: asked.questionId, answerId: answerId!, text: 'The account @example_sender' };

    const empty = await post({ ...fields, text: '   ' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Write your answer before sending it.');

    const address = client();
    const sent = await post(fields, address);
    expect(sent.status).toBe(200);
    const after = await sent.text();
    expect(after).toContain('your answer has been sent');
    expect(after).toContain('The account @example_sender');
    expect(after).not.toContain('name="answerId"');
    // The same form sent again (a reload) is the same answer, not a second one.
    expect((await post(fields, address)).status).toBe(200);
    const seen = await questionsWithItems(testDb.db, receipt.reference);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.answer?.text).toBe('The account @example_sender');
    // A wrong code cannot answer.
    const other = await askQuestion(testDb.db, { reference: receipt.reference, actorId: moderatorId, text: 'And the date?' });
    if (other.kind !== 'asked') throw new Error(other.kind);
    const refused = await post({ ...fields, questionId: other.questionId, answerId: crypto.randomUUID(), code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
    expect(refused.status).toBe(404);
    expect((await questionsWithItems(testDb.db, receipt.reference))[1]?.answer).toBeUndefined();
  });

  it('withdraws only with the confirmation ticked', async () => {
    const receipt = await file();
    const fields = { reference: receipt.reference, code: receipt.statusToken, action: 'withdraw' };
    const unconfirmed = await (await post(fields)).text();
    expect(unconfirmed).toContain('Tick the box');
    expect(unconfirmed).toContain('data-testid="status">received<');
    const done = await (await post({ ...fields, confirm: 'yes' })).text();
    expect(done).toContain('Your report has been withdrawn.');
    expect(done).toContain('data-testid="outcome">withdrawn by you<');
    expect(done).not.toContain('name="action" value="withdraw"');
  });

  it('refuses a form posted from another site', async () => {
    const receipt = await file();
    const response = await post({ reference: receipt.reference, code: receipt.statusToken, action: 'view' }, client(), { 'Sec-Fetch-Site': 'cross-site' });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('Your report');
  });

  it('refuses a form too large for the page in words, in the language asked for', async () => {
    const tooLong = { reference: 'OHR-7K2M-9QXA', code: '7K2M-9QXA-HH3P-Z0V1', action: 'answer', answer: 'a'.repeat(70 * 1024) };
    const response = await post(tooLong, client(), { 'Sec-Fetch-Site': 'same-origin', 'Accept-Language': 'cy' });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe(statusWords('cy')('status.page.tooLarge'));
  });

  it('limits tries per client, right code or wrong, and says when to come back', async () => {
    const receipt = await file();
    const address = client();
    for (let i = 0; i < STATUS_LIMIT.burst; i++) expect((await post({ reference: receipt.reference, code: `ZZZZ-ZZZZ-ZZZZ-ZZ${String(i).padStart(2, '0')}` }, address)).status).toBe(404);
    const limited = await post({ reference: receipt.reference, code: receipt.statusToken }, address);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many tries');
    expect((await post({ reference: receipt.reference, code: receipt.statusToken }, client())).status).toBe(200);
  });
});
