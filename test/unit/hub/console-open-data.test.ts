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
import { csvCell, CSV_HEADER, toCsv } from '../../../hub/console/open-data/csv';
import { foldedMonths } from '../../../hub/console/open-data/tables';
import { answerMonitoring, answerSatisfaction } from '../../../hub/domain/satisfaction';
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
  const receipt = (await response.json()) as { reference: string; statusToken: string };
  TOKENS.set(receipt.reference, receipt.statusToken);
  return receipt.reference;
}
const TOKENS = new Map<string, string>();

const count = (counts: Counts, dimension: keyof Counts, value: string) => counts[dimension].find((row) => row.value === value)?.count;

beforeAll(async () => {
  testDb = await openTestDatabase();
  app = consoleApp(testDb.db, clock(NOW), { name: 'Hate Crime Support Wales' });
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
  // The one closed report's reporter answers monitoring and satisfaction through the hub's own functions.
  const token = TOKENS.get(closed)!;
  expect((await answerMonitoring(testDb.db, { reference: closed, statusToken: token, answers: { religion: 'jewish' }, now: NOW })).kind).toBe('answered');
  expect((await answerSatisfaction(testDb.db, { reference: closed, statusToken: token, answer: { score: 4 }, now: NOW })).kind).toBe('answered');
  // Others' answers (they hold no reference): two more Jewish reporters (3 in all, fewer than 5), 8 Muslim, 10 with no religion.
  let n = 0;
  const answer = async (religion: string, score: number) => {
    const key = (++n).toString(16).padStart(64, '0');
    await testDb.db.query(`INSERT INTO monitoring_answers (respondent_key, religion, month) VALUES ($1, $2, '2026-11-01')`, [key, religion]);
    await testDb.db.query(`INSERT INTO satisfaction_answers (respondent_key, score, answered_at, month) VALUES ($1, $2, '2026-11-20', '2026-11-01')`, [key, score]);
  };
  await answer('jewish', 2);
  await answer('jewish', 5);
  for (const score of [1, 2, 3, 3, 4, 4, 5, 5]) await answer('muslim', score);
  for (const score of [1, 2, 2, 3, 3, 4, 4, 5, 5, 5]) await answer('no_religion', score);
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

describe('open data counts', () => {
  it('counts each report under every value it names, zero for the rest, over the last 24 months, without withdrawn reports and closed duplicates', async () => {
    const counts = await openDataCounts(testDb.db, NOW);
    expect(count(counts, 'characteristic', 'race')).toBe(6);
    expect(count(counts, 'characteristic', 'religion')).toBe(2);
    expect(count(counts, 'characteristic', 'disability')).toBe(0);
    expect(count(counts, 'harm', 'hate_speech')).toBe(6);
    expect(count(counts, 'harm', 'threat')).toBe(1);
    expect(count(counts, 'platform', 'x')).toBe(6);
    expect(count(counts, 'platform', 'facebook')).toBe(1);
    expect(count(counts, 'platform', 'tiktok')).toBe(0);
    expect(counts.month.map((row) => row.value)).toEqual(lastMonths(NOW));
    expect(counts.month[0]?.value).toBe('2024-12');
    expect(count(counts, 'month', '2026-11')).toBe(6);
    expect(count(counts, 'month', '2026-08')).toBe(1);
    expect(counts.month.reduce((sum, row) => sum + row.count, 0)).toBe(7);
    expect(count(counts, 'outcome', 'actioned')).toBe(1);
    expect(count(counts, 'outcome', 'duplicate')).toBeUndefined();
    expect(count(counts, 'outcome', 'withdrawn')).toBeUndefined();
    // Older than 24 months: counted nowhere (every table covers the same months).
    expect(count(counts, 'outcome', 'open')).toBe(6);
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

  it('is public, one figure per line, withholds small counts and carries no personal data', async () => {
    const response = await app.request('/console/open-data.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="open-data-2026-11-25.csv"');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const csv = await response.text();
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    // 6 about race, but race and religion add up to the published total of 8, so the 6 would give the religion count away.
    expect(lines).toContain('reports_by_characteristic,characteristic,race,race,,,,x,KEYWORD_DISCRIMINATION');
    expect(lines).toContain('reports_by_characteristic,characteristic,total,Total,,,,8,');
    expect(lines).toContain('reports_by_characteristic,characteristic,religion,religion,,,,<5,KEYWORD_DISCRIMINATION');
    expect(lines).toContain('reports_by_characteristic,characteristic,disability,disability,,,,0,KEYWORD_DISCRIMINATION');
    expect(lines).toContain('reports_by_harm,harm,hate_speech,hate speech,,,,6,KEYWORD_HATE_SPEECH');
    expect(lines).toContain('reports_by_platform,platform,x,X (Twitter),,,,6,');
    expect(lines).toContain('reports_by_month,month,2026-08,August 2026,,,,<5,');
    expect(lines).toContain('reports_by_outcome,outcome,actioned,actioned,,,,<5,');
    expect(lines).toContain('characteristic_by_month,characteristic,race,race,month,2026-11,November 2026,x,KEYWORD_DISCRIMINATION');
    expect(lines).toContain('platform_by_harm,platform,x,X (Twitter),harm,hate_speech,hate speech,x,KEYWORD_HATE_SPEECH');
    expect(lines).toContain('satisfaction_by_month,month,2026-11,November 2026,score,5,5 very satisfied,6,');
    expect(lines).toContain('satisfaction_by_religion,religion,no_religion,No religion,score,total,Total,10,');
    expect(lines).toContain('satisfaction_by_religion,religion,jewish,Jewish,score,total,Total,<5,');
    expect(lines).toContain('time_to_first_action,month,2026-11,November 2026,measure,median_hours,median_hours,,');
    expect(csv).not.toMatch(/duplicate|withdrawn/);
    for (const secret of PRIVATE) expect(csv).not.toContain(secret);
    expect(csv).not.toMatch(/OHR-|@|secret/);
    // Every line has the header's nine fields: closed-list values, months, labels, figures and keywords.
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^[a-z_]+,[a-z_]*,[a-z0-9_-]*,("[^"]*"|[^,]*),[a-z_]*,[a-z0-9_-]*,("[^"]*"|[^,]*),(\d+(\.\d+)?|<5|x|),(KEYWORD_[A-Z_]+)?$/);
  });
});

describe('JSON', () => {
  it('carries the same figures with the DSA vocabulary, and a community of fewer than 5 cannot be worked out from the totals', async () => {
    const response = await app.request('/console/open-data.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    for (const secret of PRIVATE) expect(text).not.toContain(secret);
    const json = JSON.parse(text) as {
      schema: string;
      category: string;
      not_counted: { outcomes: string[] };
      suppression: { threshold: number; fewer_than_threshold: string; withheld: string };
      one_way: { id: string; rows: { dimension: string; values: { value: string; category_specification?: string }[] }; counts: (number | string)[] }[];
      cross_tabs: { id: string; rows: { values: { value: string }[] }; columns: { values: { value: string }[] }; cells: (number | string)[][]; row_totals: (number | string)[]; column_totals: (number | string)[]; total: number | string }[];
      time_to_first_action: { month: string; acted: number | string; waiting: number | string; median_hours: number | null }[];
    };
    expect(json.schema).toBe('ohr-open-data/1');
    expect(json.category).toBe('STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH');
    expect(json.not_counted.outcomes).toEqual(['withdrawn', 'duplicate']);
    expect(json.suppression).toEqual({ threshold: 5, fewer_than_threshold: '<5', withheld: 'x' });
    const harm = json.one_way.find((table) => table.id === 'reports_by_harm')!;
    expect(harm.rows.values.find((value) => value.value === 'hate_speech')?.category_specification).toBe('KEYWORD_HATE_SPEECH');
    expect(json.cross_tabs.map((table) => table.id)).toEqual([
      'characteristic_by_month', 'platform_by_harm', 'outcome_by_month', 'satisfaction_by_month',
      'satisfaction_by_ethnic_group_broad', 'satisfaction_by_religion', 'satisfaction_by_sexual_orientation', 'satisfaction_by_gender_identity', 'satisfaction_by_disability',
    ]);
    // Empty months folded: from August 2026, the first month with a counted report, to November.
    const strand = json.cross_tabs.find((table) => table.id === 'characteristic_by_month')!;
    expect(strand.columns.values.map((value) => value.value)).toEqual(['2026-08', '2026-09', '2026-10', '2026-11']);
    // The closed report's answer is in the satisfaction table (21 answers in November, 3 of them a 4... and more).
    const byMonth = json.cross_tabs.find((table) => table.id === 'satisfaction_by_month')!;
    expect(byMonth.rows.values.map((value) => value.value)).toEqual(['2026-11']);
    expect(byMonth.total).toBe(21);
    const religion = json.cross_tabs.find((table) => table.id === 'satisfaction_by_religion')!;
    const jewish = religion.rows.values.findIndex((value) => value.value === 'jewish');
    expect(religion.row_totals[jewish]).toBe('<5');
    expect(religion.cells[jewish]!.every((cell) => typeof cell === 'string')).toBe(true);
    expect(religion.total).toBe(21);
    // No row or column (totals included) has exactly one hidden figure, so none is its total minus the rest.
    const grid = [...religion.cells.map((row, r) => [...row, religion.row_totals[r]!]), [...religion.column_totals, religion.total]];
    const hidden = (values: (number | string)[]) => values.filter((value) => typeof value === 'string').length;
    for (const row of grid) expect(hidden(row)).not.toBe(1);
    for (let c = 0; c < grid[0]!.length; c++) expect(hidden(grid.map((row) => row[c]!))).not.toBe(1);
    // The per-score totals are the same figures, suppressed the same way, as satisfaction by month publishes.
    expect(religion.column_totals).toEqual(byMonth.column_totals);
    // Time to first action: nothing acted on by a moderator yet except the one closed report (fewer than 5: no quartiles).
    const november = json.time_to_first_action.find((row) => row.month === '2026-11')!;
    expect(november.median_hours).toBeNull();
  });

  it('folds the months before the first one used', () => {
    expect(foldedMonths(['2026-01', '2026-02', '2026-03'], ['2026-02'])).toEqual(['2026-02', '2026-03']);
    expect(foldedMonths(['2026-01', '2026-02', '2026-03'], [])).toEqual(['2026-03']);
  });
});

describe('pages', () => {
  it('shows the public page without sign-in, with charts, tables, small counts withheld and no personal data', async () => {
    const response = await app.request('/console/open-data');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const html = await response.text();
    // Under the organisation's name, headed "Published data", with none of the console's words or navigation.
    expect(html).toContain('<title>Published data · Hate Crime Support Wales</title>');
    expect(html).toContain('<p class="brand">Hate Crime Support Wales</p>');
    expect(html).toContain('<h1>Published data</h1>');
    expect(html).toContain('<a href="/">Report online hate to Hate Crime Support Wales</a>');
    expect(html).not.toContain('Triage console');
    // Five bar charts, each a table: every label whole as text, its count, a bar hidden from assistive technology.
    expect(html.match(/<table class="bars">/g)).toHaveLength(5);
    expect(html).toContain('<th scope="row" class="label">race</th><td><div class="bar-cell"><span class="count">withheld</span>');
    expect(html).toContain('<th scope="row" class="label">religion</th><td><div class="bar-cell"><span class="count">fewer than 5</span>');
    expect(html).toContain('<th scope="row" class="label">publishing private information (doxxing)</th>');
    expect(html).toContain('<thead><tr><th scope="col">Kind of harm</th><th scope="col">Reports</th></tr></thead>');
    expect(html).toContain('<svg class="bar-mark" aria-hidden="true" focusable="false" viewBox="0 0 100 1" preserveAspectRatio="none">');
    // Months: from August (the first with a report) to November, September and October folded into one line.
    expect(html).toContain('<tr class="gap"><td colspan="2">No reports from September 2026 to October 2026</td></tr>');
    expect(html).not.toMatch(/<th scope="row"[^>]*>(September|October) 2026<\/th>/);
    expect(html).toContain('<tr class="gap"><td colspan="9">No reports from September 2026 to October 2026</td></tr>');
    expect(html).toContain('href="/console/open-data.csv"');
    expect(html).toContain('href="/console/open-data.json"');
    expect(html).toContain('Satisfaction by religion');
    expect(html).toContain('Time to first action');
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
    expect(html).toContain('<th scope="row" class="label">religion</th><td><div class="bar-cell"><span class="count">2</span>');
    expect(html).toContain('aria-current="page"');
    expect(html).toContain('href="/console/open-data"');
    for (const secret of PRIVATE) expect(html).not.toContain(secret);
  });
});
