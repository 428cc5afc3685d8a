import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../../hub/console/queue/query';
import { blns } from '../../fixtures/naughty';
import { consoleApp, signedIn, type Browser } from './console-helpers';
import { contactable, seedReport } from './console-queue-fixtures';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let app: Hono;
let browser: Browser;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = consoleApp(testDb.db);
  ({ browser } = await signedIn(app, testDb.db));
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());
beforeEach(async () => {
  await testDb.db.query('DELETE FROM reports');
});

const referencesIn = (html: string) => [...html.matchAll(/<th scope="row"><a href="\/console\/reports\/(OHR-[0-9A-Z-]+)[?"]/g)].map((match) => match[1]);

describe('GET /console/queue', () => {
  it('sends a visitor without a session to sign in', async () => {
    const response = await app.request('/console/queue?status=all');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/console/login?next=%2Fconsole%2Fqueue%3Fstatus%3Dall');
  });

  it('lists the open reports urgent first, with the filter form, the count and each row’s labels', async () => {
    const older = await seedReport(db(), { receivedAt: '2026-01-01T00:00:00Z', incident: { targetedCharacteristics: ['disability'], harmTypes: ['threat'] }, items: [{ platform: 'tiktok' }] });
    const urgent = await seedReport(db(), { receivedAt: '2026-02-01T00:00:00Z', urgent: true });
    await seedReport(db(), { status: 'closed' });
    const response = await browser.get('/console/queue');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(referencesIn(html)).toEqual([urgent, older]);
    expect(html).toContain('2 reports match.');
    expect(html).toContain('<strong class="urgent">Urgent</strong>');
    expect(html).toContain('<p class="meta">disability · threat · TikTok</p>');
    expect(html).toMatch(/<label for="filter-characteristic">Targeted characteristic<\/label>/);
    expect(html).not.toContain('Next page');
  });

  it('applies the filters from the query string and keeps them in the form', async () => {
    const tiktok = await seedReport(db(), { items: [{ platform: 'tiktok' }] });
    await seedReport(db(), { items: [{ platform: 'x' }] });
    const html = await (await browser.get('/console/queue?platform=tiktok&status=&characteristic=&q=')).text();
    expect(referencesIn(html)).toEqual([tiktok]);
    expect(html).toContain('<option value="tiktok" selected>');
  });

  it('says when nothing matches', async () => {
    const html = await (await browser.get('/console/queue?q=nothing-like-this')).text();
    expect(html).toContain('No reports match these filters.');
  });

  it('answers a bad filter or a damaged page link with 400 and words, keeping the form', async () => {
    for (const [query, words] of [
      ['status=deleted', 'Invalid option'],
      ['from=2026-02-30', 'Use a date such as 2026-01-31'],
      ['from=2026-03-02&to=2026-03-01', 'The end date is before the start date'],
      ['cursor=eyJkIjoibmV4dCJ9', 'This page link is damaged or out of date'],
      ['cursor=%00%01', 'This page link is damaged or out of date'],
      ['q=%00', 'The search cannot contain the NUL character'],
    ] as const) {
      const response = await browser.get(`/console/queue?${query}`);
      expect(response.status, query).toBe(400);
      const html = await response.text();
      expect(html, query).toContain(words);
      expect(html, query).toContain('<form method="get" action="/console/queue"');
    }
  });

  it('pages by keyset through links that keep the filters', async () => {
    for (let i = 0; i < PAGE_SIZE + 5; i++) await seedReport(db(), { receivedAt: '2026-06-01T00:00:00Z', items: [{ platform: 'reddit' }] });
    const first = await (await browser.get('/console/queue?platform=reddit')).text();
    expect(referencesIn(first)).toHaveLength(PAGE_SIZE);
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/console\/queue\?platform=reddit&cursor=[A-Za-z0-9_-]+$/);
    const second = await (await browser.get(next!)).text();
    expect(referencesIn(second)).toHaveLength(5);
    expect(new Set([...referencesIn(first), ...referencesIn(second)]).size).toBe(PAGE_SIZE + 5);
    const prev = /<a href="([^"]+)" rel="prev">Previous page<\/a>/.exec(second)?.[1]?.replaceAll('&amp;', '&');
    expect(referencesIn(await (await browser.get(prev!)).text())).toEqual(referencesIn(first));
  });

  it('shows the cluster badge and the repeat-target flag, never the contact', async () => {
    const url = 'https://www.instagram.com/p/Cx1/?igshid=abc';
    const first = await seedReport(db(), { items: [{ url, platform: 'instagram' }], reporter: contactable('repeat.person@example.org') });
    await seedReport(db(), { items: [{ url: 'https://instagram.com/p/Cx1', platform: 'instagram' }] });
    await seedReport(db(), { items: [{ url: 'https://instagram.com/p/Cx1/', platform: 'instagram' }], reporter: contactable('repeat.person@example.org') });
    const html = await (await browser.get('/console/queue')).text();
    expect(html).toContain(`<a href="/console/clusters/${first}">2 related</a>`);
    expect(html).toContain('Repeat target: 1 other report from the same person');
    expect(html).not.toContain('repeat.person');
  });

  it('answers every string of the Big List of Naughty Strings in the search box with 200 or 400, never 5xx', async () => {
    await seedReport(db(), { incident: { summary: 'something to find' } });
    const strings = blns();
    const statuses = new Map<number, number>();
    for (const text of strings) {
      const response = await browser.get(`/console/queue?q=${encodeURIComponent(text)}`);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect([200, 400], text).toContain(response.status);
    }
    expect(statuses.get(200)).toBeGreaterThan(strings.length - 10);
    // Some 500 requests through the whole app; PGlite on a busy machine needs longer than the default.
  }, 120_000);
});

function db() {
  return testDb.db;
}
