/**
 * The queue as a work list (issue 19 item 3), on a real database (PGlite, and PostgreSQL with DATABASE_URL): the
 * orders and their page links, the urgent and past-target filters, each row's summary and first picture, "Assign to
 * me" and the actions on chosen rows (each report audited as a single action is), the saved views, the content
 * warning and the time targets from hub config, the page's script and its policy, and plural words.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ctn } from '../../../lib/i18n/console';
import { t } from '../../../lib/i18n';
import type { Report, ReportStatus } from '../../../lib/schema';
import { DEFAULT_CONFIG } from '../../../hub/config';
import { encodeCursor, PAGE_SIZE, QueueParams, queueClock, queuePage, SNIPPET_CHARS, type QueueFilters } from '../../../hub/console/queue/query';
import { canonicalQuery, saveView, SaveViewForm, VIEW_MAX, viewsOf } from '../../../hub/console/queue/views';
import { snippet, targetOf } from '../../../hub/console/queue/page';
import { queueNeighbours } from '../../../hub/console/queue/neighbours';
import { sampleReport } from '../../fixtures/report';
import { clock, consoleApp, makeModerator, signedIn, type Browser } from './console-helpers';
import { seedReport } from './console-queue-fixtures';
import { openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let browser: Browser;
let me: string;
const NOW = new Date('2026-06-10T12:00:00Z');
const time = clock(NOW);

beforeAll(async () => {
  testDb = await openTestDatabase();
  // Targets of 4 h (urgent) and 48 h, and summaries of threats folded behind a content warning.
  app = consoleApp(testDb.db, time, { console: { triageUrgentHours: 4, triageNormalHours: 48, contentWarningHarmTypes: ['threat'] } });
  const signed = await signedIn(app, testDb.db);
  browser = signed.browser;
  me = signed.moderator.id;
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());
beforeEach(async () => {
  await db().query('DELETE FROM reports');
  await db().query('DELETE FROM queue_views');
});

const db = () => testDb.db;
const open = (overrides: Partial<QueueFilters> = {}): QueueFilters => ({ status: 'open', assignee: 'any', ...overrides });
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
const TARGETS = { now: NOW, targets: { urgentHours: 4, normalHours: 48 } };

describe('orders', () => {
  it('sorts oldest first and newest first regardless of urgency, and urgent first by default', async () => {
    const old = await seedReport(db(), { receivedAt: '2026-01-01T00:00:00Z' });
    const urgentMiddle = await seedReport(db(), { receivedAt: '2026-02-01T00:00:00Z', urgent: true });
    const recent = await seedReport(db(), { receivedAt: '2026-03-01T00:00:00Z' });
    const order = async (sort: QueueFilters['sort']) => (await queuePage(db(), open({ sort }), me)).rows.map((row) => row.reference);
    expect(await order('urgency')).toEqual([urgentMiddle, old, recent]);
    expect(await order(undefined)).toEqual([urgentMiddle, old, recent]);
    expect(await order('oldest')).toEqual([old, urgentMiddle, recent]);
    expect(await order('newest')).toEqual([recent, urgentMiddle, old]);
  });

  for (const sort of ['oldest', 'newest'] as const) {
    it(`pages ${sort} first by keyset: every row once, forwards and back, urgent and not merged, ties by reference`, async () => {
      const seeded: string[] = [];
      for (let i = 0; i < PAGE_SIZE + 23; i++) {
        seeded.push(await seedReport(db(), { receivedAt: `2026-05-0${1 + (i % 4)}T08:00:00.000001Z`, urgent: i % 3 === 0 }));
      }
      const pages: string[][] = [];
      let page = await queuePage(db(), open({ sort }), me);
      pages.push(page.rows.map((row) => row.reference));
      while (page.next) {
        expect(page.next.s).toBe(sort);
        page = await queuePage(db(), open({ sort }), me, page.next);
        pages.push(page.rows.map((row) => row.reference));
      }
      expect(pages.map((rows) => rows.length)).toEqual([PAGE_SIZE, 23]);
      const direction = sort === 'oldest' ? 'ASC' : 'DESC';
      const expected = await db().query<{ reference: string }>(`SELECT reference FROM reports ORDER BY received_at ${direction}, reference ${direction}`);
      expect(pages.flat()).toEqual(expected.map((row) => row.reference));
      expect(new Set(pages.flat())).toEqual(new Set(seeded));
      page = await queuePage(db(), open({ sort }), me, page.prev);
      expect(page.rows.map((row) => row.reference)).toEqual(pages[0]);
      expect(page.prev).toBeUndefined();
    });
  }

  it('refuses a page link made for another order, in words', () => {
    const cursor = encodeCursor({ d: 'next', s: 'newest', u: false, t: '2026-05-01T12:00:00.123456Z', r: 'OHR-ABCD-1234' });
    expect(QueueParams.safeParse({ cursor, sort: 'newest' }).success).toBe(true);
    const other = QueueParams.safeParse({ cursor, sort: 'oldest' });
    expect(other.error?.issues[0]?.message).toMatch(/page link is damaged or out of date/);
    expect(QueueParams.safeParse({ cursor }).success).toBe(false);
    expect(QueueParams.safeParse({ sort: 'random' }).success).toBe(false);
  });
});

describe('filters for the built-in views', () => {
  it('"urgent" keeps the urgent reports only', async () => {
    const urgent = await seedReport(db(), { urgent: true });
    await seedReport(db());
    expect((await queuePage(db(), open({ urgent: 'only' }), me)).rows.map((row) => row.reference)).toEqual([urgent]);
  });

  it('"past target" keeps reports still waiting (received, in review) and older than their urgency’s target', async () => {
    const urgentLate = await seedReport(db(), { urgent: true, receivedAt: hoursAgo(5) });
    await seedReport(db(), { urgent: true, receivedAt: hoursAgo(3) });
    const normalLate = await seedReport(db(), { status: 'in_review', receivedAt: hoursAgo(49) });
    await seedReport(db(), { receivedAt: hoursAgo(47) });
    await seedReport(db(), { status: 'needs_info', receivedAt: hoursAgo(100) });
    await seedReport(db(), { status: 'referred', urgent: true, receivedAt: hoursAgo(100) });
    const rows = (await queuePage(db(), open({ due: 'over' }), me, undefined, TARGETS)).rows;
    expect(rows.map((row) => row.reference)).toEqual([urgentLate, normalLate]);
    // The report view's next in that view follows the organisation's targets too (hub config's 24 h and 72 h would
    // leave both out).
    expect((await queueNeighbours(db(), 'due=over', urgentLate, me, TARGETS))?.next?.reference).toBe(normalLate);
    expect((await queueNeighbours(db(), 'due=over', urgentLate, me, queueClock(DEFAULT_CONFIG.console, NOW)))?.next).toBeUndefined();
    const page = await (await browser.get('/console/queue?due=over')).text();
    expect(page).toContain('2 reports match.');
  });

  it('says where a waiting report stands against its target: due soon in the last quarter, then past it', () => {
    const targets = TARGETS.targets;
    const row = (hours: number, urgent = false, status: ReportStatus = 'received') => ({
      urgent,
      status,
      receivedAt: new Date(hoursAgo(hours)),
    });
    expect(targetOf(row(30), NOW, targets)).toBeUndefined();
    expect(targetOf(row(37), NOW, targets)).toEqual({ kind: 'soon', hours: 11 });
    expect(targetOf(row(48), NOW, targets)).toEqual({ kind: 'over', hours: 48 });
    expect(targetOf(row(3.5, true), NOW, targets)).toEqual({ kind: 'soon', hours: 1 });
    expect(targetOf(row(4.1, true), NOW, targets)).toEqual({ kind: 'over', hours: 4 });
    expect(targetOf(row(500, true, 'referred'), NOW, targets)).toBeUndefined();
  });
});

describe('rows', () => {
  it('carry the summary’s start (a character more, to know it was cut) and cut it at a word', async () => {
    const long = `${'Word '.repeat(60)}end`;
    const reference = await seedReport(db(), { incident: { summary: long } });
    const [row] = (await queuePage(db(), open(), me)).rows;
    expect(row?.reference).toBe(reference);
    expect(Array.from(row?.summary ?? '')).toHaveLength(SNIPPET_CHARS + 1);
    const cut = snippet(row!.summary!);
    expect(cut.endsWith('Word…')).toBe(true);
    expect(Array.from(cut).length).toBeLessThanOrEqual(SNIPPET_CHARS + 1);
    expect(snippet('Short and whole')).toBe('Short and whole');
    // Never half a character: an emoji at the cut stays whole.
    expect(snippet('😀'.repeat(SNIPPET_CHARS + 5))).toBe(`${'😀'.repeat(SNIPPET_CHARS)}…`);
  });

  it('carry the first picture the hub holds, a screenshot before any other kind; none without one', async () => {
    const element = await uploadPng(app);
    const screenshot = await uploadPng(app);
    const base = sampleReport();
    const [item] = base.items;
    const picture = (sha256: string, bytes: Uint8Array, kind: 'element' | 'screenshot') => ({ sha256, mediaType: 'image/png' as const, bytes: bytes.byteLength, kind });
    const report: Report = {
      ...base,
      items: [
        { ...item!, evidence: [picture(element.sha256, element.bytes, 'element')] },
        { ...item!, url: 'https://example.org/posts/2', evidence: [picture(screenshot.sha256, screenshot.bytes, 'screenshot')] },
      ],
    };
    expect((await postReport(app, report, report.id)).status).toBe(201);
    const without = await seedReport(db());
    const rows = (await queuePage(db(), open({ sort: 'newest' }), me)).rows;
    expect(rows.find((row) => row.reference === without)?.thumbnail).toBeNull();
    expect(rows.find((row) => row.reference !== without)?.thumbnail).toBe(screenshot.sha256);

    const html = await (await browser.get('/console/queue')).text();
    expect(html).toContain(`<img class="sensitive-media" src="/console/evidence/${screenshot.sha256}"`);
    expect(html).toMatch(/<input type="checkbox" id="thumb-OHR-[0-9A-Z-]+" class="reveal"\/>/);
  });

  it('fold a summary behind a content warning for the harm types the organisation names, and mark targets', async () => {
    await seedReport(db(), { urgent: true, receivedAt: hoursAgo(6), incident: { summary: 'They said they would find me', harmTypes: ['threat'] } });
    await seedReport(db(), { receivedAt: hoursAgo(40), incident: { summary: 'Slurs under my photo', harmTypes: ['hate_speech'] } });
    const html = await (await browser.get('/console/queue')).text();
    expect(html).toContain(
      '<details class="warning"><summary>Content warning: threat. Show the summary</summary><p class="snippet"><bdi class="reported">They said they would find me</bdi></p></details>',
    );
    expect(html).toContain('<p class="snippet"><bdi class="reported">Slurs under my photo</bdi></p>');
    expect(html).toContain('<strong class="target over">Past the 4 h target</strong>');
    expect(html).toContain('<strong class="target soon">Due within 8 h</strong>');
  });
});

describe('acting from the queue', () => {
  const audit = (references: string[]) =>
    db().query<{ reference: string; action: string; actor_id: string }>(
      'SELECT reference, action, actor_id::text AS actor_id FROM audit_log WHERE reference = ANY($1) ORDER BY id',
      [references],
    );

  it('"Assign to me" on one row assigns that report alone, audited, and comes back to the same filters', async () => {
    const one = await seedReport(db(), { items: [{ platform: 'tiktok' }] });
    const other = await seedReport(db(), { items: [{ platform: 'tiktok' }] });
    await browser.get('/console/queue?platform=tiktok');
    const response = await browser.post('/console/queue', { mine: one, reference: other, back: 'platform=tiktok&sort=newest&evil=1' });
    expect(response.status).toBe(303);
    const location = response.headers.get('Location') ?? '';
    expect(location).toMatch(/^\/console\/queue\?platform=tiktok&sort=newest&result=[A-Za-z0-9_-]+$/);
    expect(await audit([one, other])).toEqual([{ reference: one, action: 'assign', actor_id: me }]);
    await db().query(`UPDATE moderators SET display_name = 'Sam Patel' WHERE id = $1`, [me]);
    const page = await (await browser.get(location)).text();
    expect(page).toContain('1 report changed.');
    // The assignee by the name they gave themselves; the row opens the report with this queue for next and previous.
    expect(page).toMatch(new RegExp(`${one}[\\s\\S]*?<td>Sam Patel</td>`));
    expect(page).toContain(`<option value="${me}">Sam Patel</option>`);
    expect(page).toContain(`<a href="/console/reports/${one}?queue=platform%3Dtiktok%26sort%3Dnewest">`);
    await db().query('UPDATE moderators SET display_name = NULL WHERE id = $1', [me]);
  });

  it('assigns the chosen reports to me, each in its own audited change', async () => {
    const chosen = [await seedReport(db()), await seedReport(db()), await seedReport(db())];
    const response = await app.request('/console/queue', {
      method: 'POST',
      headers: { Cookie: browser.cookie, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams([['csrf', browser.csrf], ['action', 'assign_me'], ['back', ''], ...chosen.map((reference) => ['reference', reference])]),
    });
    expect(response.status).toBe(303);
    const rows = await db().query<{ assigned_to: string }>('SELECT assigned_to::text AS assigned_to FROM reports WHERE reference = ANY($1)', [chosen]);
    expect(rows.map((row) => row.assigned_to)).toEqual([me, me, me]);
    expect((await audit(chosen)).map((entry) => entry.action)).toEqual(['assign', 'assign', 'assign']);
    expect(await (await browser.get(response.headers.get('Location')!)).text()).toContain('3 reports changed.');
  });

  it('changes status where the workflow allows and names each report it does not', async () => {
    const received = await seedReport(db());
    const closed = await seedReport(db(), { status: 'closed' });
    const response = await app.request('/console/queue', {
      method: 'POST',
      headers: { Cookie: browser.cookie, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams([['csrf', browser.csrf], ['action', 'status'], ['to', 'in_review'], ['outcome', ''], ['back', 'status=all'], ['reference', received], ['reference', closed]]),
    });
    const page = await (await browser.get(response.headers.get('Location')!)).text();
    expect(page).toContain('1 report changed.');
    expect(page).toContain(`${closed}: cannot go from ${t('status.closed')} to ${t('status.in_review')}`);
    const [row] = await db().query<{ status: string }>('SELECT status FROM reports WHERE reference = $1', [received]);
    expect(row?.status).toBe('in_review');
    expect(await audit([received, closed])).toEqual([{ reference: received, action: 'status', actor_id: me }]);
  });

  it('refers the chosen reports through the referral page, and says so when none was chosen', async () => {
    const a = await seedReport(db());
    const b = await seedReport(db());
    const refer = await app.request('/console/queue', {
      method: 'POST',
      headers: { Cookie: browser.cookie, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams([['csrf', browser.csrf], ['action', 'refer'], ['back', ''], ['reference', a], ['reference', b]]),
    });
    expect(refer.headers.get('Location')).toBe(`/console/referrals?refs=${a},${b}`);
    const referral = await (await browser.get(refer.headers.get('Location')!)).text();
    expect(referral).toContain('<h1>Refer 2 reports</h1>');
    expect(await (await browser.get(`/console/referrals?refs=${a}`)).text()).toContain('<h1>Refer 1 report</h1>');

    const none = await browser.post('/console/queue', { action: 'assign_me', back: 'assignee=mine' });
    expect(none.headers.get('Location')).toBe('/console/queue?assignee=mine&note=none_chosen');
    expect(await (await browser.get(none.headers.get('Location')!)).text()).toContain('Choose at least one report.');
    expect((await browser.post('/console/queue', { action: 'delete_everything', reference: a })).status).toBe(400);
  });
});

describe('saved views', () => {
  it('keeps a query in one canonical form: known keys in order, no blanks or defaults, no page link', () => {
    expect(canonicalQuery({ sort: 'urgency', platform: 'x', status: 'open', q: ' words ', cursor: 'abc', evil: '1', assignee: 'any', harm: '' })).toBe('q=words&platform=x');
    expect(canonicalQuery({})).toBe('');
    expect(SaveViewForm.safeParse({ name: 'Mine, threats', query: 'assignee=mine&harm=threat&status=' }).data).toEqual({ name: 'Mine, threats', query: 'assignee=mine&harm=threat' });
    expect(SaveViewForm.safeParse({ name: '  ', query: '' }).error?.issues[0]?.message).toBe('Give the view a name');
    expect(SaveViewForm.safeParse({ name: 'x', query: 'from=2026-02-30' }).error?.issues[0]?.message).toMatch(/cannot be saved/);
  });

  it('saves, lists, replaces by name, shows as current, deletes only the moderator’s own', async () => {
    const saved = await browser.post('/console/queue/views', { name: 'Threats on X', query: 'platform=x&harm=threat' });
    expect(saved.headers.get('Location')).toBe('/console/queue?harm=threat&platform=x&note=saved');
    const page = await (await browser.get('/console/queue?harm=threat&platform=x')).text();
    expect(page).toMatch(/<a href="\/console\/queue\?harm=threat&amp;platform=x" aria-current="page"><bdi class="reported">Threats on X<\/bdi><\/a>/);
    expect(page).toContain('<a href="/console/queue?assignee=mine">Mine</a>');
    await browser.post('/console/queue/views', { name: 'Threats on X', query: 'platform=x' });
    const views = await viewsOf(db(), me);
    expect(views).toEqual([{ id: expect.any(String), name: 'Threats on X', query: 'platform=x' }]);

    const someoneElse = await makeModerator(db());
    await saveView(db(), someoneElse.id, { name: 'Theirs', query: '' });
    const [theirs] = await viewsOf(db(), someoneElse.id);
    await browser.post(`/console/queue/views/${theirs!.id}/delete`);
    expect(await viewsOf(db(), someoneElse.id)).toHaveLength(1);
    const deleted = await browser.post(`/console/queue/views/${views[0]!.id}/delete`);
    expect(deleted.headers.get('Location')).toBe('/console/queue?note=deleted');
    expect(await viewsOf(db(), me)).toEqual([]);
    expect((await browser.post('/console/queue/views', { name: '', query: '' })).headers.get('Location')).toBe('/console/queue?note=invalid');
  });

  it(`keeps at most ${VIEW_MAX} views a moderator, and says so`, async () => {
    for (let i = 0; i < VIEW_MAX; i++) expect(await saveView(db(), me, { name: `View ${i}`, query: '' })).toBe('saved');
    expect(await saveView(db(), me, { name: 'One too many', query: '' })).toBe('too_many');
    expect(await saveView(db(), me, { name: 'View 3', query: 'urgent=only' })).toBe('saved');
    const refused = await browser.post('/console/queue/views', { name: 'Another', query: '' });
    expect(await (await browser.get(refused.headers.get('Location')!)).text()).toContain(`You have ${VIEW_MAX} views already`);
  });
});

describe('the page', () => {
  it('loads its keyboard script under a policy that allows the console’s own scripts, only on the queue', async () => {
    const queue = await browser.get('/console/queue');
    const policy = queue.headers.get('Content-Security-Policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|nonce/);
    const html = await queue.text();
    expect(html).toContain('<script src="/console/queue/keys.js" defer>');
    expect(html).toContain('<dialog id="queue-keys"');
    const account = await browser.get('/console/account');
    expect(account.headers.get('Content-Security-Policy')).not.toContain('script-src');
    const script = await app.request('/console/queue/keys.js');
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("case 'j':");
  });

  it('says "1 report", "5 reports" and "1,000 reports" through the plural catalogue', () => {
    expect(ctn('referral.title', 1)).toBe('Refer 1 report');
    expect(ctn('referral.title', 5)).toBe('Refer 5 reports');
    expect(ctn('queue.matches', 1000)).toBe('1,000 reports match.');
    expect(ctn('queue.repeat', 1)).toBe('Repeat target: 1 other report from the same person');
    expect(ctn('cluster.done', 0)).toBe('0 reports changed.');
  });
});
