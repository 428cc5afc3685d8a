/**
 * Open data: counts against reports filed through the real intake API (on PGlite, and on PostgreSQL in the second
 * pass), small counts withheld in public, RFC 4180 CSV with spreadsheet formulas neutralised, and no personal data
 * anywhere in the page or the download even though every seeded report carries a name, an email, a phone number and
 * words of its own.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../lib/schema';
import { lastMonths, openDataCounts, type Counts } from '../../../hub/console/open-data/counts';
import { csvCell, toCsv } from '../../../hub/console/open-data/csv';
import { sampleReport } from '../../fixtures/report';
import { clock, consoleApp, signedIn } from './console-helpers';
import { openTestDatabase, postReport, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

const NOW = new Date('2026-11-25T12:00:00.000Z');
let testDb: TestDatabase;
let app: Hono;
/** Personal data and free text every seeded report carries; none of it may leave through open data. */
const PRIVATE: string[] = [];

async function file(index: number, incident: Partial<Report['incident']>, platform: Report['items'][number]['platform']): Promise<string> {
  const base = sampleReport();
  const marker = `secret${index}x`;
  PRIVATE.push(`${marker}@example.org`, `Person ${marker}`, `+44 7700 9${String(index).padStart(5, '0')}`, `summary ${marker}`, `captured ${marker}`);
  const report: Report = {
    ...base,
    reporter: { ...base.reporter, anonymous: false, name: `Person ${marker}`, email: `${marker}@example.org`, phone: `+44 7700 9${String(index).padStart(5, '0')}`, contact: { channel: 'email' } },
    incident: { ...base.incident, summary: `summary ${marker}`, ...incident },
    items: [{ ...base.items[0]!, platform, text: `captured ${marker}`, url: `https://example.org/${marker}`, evidence: [] }],
  };
  const response = await postReport(app, report, report.id);
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
}

const count = (counts: Counts, dimension: keyof Counts, value: string) => counts[dimension].find((row) => row.value === value)?.count;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = consoleApp(testDb.db, clock(NOW));
  // Six about race on X (one also about religion), two about religion on Facebook.
  const references: string[] = [];
  for (let index = 0; index < 6; index++) {
    references.push(await file(index, { targetedCharacteristics: index === 0 ? ['race', 'religion'] : ['race'], harmTypes: ['hate_speech'] }, 'x'));
  }
  for (let index = 6; index < 8; index++) references.push(await file(index, { targetedCharacteristics: ['religion'], harmTypes: ['threat'] }, 'facebook'));
  const at = (iso: string, reference: string) => testDb.db.query('UPDATE reports SET received_at = $1 WHERE reference = $2', [iso, reference]);
  for (const reference of references) await at('2026-11-02T10:00:00Z', reference);
  await at('2026-08-31T23:59:59Z', references[6]!);
  // Older than 24 months: not in the months, still in every other count.
  await at('2023-01-15T10:00:00Z', references[7]!);
  // Closed as a duplicate of another (the same post reported again) and withdrawn: neither is counted anywhere.
  await testDb.db.query(`UPDATE reports SET status = 'closed', outcome = 'duplicate', duplicate_of = $2 WHERE reference = $1`, [references[5]!, references[4]!]);
  const withdrawn = await file(8, { targetedCharacteristics: ['disability'], harmTypes: ['threat'] }, 'tiktok');
  await testDb.db.query(`UPDATE reports SET status = 'closed', outcome = 'withdrawn' WHERE reference = $1`, [withdrawn]);
  await at('2026-11-02T10:00:00Z', withdrawn);
  const closed = await file(9, { targetedCharacteristics: ['race'], harmTypes: ['hate_speech'] }, 'x');
  await testDb.db.query(`UPDATE reports SET status = 'closed', outcome = 'actioned' WHERE reference = $1`, [closed]);
  await at('2026-11-02T10:00:00Z', closed);
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('open data counts', () => {
  it('counts each report under every value it names, zero for the rest, over the last 24 months, without withdrawn reports and closed duplicates', async () => {
    const counts = await openDataCounts(testDb.db, NOW);
    expect(count(counts, 'characteristic', 'race')).toBe(6);
    expect(count(counts, 'characteristic', 'religion')).toBe(3);
    expect(count(counts, 'characteristic', 'disability')).toBe(0);
    expect(count(counts, 'harm', 'hate_speech')).toBe(6);
    expect(count(counts, 'harm', 'threat')).toBe(2);
    expect(count(counts, 'platform', 'x')).toBe(6);
    expect(count(counts, 'platform', 'facebook')).toBe(2);
    expect(count(counts, 'platform', 'tiktok')).toBe(0);
    expect(counts.month.map((row) => row.value)).toEqual(lastMonths(NOW));
    expect(counts.month[0]?.value).toBe('2024-12');
    expect(count(counts, 'month', '2026-11')).toBe(6);
    expect(count(counts, 'month', '2026-08')).toBe(1);
    expect(counts.month.reduce((sum, row) => sum + row.count, 0)).toBe(7);
    expect(count(counts, 'outcome', 'actioned')).toBe(1);
    expect(count(counts, 'outcome', 'duplicate')).toBeUndefined();
    expect(count(counts, 'outcome', 'withdrawn')).toBeUndefined();
    expect(count(counts, 'outcome', 'open')).toBe(7);
    expect(counts.characteristic).toHaveLength(7);
    expect(counts.platform).toHaveLength(11);
  });
});

describe('CSV', () => {
  it('quotes as RFC 4180 says and neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvCell('<5')).toBe('<5');
    expect(toCsv([['a', 'b,c'], ['1', '2']])).toBe('a,"b,c"\r\n1,2\r\n');
  });

  it('is public, withholds small counts and carries no personal data', async () => {
    const response = await app.request('/console/open-data.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="open-data-2026-11-25.csv"');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const csv = await response.text();
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('dimension,value,label,count');
    expect(lines).toContain('characteristic,race,race,6');
    expect(lines).toContain('characteristic,religion,religion,<5');
    expect(lines).toContain('characteristic,disability,disability,0');
    expect(lines).toContain('platform,x,X (Twitter),6');
    expect(lines).toContain('month,2026-08,August 2026,<5');
    expect(lines).toContain('outcome,actioned,actioned,<5');
    expect(csv).not.toMatch(/duplicate|withdrawn/);
    for (const secret of PRIVATE) expect(csv).not.toContain(secret);
    expect(csv).not.toMatch(/OHR-|@|secret/);
    // Every cell is a closed-list value, a month, a label or a count.
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^(characteristic|harm|platform|month|outcome),[a-z0-9_-]+,[^,]+,(\d+|<5)$/);
  });
});

describe('pages', () => {
  it('shows the public page without sign-in, with charts, tables, small counts withheld and no personal data', async () => {
    const response = await app.request('/console/open-data');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html.match(/<svg role="img" aria-labelledby="chart-\w+-title chart-\w+-desc"/g)).toHaveLength(5);
    expect(html).toContain('<desc id="chart-characteristic-desc">race: 6; religion: fewer than 5;');
    expect(html).toContain('<th scope="row">religion</th><td>fewer than 5</td>');
    expect(html).toContain('href="/console/open-data.csv"');
    expect(html).not.toContain('name="csrf"');
    for (const secret of PRIVATE) expect(html).not.toContain(secret);
    expect(html).not.toMatch(/OHR-|secret/);
  });

  it('shows moderators the exact counts on the dashboard, and sends others to sign in', async () => {
    const anonymous = await app.request('/console/dashboard');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toMatch(/^\/console\/login\?next=/);
    const { browser } = await signedIn(app, testDb.db);
    const response = await browser.get('/console/dashboard');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<th scope="row">religion</th><td>3</td>');
    expect(html).toContain('aria-current="page"');
    expect(html).toContain('href="/console/open-data"');
    for (const secret of PRIVATE) expect(html).not.toContain(secret);
  });
});
