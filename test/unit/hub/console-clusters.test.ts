import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clusterOf } from '../../../hub/console/clusters/query';
import type { Moderator } from '../../../hub/console/auth/accounts';
import { consoleApp, makeModerator, signedIn, type Browser } from './console-helpers';
import { contactable, seedReport } from './console-queue-fixtures';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let browser: Browser;
let me: Moderator;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = consoleApp(testDb.db);
  ({ browser, moderator: me } = await signedIn(app, testDb.db));
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());
beforeEach(async () => {
  await testDb.db.query('DELETE FROM reports');
});

const db = () => testDb.db;
const evidence = (sha256: string) => [{ sha256, mediaType: 'image/png' as const, bytes: 10, kind: 'screenshot' as const }];
const members = async (reference: string) => new Set((await clusterOf(db(), reference))?.members.map((member) => member.reference));

describe('clusters', () => {
  it('group reports about the same page, however its address was written', async () => {
    const a = await seedReport(db(), { items: [{ url: 'https://twitter.com/someone/status/42?s=20', platform: 'x' }] });
    const b = await seedReport(db(), { items: [{ url: 'https://x.com/home', permalink: 'https://x.com/someone/status/42/', platform: 'x' }] });
    const c = await seedReport(db(), { items: [{ url: 'https://mobile.twitter.com/someone/status/42#reply', platform: 'x' }] });
    const other = await seedReport(db(), { items: [{ url: 'https://x.com/someone/status/43', platform: 'x' }] });
    expect(await members(a)).toEqual(new Set([a, b, c]));
    expect(await members(other)).toEqual(new Set([other]));
    const cluster = await clusterOf(db(), a);
    expect(cluster?.members.find((member) => member.reference === b)).toMatchObject({ sameUrl: true, sameAuthor: false, sameEvidence: false, urls: ['https://x.com/someone/status/42'] });
  });

  it('group reports about the same author: handle in any case, profile address, or the platform’s id', async () => {
    const a = await seedReport(db(), { items: [{ url: 'https://x.com/a/status/1', platform: 'x', author: { handle: '@Troll_Account' } }] });
    const b = await seedReport(db(), { items: [{ url: 'https://x.com/b/status/2', platform: 'x', author: { handle: 'troll_account' } }] });
    const c = await seedReport(db(), { items: [{ url: 'https://x.com/c/status/3', platform: 'x', author: { profileUrl: 'https://www.facebook.com/troll.page/' } }] });
    const d = await seedReport(db(), { items: [{ url: 'https://x.com/d/status/4', platform: 'tiktok', author: { profileUrl: 'https://facebook.com/troll.page' } }] });
    // The same handle on another platform, or on an unnamed site, is not the same person.
    const elsewhere = await seedReport(db(), { items: [{ url: 'https://x.com/e/status/5', platform: 'tiktok', author: { handle: '@troll_account' } }] });
    const unnamed = await seedReport(db(), { items: [{ url: 'https://forum.example/t/6', platform: 'other', author: { handle: '@troll_account' } }] });
    const renamed = await seedReport(db(), { items: [{ url: 'https://x.com/f/status/7', platform: 'x', author: { handle: '@old_name', platformId: '12345' } }] });
    const sameId = await seedReport(db(), { items: [{ url: 'https://x.com/g/status/8', platform: 'x', author: { handle: '@new_name', platformId: '12345' } }] });
    expect(await members(a)).toEqual(new Set([a, b]));
    expect(await members(c)).toEqual(new Set([c, d]));
    expect(await members(renamed)).toEqual(new Set([renamed, sameId]));
    expect(await members(elsewhere)).toEqual(new Set([elsewhere]));
    expect(await members(unnamed)).toEqual(new Set([unnamed]));
  });

  it('group reports sharing a piece of evidence', async () => {
    const hash = 'e'.repeat(64);
    const a = await seedReport(db(), { items: [{ url: 'https://example.org/1', evidence: evidence(hash) }] });
    const b = await seedReport(db(), { items: [{ url: 'https://example.org/2', evidence: [...evidence('d'.repeat(64)), ...evidence(hash)] }] });
    await seedReport(db(), { items: [{ url: 'https://example.org/3', evidence: evidence('c'.repeat(64)) }] });
    expect(await members(a)).toEqual(new Set([a, b]));
    expect((await clusterOf(db(), a))?.members.find((member) => member.reference === b)?.evidence).toEqual([hash]);
  });

  it('flag repeat targets by the reporter’s email or phone, on the cluster page, without showing them', async () => {
    const a = await seedReport(db(), { reporter: contactable('Person@Example.org', '+44 7700 900123'), items: [{ url: 'https://example.org/a' }] });
    const byEmail = await seedReport(db(), { reporter: contactable(' person@example.org'), items: [{ url: 'https://example.org/b' }] });
    const byPhone = await seedReport(db(), { reporter: contactable('other@example.org', '+44 (7700) 900-123'), items: [{ url: 'https://example.org/c' }] });
    await seedReport(db(), { reporter: contactable('someone.else@example.org'), items: [{ url: 'https://example.org/d' }] });
    const cluster = await clusterOf(db(), a);
    expect(new Set(cluster?.sameReporter.map((report) => report.reference))).toEqual(new Set([byEmail, byPhone]));
    // Same reporter is a flag, not a cluster: different incidents are not duplicates.
    expect(cluster?.members.map((member) => member.reference)).toEqual([a]);
    const html = await (await browser.get(`/console/clusters/${a}`)).text();
    expect(html).toContain('Repeat target: 3 reports come from the same person');
    expect(html).toContain(byEmail);
    expect(html.toLowerCase()).not.toContain('person@example.org');
    expect(html).not.toContain('7700');
    // Keyed hashes: neither the address nor a plain SHA-256 of it is stored as a key.
    const [keys] = await db().query<{ contact_keys: string[] }>('SELECT contact_keys FROM reports WHERE reference = $1', [a]);
    const plain = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('email:person@example.org'))).toString('hex');
    expect(keys?.contact_keys).toHaveLength(2);
    expect(keys?.contact_keys).not.toContain(plain);
  });
});

/** Posts the cluster form with repeated fields, as a browser does for several ticked checkboxes. */
async function postCluster(anchor: string, fields: Array<[string, string]>): Promise<Response> {
  return app.request(`/console/clusters/${anchor}`, {
    method: 'POST',
    headers: { Cookie: browser.cookie, 'Sec-Fetch-Site': 'same-origin' },
    body: new URLSearchParams([['csrf', browser.csrf], ...fields]),
  });
}

async function cluster3(): Promise<[string, string, string]> {
  const url = 'https://www.youtube.com/watch?v=abc&si=1';
  const a = await seedReport(db(), { receivedAt: '2026-01-01T00:00:00Z', items: [{ url, platform: 'youtube' }] });
  const b = await seedReport(db(), { receivedAt: '2026-01-02T00:00:00Z', items: [{ url: 'https://youtu.be/abc', platform: 'youtube' }] });
  const c = await seedReport(db(), { receivedAt: '2026-01-03T00:00:00Z', items: [{ url: 'https://m.youtube.com/watch?v=abc', platform: 'youtube' }] });
  return [a, b, c];
}

const rowOf = async (reference: string) =>
  (await db().query<{ status: string; outcome: string | null; assigned_to: string | null; duplicate_of: string | null }>(
    'SELECT status, outcome, assigned_to, duplicate_of FROM reports WHERE reference = $1',
    [reference],
  ))[0];
const auditOf = (reference: string) =>
  db().query<{ action: string; actor_id: string; after: Record<string, unknown> }>('SELECT action, actor_id, after FROM audit_log WHERE reference = $1 ORDER BY id', [reference]);

describe('the cluster page', () => {
  it('lists the report and its related reports, with what they share, and answers 404 for an unknown one', async () => {
    const [a, b, c] = await cluster3();
    await browser.get(`/console/clusters/${a}`);
    const response = await browser.get(`/console/clusters/${a}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const reference of [a, b, c]) expect(html).toContain(`value="${reference}"`);
    expect(html).toContain('<code><bdi class="reported">https://youtube.com/watch?v=abc</bdi></code>');
    expect(html).toContain('same page');
    expect((await browser.get('/console/clusters/OHR-0000-0000')).status).toBe(404);
    expect((await browser.get('/console/clusters/not-a-reference')).status).toBe(404);
  });

  it('assigns the chosen reports, each with its audit row', async () => {
    const [a, b, c] = await cluster3();
    await browser.get(`/console/clusters/${a}`);
    const response = await postCluster(a, [['action', 'assign'], ['reference', a], ['reference', b], ['assignee', me.id]]);
    expect(response.status).toBe(303);
    const page = await (await browser.get(response.headers.get('Location')!)).text();
    expect(page).toContain('2 reports changed.');
    expect((await rowOf(a))?.assigned_to).toBe(me.id);
    expect((await rowOf(b))?.assigned_to).toBe(me.id);
    expect((await rowOf(c))?.assigned_to).toBeNull();
    expect(await auditOf(b)).toEqual([{ action: 'assign', actor_id: me.id, after: { assignedTo: me.id } }]);
  });

  it('changes status report by report, naming the one that cannot move', async () => {
    const [a, b, c] = await cluster3();
    await db().query(`UPDATE reports SET status = 'closed', outcome = 'actioned' WHERE reference = $1`, [c]);
    await browser.get(`/console/clusters/${a}`);
    const response = await postCluster(a, [['action', 'status'], ['reference', a], ['reference', b], ['reference', c], ['to', 'in_review'], ['outcome', '']]);
    const page = await (await browser.get(response.headers.get('Location')!)).text();
    expect(page).toContain('2 reports changed.');
    expect(page).toContain(`${c}: cannot go from closed to being reviewed`);
    expect((await rowOf(a))?.status).toBe('in_review');
    expect((await rowOf(b))?.status).toBe('in_review');
    expect((await rowOf(c))?.status).toBe('closed');
  });

  it('closes the others as duplicates pointing at the original, which stays as it was', async () => {
    const [a, b, c] = await cluster3();
    const other = await seedReport(db(), { items: [{ url: 'https://example.org/unrelated' }] });
    await browser.get(`/console/clusters/${a}`);
    const response = await postCluster(a, [['action', 'duplicate'], ['original', a], ['reference', a], ['reference', b], ['reference', c], ['reference', other]]);
    const page = await (await browser.get(response.headers.get('Location')!)).text();
    expect(page).toContain('2 reports changed.');
    expect(page).toContain(`${other}: is not in this cluster`);
    expect(page).toContain('The original cannot also be closed as a duplicate of itself');
    expect(page).toContain(`duplicate of ${a}`);
    expect(await rowOf(a)).toEqual({ status: 'received', outcome: null, assigned_to: null, duplicate_of: null });
    for (const reference of [b, c]) {
      expect(await rowOf(reference)).toEqual({ status: 'closed', outcome: 'duplicate', assigned_to: null, duplicate_of: a });
      expect((await auditOf(reference)).map((row) => row.after)).toEqual([{ status: 'closed', outcome: 'duplicate' }, { duplicateOf: a }]);
    }
    expect((await rowOf(other))?.status).toBe('received');
  });

  it('says in words what is wrong with a form it cannot use, and refuses a post without the CSRF token', async () => {
    const [a, b] = await cluster3();
    await browser.get(`/console/clusters/${a}`);
    const none = await postCluster(a, [['action', 'assign'], ['assignee', '']]);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Choose at least one report.');
    const noOriginal = await postCluster(a, [['action', 'duplicate'], ['reference', b]]);
    expect(await (await browser.get(noOriginal.headers.get('Location')!)).text()).toContain('Choose which report is the original.');
    const forged = await app.request(`/console/clusters/${a}`, {
      method: 'POST',
      headers: { Cookie: browser.cookie, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams([['action', 'assign'], ['reference', b], ['assignee', '']]),
    });
    expect(forged.status).toBe(403);
    const disabled = await makeModerator(db());
    await db().query('UPDATE moderators SET disabled_at = now() WHERE id = $1', [disabled.id]);
    const unknown = await postCluster(a, [['action', 'assign'], ['reference', b], ['assignee', disabled.id]]);
    expect(await (await browser.get(unknown.headers.get('Location')!)).text()).toContain(`${b}: that moderator cannot be assigned`);
  });
});
