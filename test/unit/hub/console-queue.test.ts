import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countMatches, encodeCursor, PAGE_SIZE, QueueParams, queuePage, type Cursor, type QueueFilters } from '../../../hub/console/queue/query';
import type { Queryable } from '../../../hub/db';
import { blns } from '../../fixtures/naughty';
import { sampleReport } from '../../fixtures/report';
import { contactable, seedReport } from './console-queue-fixtures';
import { createTestApp, describing, openTestDatabase, postReport, SETUP_TIMEOUT_MS, uploadPng, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let db: Queryable;
const ME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

beforeAll(async () => {
  testDb = await openTestDatabase();
  db = testDb.db;
  await db.query(
    `INSERT INTO moderators (id, email, password_hash, role) VALUES ($1, 'me@hub.example', 'x', 'moderator'), ($2, 'other@hub.example', 'x', 'moderator')`,
    [ME, OTHER],
  );
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const filters = (overrides: Partial<QueueFilters> = {}): QueueFilters => ({ status: 'open', assignee: 'any', ...overrides });
const references = async (overrides: Partial<QueueFilters> = {}) => (await queuePage(db, filters(overrides), ME)).rows.map((row) => row.reference);

describe('the triage columns', () => {
  it('are filled from the body by the intake API’s own insert', async () => {
    const app = createTestApp({ db: testDb.db });
    const { sha256, bytes } = await uploadPng(app);
    const report = describing(
      sampleReport({
        incident: { summary: 'Zebrafinch threats in the comments', targetedCharacteristics: ['disability', 'race'], harmTypes: ['threat'], ongoing: true },
      }),
      sha256,
      bytes,
    );
    report.items = report.items.map((item) => ({
      ...item,
      platform: 'youtube',
      url: 'https://www.youtube.com/watch?v=abc123&t=42s',
      text: 'Captured words',
      author: { handle: '@Someone' },
    }));
    const response = await postReport(app, report, report.id);
    expect(response.status).toBe(201);
    const [row] = await db.query<Record<string, unknown>>(
      `SELECT characteristics, harm_types, platforms, url_keys, author_keys, evidence_hashes, contact_keys,
              search @@ websearch_to_tsquery('simple', 'zebrafinch') AS summary_found,
              search @@ websearch_to_tsquery('simple', 'captured words') AS text_found,
              search @@ websearch_to_tsquery('simple', 'someone') AS author_found
         FROM reports WHERE id = $1`,
      [report.id],
    );
    expect(row).toEqual({
      characteristics: ['disability', 'race'],
      harm_types: ['threat'],
      platforms: ['youtube'],
      url_keys: ['https://youtube.com/watch?v=abc123'],
      author_keys: ['youtube:@someone'],
      evidence_hashes: [sha256],
      contact_keys: [],
      summary_found: true,
      text_found: true,
      author_found: true,
    });
  });
});

describe('the queue', () => {
  beforeEach(async () => {
    await db.query('DELETE FROM reports');
  });

  it('lists urgent reports first, then oldest first; equal times in reference order', async () => {
    const late = await seedReport(db, { receivedAt: '2026-03-01T00:00:00Z' });
    const early = await seedReport(db, { receivedAt: '2026-01-01T00:00:00Z' });
    const urgentLate = await seedReport(db, { receivedAt: '2026-04-01T00:00:00Z', urgent: true });
    const urgentEarly = await seedReport(db, { receivedAt: '2026-02-01T00:00:00Z', urgent: true });
    const tiedA = await seedReport(db, { receivedAt: '2026-02-15T00:00:00Z' });
    const tiedB = await seedReport(db, { receivedAt: '2026-02-15T00:00:00Z' });
    const tied = [tiedA, tiedB].sort();
    expect(await references()).toEqual([urgentEarly, urgentLate, early, ...tied, late]);
  });

  it('filters by status: open (the default) leaves closed out; one status; all', async () => {
    const received = await seedReport(db, { status: 'received', receivedAt: '2026-01-01T00:00:00Z' });
    const review = await seedReport(db, { status: 'in_review', receivedAt: '2026-01-02T00:00:00Z' });
    const closed = await seedReport(db, { status: 'closed', receivedAt: '2026-01-03T00:00:00Z' });
    expect(await references()).toEqual([received, review]);
    expect(await references({ status: 'in_review' })).toEqual([review]);
    expect(await references({ status: 'closed' })).toEqual([closed]);
    expect(await references({ status: 'all' })).toEqual([received, review, closed]);
  });

  it('filters by characteristic, harm type and platform (any item’s platform), alone and together', async () => {
    const a = await seedReport(db, { incident: { targetedCharacteristics: ['religion'], harmTypes: ['threat'] }, items: [{ platform: 'x' }] });
    const b = await seedReport(db, {
      incident: { targetedCharacteristics: ['religion', 'race'], harmTypes: ['doxxing'] },
      items: [{ platform: 'facebook' }, { platform: 'tiktok' }],
    });
    const c = await seedReport(db, { incident: { targetedCharacteristics: ['disability'], harmTypes: ['threat'] }, items: [{ platform: 'tiktok' }] });
    expect(new Set(await references({ characteristic: 'religion' }))).toEqual(new Set([a, b]));
    expect(await references({ characteristic: 'sex_gender' })).toEqual([]);
    expect(new Set(await references({ harm: 'threat' }))).toEqual(new Set([a, c]));
    expect(new Set(await references({ platform: 'tiktok' }))).toEqual(new Set([b, c]));
    expect(await references({ platform: 'tiktok', harm: 'threat' })).toEqual([c]);
    expect(await references({ characteristic: 'religion', platform: 'x', harm: 'threat' })).toEqual([a]);
  });

  it('filters by received date, whole UTC days with both ends included', async () => {
    const before = await seedReport(db, { receivedAt: '2026-02-28T23:59:59.999Z' });
    const first = await seedReport(db, { receivedAt: '2026-03-01T00:00:00Z' });
    const last = await seedReport(db, { receivedAt: '2026-03-31T23:59:59.999999Z' });
    const after = await seedReport(db, { receivedAt: '2026-04-01T00:00:00Z' });
    expect(await references({ from: '2026-03-01', to: '2026-03-31' })).toEqual([first, last]);
    expect(await references({ from: '2026-03-01' })).toEqual([first, last, after]);
    expect(await references({ to: '2026-02-28' })).toEqual([before]);
  });

  it('filters by assignee: unassigned, mine, or one moderator', async () => {
    const nobody = await seedReport(db, { receivedAt: '2026-01-01T00:00:00Z' });
    const mine = await seedReport(db, { receivedAt: '2026-01-02T00:00:00Z' });
    const theirs = await seedReport(db, { receivedAt: '2026-01-03T00:00:00Z' });
    await db.query('UPDATE reports SET assigned_to = $1 WHERE reference = $2', [ME, mine]);
    await db.query('UPDATE reports SET assigned_to = $1 WHERE reference = $2', [OTHER, theirs]);
    expect(await references({ assignee: 'unassigned' })).toEqual([nobody]);
    expect(await references({ assignee: 'mine' })).toEqual([mine]);
    expect(await references({ assignee: OTHER })).toEqual([theirs]);
    const page = await queuePage(db, filters({ assignee: OTHER }), ME);
    expect(page.rows[0]?.assigneeEmail).toBe('other@hub.example');
  });

  it('searches the summary, captured text, page titles and author handles; misses what is not there', async () => {
    const bySummary = await seedReport(db, { incident: { summary: 'They posted my address outside the mosque' } });
    const byText = await seedReport(db, { items: [{ text: 'Dylech chi adael y wlad', pageTitle: 'Trafodaeth' }] });
    const byAuthor = await seedReport(db, { items: [{ author: { handle: '@hate_account_99' } }] });
    expect(await references({ q: 'mosque' })).toEqual([bySummary]);
    expect(await references({ q: 'ADDRESS Mosque' })).toEqual([bySummary]);
    expect(await references({ q: '"adael y wlad"' })).toEqual([byText]);
    expect(await references({ q: 'trafodaeth' })).toEqual([byText]);
    expect(await references({ q: 'hate_account_99' })).toEqual([byAuthor]);
    expect(await references({ q: 'mosque -address' })).toEqual([]);
    expect(await references({ q: 'synagogue' })).toEqual([]);
    expect(await countMatches(db, filters({ q: 'mosque OR wlad' }), ME)).toBe(2);
  });

  it('takes every string of the Big List of Naughty Strings as a search without failing', async () => {
    await seedReport(db, { incident: { summary: 'A post with alert(1) in it' } });
    const strings = blns();
    let searched = 0;
    for (const text of [...strings, '<svg onload=alert(1)>', "'); DROP TABLE reports; --", '\u0000', '\ud800', '!!!', '-', '""', 'or or or']) {
      const params = QueueParams.safeParse({ q: text });
      if (!params.success) {
        // Refused at the edge, with words.
        expect(params.error.issues[0]?.message).toMatch(/search/i);
        continue;
      }
      const { cursor: _cursor, ...searchFilters } = params.data;
      await queuePage(db, searchFilters, ME);
      await countMatches(db, searchFilters, ME);
      searched++;
    }
    expect(searched).toBeGreaterThan(strings.length - 5);
    expect(await references({ q: 'alert(1)' })).toHaveLength(1);
    expect(await references({ q: '<script>alert(1)</script>' })).toEqual([]);
  }, 120_000);

  it('pages by keyset: every row exactly once, forwards and backwards, even when rows share a time', async () => {
    const seeded: string[] = [];
    for (let i = 0; i < 2 * PAGE_SIZE + 17; i++) {
      // Five instants only, so most rows tie on received_at and the reference decides.
      const receivedAt = `2026-05-0${1 + (i % 5)}T12:00:00.123456Z`;
      seeded.push(await seedReport(db, { receivedAt, urgent: i % 7 === 0 }));
    }
    const forwards: string[][] = [];
    let page = await queuePage(db, filters(), ME);
    expect(page.prev).toBeUndefined();
    forwards.push(page.rows.map((row) => row.reference));
    while (page.next) {
      page = await queuePage(db, filters(), ME, page.next);
      expect(page.prev).toBeDefined();
      forwards.push(page.rows.map((row) => row.reference));
    }
    expect(forwards.map((rows) => rows.length)).toEqual([PAGE_SIZE, PAGE_SIZE, 17]);
    const all = forwards.flat();
    expect(new Set(all).size).toBe(seeded.length);
    expect(new Set(all)).toEqual(new Set(seeded));
    const [ordered] = await Promise.all([
      db.query<{ reference: string }>('SELECT reference FROM reports ORDER BY urgent DESC, received_at, reference'),
    ]);
    expect(all).toEqual(ordered.map((row) => row.reference));

    const backwards: string[][] = [];
    while (page.prev) {
      page = await queuePage(db, filters(), ME, page.prev);
      backwards.unshift(page.rows.map((row) => row.reference));
    }
    expect(page.prev).toBeUndefined();
    expect(backwards).toEqual(forwards.slice(0, -1));
  });

  it('counts matches up to the cap', async () => {
    await seedReport(db);
    await seedReport(db, { status: 'closed' });
    expect(await countMatches(db, filters(), ME)).toBe(1);
    expect(await countMatches(db, filters({ status: 'all' }), ME)).toBe(2);
  });

  it('shows how many related reports and reports from the same reporter each row has', async () => {
    const url = 'https://x.com/someone/status/1';
    const first = await seedReport(db, { items: [{ url, platform: 'x' }], reporter: contactable('target@example.org') });
    await seedReport(db, { items: [{ url: 'https://twitter.com/someone/status/1?s=20', platform: 'x' }] });
    await seedReport(db, { reporter: contactable('Target@Example.org ') });
    const rows = (await queuePage(db, filters(), ME)).rows;
    expect(rows.find((row) => row.reference === first)).toMatchObject({ related: 1, sameReporter: 1 });
  });
});

describe('the query string', () => {
  it('accepts an empty form (every field blank) as the default view', () => {
    const parsed = QueueParams.parse({ status: '', characteristic: '', harm: '', platform: '', from: '', to: '', assignee: '', q: '  ', cursor: '' });
    expect(parsed).toEqual({ status: 'open', assignee: 'any', sort: 'urgency' });
  });

  it('refuses bad values with words', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ status: 'deleted' }, /./],
      [{ characteristic: 'height' }, /./],
      [{ from: '2026-13-01' }, /date such as/],
      [{ from: '2026-03-02', to: '2026-03-01' }, /end date is before/],
      [{ assignee: 'someone' }, /assignee/],
      [{ q: 'x'.repeat(201) }, /200 characters/],
      [{ cursor: 'not a cursor!' }, /page link/],
      [{ cursor: Buffer.from('{"d":"next"}').toString('base64url') }, /page link/],
      [{ cursor: Buffer.from('[1,2').toString('base64url') }, /page link/],
    ];
    for (const [query, message] of cases) {
      const parsed = QueueParams.safeParse(query);
      expect(parsed.success, JSON.stringify(query)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(message);
    }
  });

  it('round-trips a cursor', () => {
    const cursor: Cursor = { d: 'next', u: true, t: '2026-05-01T12:00:00.123456Z', r: 'OHR-ABCD-1234' };
    expect(QueueParams.parse({ cursor: encodeCursor(cursor) }).cursor).toEqual(cursor);
  });
});
