/**
 * The report view and the workflow through the real routes on a real database: every field shown as text, evidence
 * served safely and checked (verified / failed / not signed), contact details behind consent and an audited ask,
 * allowed and refused status changes, the public note reaching the reporter's status endpoint, and an audit log that
 * records every change (the reporter's withdrawal too) and refuses to be edited.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, newSigningKey, signManifest } from '../../../lib/integrity';
import { Receipt, type Report } from '../../../lib/schema';
import { changeStatus, steps, TRANSITIONS } from '../../../hub/domain/workflow';
import { blns, everywhere } from '../../fixtures/naughty';
import { sampleReport } from '../../fixtures/report';
import { clock, consoleApp, signedIn, type Browser } from './console-helpers';
import { bearer, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let browser: Browser;
let moderatorId: string;
beforeAll(async () => {
  testDb = await openTestDatabase();
  app = consoleApp(testDb.db, clock());
  ({ browser, moderator: { id: moderatorId } } = await signedIn(app, testDb.db));
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const db = () => testDb.db;
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>{{7*7}}';

/** Files a report through the API with one uploaded screenshot; `signed` adds a capture manifest signed as the extension does. */
async function file(change: (report: Report) => Report = (report) => report, signed = false): Promise<Receipt> {
  const { sha256, bytes } = await uploadPng(app);
  const base = sampleReport();
  const evidence = [{ sha256, mediaType: 'image/png' as const, bytes: bytes.byteLength, kind: 'screenshot' as const }];
  const item = { ...base.items[0]!, text: `${HOSTILE}\nsecond line`, evidence, captureMethod: signed ? ('extension' as const) : ('manual' as const) };
  let report: Report = change({ ...base, items: [item] });
  if (signed) {
    const key = await newSigningKey();
    const signedItem = report.items[0]!;
    const manifest = await signManifest(
      await buildManifest({ itemIndex: 0, pageUrl: signedItem.url, capturedAt: signedItem.capturedAt, tool: report.client, browser: 'Chromium', evidence, text: signedItem.text }),
      key.privateKey,
    );
    report = { ...report, captureManifests: [manifest], publicKey: key.publicJwk };
  }
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return Receipt.parse(await response.json());
}

async function status(reference: string): Promise<{ status: string; outcome: string | null }> {
  const [row] = await db().query<{ status: string; outcome: string | null }>('SELECT status, outcome FROM reports WHERE reference = $1', [reference]);
  return row!;
}

async function trail(reference: string) {
  return db().query<{ action: string; actor_id: string | null; before: unknown; after: unknown }>(
    'SELECT action, actor_id::text, before, after FROM audit_log WHERE reference = $1 ORDER BY id',
    [reference],
  );
}

describe('report view', () => {
  it('shows every field, captured text as text (markup escaped), and the evidence blurred', async () => {
    const receipt = await file((report) => ({
      ...report,
      incident: { ...report.incident, summary: `Summary ${HOSTILE}`, impact: 'I stopped going online', harmTypeOther: 'other harm words' },
      grounds: { explanation: 'Stirring up religious hatred', goodFaith: { accepted: true, at: '2026-11-25T10:00:00.000Z' } },
      items: [{ ...report.items[0]!, author: { handle: '@poster', displayName: 'Poster <b>bold</b>' }, context: { parent: { text: 'the parent post' }, thread: [{ text: 'a reply in the thread' }] } }],
    }));
    const response = await browser.get(`/console/reports/${receipt.reference}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>{{7*7}}');
    expect(html).toContain('Poster &lt;b>bold&lt;/b>');
    for (const text of ['Stirring up religious hatred', 'I stopped going online', 'other harm words', 'the parent post', 'a reply in the thread', 'https://example.org/posts/1', '@poster', 'religion']) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/<input type="checkbox" id="item-0-evidence-0" class="reveal"\/><label for="item-0-evidence-0">Show<\/label><img class="sensitive-media" src="\/console\/evidence\/[0-9a-f]{64}"/);
    expect(html).toContain('Evidence not signed: every file matches its hash');
  });

  it('says verified for a signed capture and failed once a stored file is altered', async () => {
    const receipt = await file(undefined, true);
    expect(await (await browser.get(`/console/reports/${receipt.reference}`)).text()).toContain('Evidence verified');
    const [link] = await db().query<{ sha256: string }>('SELECT sha256 FROM report_evidence WHERE reference = $1', [receipt.reference]);
    // Same length, one byte different: what a silent corruption or a tampering would look like.
    await db().query("UPDATE evidence_chunks SET content = overlay(content placing '\\xff'::bytea from 40 for 1) WHERE sha256 = $1 AND seq = 0", [link!.sha256]);
    const html = await (await browser.get(`/console/reports/${receipt.reference}`)).text();
    expect(html).toContain('Evidence check FAILED');
    expect(html).toContain('hash does NOT match');
  });

  it('serves evidence only to moderators, with its type, nosniff and a sandbox CSP; HTML snapshots only as a text download', async () => {
    const receipt = await file();
    const [image] = await db().query<{ sha256: string }>('SELECT sha256 FROM report_evidence WHERE reference = $1', [receipt.reference]);
    const served = await browser.get(`/console/evidence/${image!.sha256}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('Content-Type')).toBe('image/png');
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(served.headers.get('Content-Security-Policy')).toBe('sandbox');
    expect((await app.request(`/console/evidence/${image!.sha256}`)).status).toBe(303);

    const snapshot = new TextEncoder().encode(`<html><body>${HOSTILE}</body></html>`);
    const sha256 = Buffer.from(await crypto.subtle.digest('SHA-256', snapshot)).toString('hex');
    expect((await app.request(`/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'text/html' }, body: snapshot })).status).toBe(201);
    const text = await browser.get(`/console/evidence/${sha256}`);
    expect(text.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('Content-Disposition')).toBe(`attachment; filename="${sha256}.html.txt"`);
    expect(text.headers.get('Content-Security-Policy')).toBe('sandbox');
    expect((await browser.get('/console/evidence/not-a-hash')).status).toBe(404);
  });

  it('hides contact details without consent; with consent, shows them only after an audited ask', async () => {
    const named = (shareContact: boolean) => (report: Report): Report => ({
      ...report,
      reporter: { ...report.reporter, anonymous: false, name: 'Sam Reporter', email: 'sam@example.net', contact: { channel: 'email' }, consents: { ...report.reporter.consents, shareContact } },
    });
    const withheld = await file(named(false));
    const page = await (await browser.get(`/console/reports/${withheld.reference}`)).text();
    expect(page).toContain('did not agree to share');
    expect(page).not.toContain('sam@example.net');
    expect((await browser.post(`/console/reports/${withheld.reference}/contact`)).headers.get('Location')).toContain('problem=invalid');
    expect(await (await browser.get(`/console/reports/${withheld.reference}?contact=shown`)).text()).not.toContain('sam@example.net');

    const shared = await file(named(true));
    const before = await (await browser.get(`/console/reports/${shared.reference}?contact=shown`)).text();
    expect(before).not.toContain('sam@example.net');
    expect(before).toContain('Show contact details');
    const ask = await browser.post(`/console/reports/${shared.reference}/contact`);
    expect(ask.status).toBe(303);
    const after = await (await browser.get(ask.headers.get('Location')!)).text();
    expect(after).toContain('sam@example.net');
    expect(after).toContain('Sam Reporter');
    expect(await trail(shared.reference)).toEqual([{ action: 'contact.reveal', actor_id: moderatorId, before: null, after: null }]);
  });

  it('turns no naughty string in any field into markup: every tag and attribute on the page is the page\'s own', async () => {
    let shown = 0;
    for (const text of [...blns(), '<svg onload=alert(1)>', 'javascript:alert(1)', '"><img src=x onerror=alert(2)>', '${7*7}{{7*7}}<%= 7*7 %>']) {
      const report = everywhere(text);
      const filed = await postReport(app, report, report.id);
      if (filed.status !== 201) {
        expect(filed.status, text).toBe(422); // too long for a capped field, or not storable: refused at intake
        continue;
      }
      const { reference } = Receipt.parse(await filed.json());
      await browser.post(`/console/reports/${reference}/public-note`, { note: text });
      expectOnlyOwnMarkup(await (await browser.get(`/console/reports/${reference}`)).text(), text);
      shown++;
    }
    expect(shown).toBeGreaterThan(400);
  }, 300_000);

  it('is 404 for an unknown or malformed reference', async () => {
    expect((await browser.get('/console/reports/OHR-0000-0000')).status).toBe(404);
    expect((await browser.get('/console/reports/%3Cscript%3E')).status).toBe(404);
  });
});

describe('workflow', () => {
  it('moves a report along the allowed transitions, audits each change, and the reporter sees the public note', async () => {
    const receipt = await file();
    const { reference } = receipt;
    const go = (fields: Record<string, string>) => browser.post(`/console/reports/${reference}/status`, fields);

    expect((await go({ to: 'referred', outcome: '' })).headers.get('Location')).toBe(`/console/reports/${reference}?problem=not_allowed`);
    expect((await go({ to: 'in_review', outcome: 'duplicate' })).headers.get('Location')).toContain('problem=outcome_only_on_close');
    expect(await status(reference)).toEqual({ status: 'received', outcome: null });
    expect((await go({ to: 'in_review', outcome: '' })).headers.get('Location')).toBe(`/console/reports/${reference}?done=status`);
    expect((await go({ to: 'closed', outcome: '' })).headers.get('Location')).toContain('problem=outcome_required');
    expect((await go({ to: 'sideways', outcome: '' })).headers.get('Location')).toContain('problem=invalid');
    expect(await status(reference)).toEqual({ status: 'in_review', outcome: null });

    await browser.post(`/console/reports/${reference}/public-note`, { note: `  We have passed this on. ${HOSTILE}  ` });
    await browser.post(`/console/reports/${reference}/assign`, { assignee: moderatorId });
    expect((await browser.post(`/console/reports/${reference}/assign`, { assignee: crypto.randomUUID() })).headers.get('Location')).toContain('problem=unknown_moderator');
    await browser.post(`/console/reports/${reference}/notes`, { body: 'Checked the account: it posts this daily.' });
    expect((await go({ to: 'closed', outcome: 'referred_to_police' })).headers.get('Location')).toContain('done=status');
    expect((await go({ to: 'in_review', outcome: '' })).headers.get('Location')).toContain('problem=not_allowed');

    const reporterView = await app.request(`/api/v1/reports/${reference}/status`, { headers: bearer(receipt.statusToken) });
    expect(await reporterView.json()).toMatchObject({ status: 'closed', outcome: 'referred_to_police', publicNote: `We have passed this on. ${HOSTILE}` });

    const rows = await trail(reference);
    expect(rows.map((row) => row.action)).toEqual(['status', 'public_note', 'assign', 'note', 'status']);
    expect(rows.every((row) => row.actor_id === moderatorId)).toBe(true);
    expect(rows[0]).toMatchObject({ before: { status: 'received', outcome: null }, after: { status: 'in_review', outcome: null } });
    expect(rows[4]).toMatchObject({ before: { status: 'in_review', outcome: null }, after: { status: 'closed', outcome: 'referred_to_police' } });
    expect(rows[1]).toMatchObject({ before: { publicNote: null }, after: { publicNote: `We have passed this on. ${HOSTILE}` } });

    const page = await (await browser.get(`/console/reports/${reference}`)).text();
    expect(page.match(/data-testid="audit-row"/g)).toHaveLength(5);
    expect(page).toContain('Checked the account: it posts this daily.');
    expect(page).toContain('This report is closed.');
  });

  it('enforces the transition table for every pair, straight from the workflow', async () => {
    const statuses = Object.keys(TRANSITIONS) as Array<keyof typeof TRANSITIONS>;
    for (const from of statuses) {
      for (const to of statuses) {
        const { reference } = await file();
        await db().query('UPDATE reports SET status = $2 WHERE reference = $1', [reference, from]);
        const result = await changeStatus(db(), { reference, actorId: moderatorId, to, ...(to === 'closed' ? { outcome: 'duplicate' as const } : {}) });
        const allowed = TRANSITIONS[from].includes(to);
        expect(result.kind, `${from} → ${to}`).toBe(allowed ? 'done' : 'not_allowed');
        expect((await status(reference)).status).toBe(allowed ? to : from);
        expect(await trail(reference)).toHaveLength(allowed ? 1 : 0);
      }
    }
  });

  it('writes nothing, not even the audit row, when the transaction it joined rolls back', async () => {
    const { reference } = await file();
    await expect(
      db().transaction(async (tx) => {
        await steps.changeStatus(tx, { reference, actorId: moderatorId, to: 'in_review' });
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await status(reference)).toEqual({ status: 'received', outcome: null });
    expect(await trail(reference)).toHaveLength(0);
  });

  it("audits the reporter's withdrawal with no actor", async () => {
    const receipt = await file();
    await browser.post(`/console/reports/${receipt.reference}/status`, { to: 'in_review', outcome: '' });
    const withdrawn = await app.request(`/api/v1/reports/${receipt.reference}`, { method: 'DELETE', headers: bearer(receipt.statusToken) });
    expect(withdrawn.status).toBe(200);
    await app.request(`/api/v1/reports/${receipt.reference}`, { method: 'DELETE', headers: bearer(receipt.statusToken) });
    const rows = await trail(receipt.reference);
    // Then the hub erases it at once (the default retention for a withdrawn report), also with no actor.
    expect(rows.map((row) => [row.action, row.actor_id])).toEqual([['status', moderatorId], ['withdraw', null], ['report.erase', null]]);
    expect(rows[1]).toMatchObject({ before: { status: 'in_review', outcome: null }, after: { status: 'closed', outcome: 'withdrawn' } });
  });

  it('the audit log refuses UPDATE, DELETE and TRUNCATE', async () => {
    const { reference } = await file();
    await browser.post(`/console/reports/${reference}/status`, { to: 'in_review', outcome: '' });
    await expect(db().query("UPDATE audit_log SET action = 'nothing' WHERE reference = $1", [reference])).rejects.toThrow(/append-only/);
    await expect(db().query('DELETE FROM audit_log WHERE reference = $1', [reference])).rejects.toThrow(/append-only/);
    await expect(db().query('TRUNCATE audit_entries CASCADE')).rejects.toThrow(/append-only/);
    expect(await trail(reference)).toHaveLength(1);
  });
});

/** The tags and attributes the report view itself writes. */
const OWN_TAGS = new Set('html head meta title link body a header p nav ul li form span input button main h1 h2 h3 h4 section dl dt dd blockquote select option label textarea code article table thead tbody tr th td div strong pre bdi script details summary dialog kbd ol'.split(' '));
const OWN_ATTRIBUTES = new Set(
  'lang dir charset name content rel href class aria-label aria-current aria-labelledby aria-describedby method action type value id tabindex role data-testid for required selected rows maxlength scope src defer hidden aria-haspopup novalidate aria-required'.split(' '),
);
const TAG = /<([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<]*")?)*)\s*\/?>|<\/([a-z][a-z0-9]*)>/g;

/**
 * Every `<` of the page must open or close a well-formed tag the view writes, with attributes it writes, and no link
 * may leave the console: text that became markup would show up as a tag or attribute that is not the page's own.
 */
function expectOnlyOwnMarkup(html: string, text: string): void {
  const body = html.replace(/^<!doctype html>/, '');
  for (const [, open, attributes = '', close] of body.matchAll(TAG)) {
    expect(OWN_TAGS.has(open ?? close ?? ''), `${text}: <${open ?? close}>`).toBe(true);
    for (const [, name, value] of attributes.matchAll(/\s+([a-z-]+)(?:="([^"]*)")?/g)) {
      expect(OWN_ATTRIBUTES.has(name!), `${text}: ${name}`).toBe(true);
      if (name === 'href' || name === 'action') expect(value, text).toMatch(/^(\/console\/|#)/);
    }
  }
  expect(body.replace(TAG, '').includes('<'), `${text}: a < outside the page's own tags`).toBe(false);
}
