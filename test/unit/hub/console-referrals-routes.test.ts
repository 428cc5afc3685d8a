/**
 * The referral pages through the whole hub app: moderators only, CSRF on every POST, each production recorded in the
 * audit log with the SHA-256 of exactly what was handed out, downloads as attachments, and "referred" set through
 * the workflow.
 */
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../lib/schema';
import { DsaNotice } from '../../../hub/console/referrals/dsa-notice';
import { referralsHref } from '../../../hub/console/shared/links';
import { sampleReport } from '../../fixtures/report';
import { clock, consoleApp, signedIn, type Browser } from './console-helpers';
import { openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let browser: Browser;
let moderatorEmail: string;

const HOSTILE = '<script>alert(1)</script>';

async function file(consents: Partial<Report['reporter']['consents']> = {}): Promise<string> {
  const { sha256, bytes } = await uploadPng(app);
  const base = sampleReport();
  const report: Report = {
    ...base,
    reporter: { ...base.reporter, consents: { ...base.reporter.consents, ...consents } },
    incident: { ...base.incident, summary: `${HOSTILE} said about us` },
    items: [{ ...base.items[0]!, captureMethod: 'manual', evidence: [{ sha256, mediaType: 'image/png', bytes: bytes.byteLength, kind: 'screenshot' }] }],
  };
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
}

async function referralRows(reference: string, action: string) {
  return testDb.db.query<{ after: { sha256: string; generatedAt: string; references: string[] }; email: string }>(
    `SELECT a.after, m.email FROM audit_log a JOIN moderators m ON m.id = a.actor_id WHERE a.reference = $1 AND a.action = $2 ORDER BY a.id`,
    [reference, action],
  );
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = consoleApp(testDb.db, clock(new Date('2026-11-25T12:00:00.000Z')));
  const session = await signedIn(app, testDb.db);
  browser = session.browser;
  moderatorEmail = session.moderator.email;
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('referral routes', () => {
  it('sends someone not signed in to sign in, and refuses a POST without the CSRF token', async () => {
    const reference = await file();
    const anonymous = await app.request(referralsHref([reference]));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toMatch(/^\/console\/login\?next=/);
    expect((await app.request('/console/referrals/case-file', { method: 'POST', body: new URLSearchParams({ refs: reference }) })).status).toBe(401);
    await browser.get(referralsHref([reference]));
    const forged = await browser.post('/console/referrals/dsa-notice', { refs: reference, csrf: 'wrong' });
    expect(forged.status).toBe(403);
    const crossSite = await browser.post('/console/referrals/case-file', { refs: reference }, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(await referralRows(reference, 'referral.dsa_notice')).toEqual([]);
    expect(await referralRows(reference, 'referral.case_file')).toEqual([]);
  });

  it('answers unknown or malformed references with a 404 page, never an error', async () => {
    for (const refs of ['', 'nonsense', 'OHR-0000-0000', `${'OHR-AAAA-AAAA,'.repeat(101)}`]) {
      expect((await browser.get(`/console/referrals?refs=${encodeURIComponent(refs)}`)).status).toBe(404);
    }
    expect((await browser.get('/console/referrals/dsa-notice?refs=OHR-AAAA-AAAA&at=yesterday')).status).toBe(404);
    expect((await browser.post('/console/referrals/dsa-notice', { refs: '<b>' })).status).toBe(404);
  });

  it('produces the DSA notice, records it, shows it as text and offers the same JSON as a download', async () => {
    const first = await file();
    const second = await file();
    const page = await browser.get(referralsHref([first, second]));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Refer to platform (DSA notice)');
    expect(html).toContain('Police case file');

    const produced = await browser.post('/console/referrals/dsa-notice', { refs: `${first},${second}` });
    expect(produced.status).toBe(303);
    const location = produced.headers.get('Location')!;
    const [row] = await referralRows(first, 'referral.dsa_notice');
    expect(row?.email).toBe(moderatorEmail);
    expect(row?.after.references).toEqual([first, second]);
    expect(await referralRows(second, 'referral.dsa_notice')).toHaveLength(1);

    const shown = await browser.get(location);
    expect(shown.status).toBe(200);
    const noticePage = await shown.text();
    expect(noticePage).toMatch(/<pre class="captured">NOTICE OF ILLEGAL CONTENT/);
    expect(noticePage).not.toContain(HOSTILE);
    expect(noticePage).toContain('    > &lt;script>alert(1)&lt;/script> said about us');
    expect(noticePage).toContain(row!.after.sha256);

    const json = await browser.get(location.replace('/dsa-notice?', '/dsa-notice.json?'));
    expect(json.status).toBe(200);
    expect(json.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(json.headers.get('Content-Disposition')).toMatch(/^attachment; filename="dsa-notice-OHR-[0-9A-Z-]+-and-1-more-2026-11-25\.json"$/);
    expect(json.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const bytes = new Uint8Array(await json.arrayBuffer());
    expect(sha256(bytes)).toBe(row!.after.sha256);
    const notice = DsaNotice.parse(JSON.parse(strFromU8(bytes)));
    expect(notice.notifier.email).toBe(moderatorEmail);
    expect(notice.locations).toHaveLength(2);

    // A notice that was never recorded is not shown.
    expect((await browser.get(location.replace(/at=[^&]+/, 'at=2020-01-01T00%3A00%3A00.000Z'))).status).toBe(404);
  });

  it('downloads the police case file, recording the SHA-256 of the very bytes sent', async () => {
    const reference = await file();
    await browser.get(referralsHref([reference]));
    const response = await browser.post('/console/referrals/case-file', { refs: reference });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/zip');
    expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="case-file-${reference}-2026-11-25.zip"`);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const bytes = new Uint8Array(await response.arrayBuffer());
    const [row] = await referralRows(reference, 'referral.case_file');
    expect(row?.after.sha256).toBe(sha256(bytes));
    const files = unzipSync(bytes);
    expect(strFromU8(files.SHA256SUMS!)).toContain(`  reports/${reference}/report.json`);
    const page = await (await browser.get(referralsHref([reference]))).text();
    expect(page).toContain(row!.after.sha256);
  });

  it('says so instead of producing anything when no reporter agreed, or the reporter withdrew', async () => {
    const reference = await file({ platform: false, police: false });
    await browser.get(referralsHref([reference]));
    const notice = await browser.post('/console/referrals/dsa-notice', { refs: reference });
    expect(notice.headers.get('Location')).toBe(`${referralsHref([reference])}&problem=no_platform_consent`);
    const caseFile = await browser.post('/console/referrals/case-file', { refs: reference });
    expect(caseFile.headers.get('Location')).toBe(`${referralsHref([reference])}&problem=no_police_consent`);
    expect(await testDb.db.query('SELECT 1 FROM audit_log WHERE reference = $1', [reference])).toEqual([]);
    expect(await (await browser.get(`${referralsHref([reference])}&problem=no_police_consent`)).text()).toContain('no case file to make');

    // Withdrawn, and closed as a duplicate of another report: neither is offered nor sent anywhere.
    for (const outcome of ['withdrawn', 'duplicate']) {
      const closed = await file();
      await testDb.db.query(`UPDATE reports SET status = 'closed', outcome = $2 WHERE reference = $1`, [closed, outcome]);
      const page = await (await browser.get(referralsHref([closed]))).text();
      expect(page).toContain('withdrawn by the reporter or closed as duplicates');
      expect(page).not.toContain('action="/console/referrals/case-file"');
      expect(page).not.toContain('action="/console/referrals/dsa-notice"');
      for (const action of ['dsa-notice', 'case-file', 'referred']) {
        const refused = await browser.post(`/console/referrals/${action}`, { refs: closed });
        expect(refused.headers.get('Location')).toBe(`${referralsHref([closed])}&problem=withdrawn`);
      }
      expect(await testDb.db.query('SELECT 1 FROM audit_log WHERE reference = $1', [closed])).toEqual([]);
    }
  });

  it('sets the reports to referred through the workflow, each step audited', async () => {
    const received = await file();
    const reviewing = await file();
    await testDb.db.query(`UPDATE reports SET status = 'in_review' WHERE reference = $1`, [reviewing]);
    await browser.get(referralsHref([received, reviewing]));
    const response = await browser.post('/console/referrals/referred', { refs: `${received},${reviewing}` });
    expect(response.headers.get('Location')).toBe(`${referralsHref([received, reviewing])}&done=referred`);
    const rows = await testDb.db.query<{ reference: string; status: string }>('SELECT reference, status FROM reports WHERE reference = ANY($1::text[])', [[received, reviewing]]);
    expect(rows.map((row) => row.status)).toEqual(['referred', 'referred']);
    const trail = await testDb.db.query<{ after: { status: string } }>(`SELECT after FROM audit_log WHERE reference = $1 AND action = 'status' ORDER BY id`, [received]);
    expect(trail.map((row) => row.after.status)).toEqual(['in_review', 'referred']);
    const page = await (await browser.get(`${referralsHref([received, reviewing])}&done=referred`)).text();
    expect(page).toContain('already referred or closed');
  });
});
