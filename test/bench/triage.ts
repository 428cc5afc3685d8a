/**
 * npm run bench:triage [-- --rows N] [-- --runs N] — the triage queue on a million reports.
 *
 * In a schema of its own on PostgreSQL (DATABASE_URL or postgres://postgres@127.0.0.1:5432/test, dropped at the end):
 * migrates, seeds N synthetic reports (default 1,000,000) with COPY FROM STDIN, indexes and ANALYZEs them, then times
 * the queue's own page query (`queuePage`, through the hub's database layer, so prepared statements behave as in the
 * hub) with each filter alone, some combinations, searches and second pages by cursor: p50/p95/max over `runs` runs.
 * A case whose p95 is over the budget gets its EXPLAIN ANALYZE node types printed. Nothing in `npm test` runs this.
 * `--reuse SCHEMA` times an already seeded schema again (left in place), for trying a query or index change quickly;
 * `--keep` leaves a newly seeded schema in place for that.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { countMatches, queuePage, queueSql, type Cursor, type QueueFilters } from '../../hub/console/queue/query';
import { openDatabase, type Database } from '../../hub/db';
import { REFERENCE_ALPHABET } from '../../hub/ids';
import { HarmType, Platform, TargetedCharacteristic, type Report } from '../../lib/schema';

const BUDGET_P95_MS = 50;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive whole number`);
  return value;
}

const ROWS = option('rows', 1_000_000);
const RUNS = option('runs', 50);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const reuseAt = process.argv.indexOf('--reuse');
const REUSE = reuseAt >= 0 ? process.argv[reuseAt + 1] : undefined;
const SCHEMA = REUSE ?? `ohr_bench_triage_${randomBytes(4).toString('hex')}`;
const KEEP = REUSE !== undefined || process.argv.includes('--keep');
const MODERATORS = 20;
const DAY_MS = 86_400_000;
const NOW = Date.now();

/** A small, fast, seeded PRNG (mulberry32), so runs seed the same data. */
let state = 0x9e3779b9;
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
/** Zipf-like: index 0 most often, a long tail. */
const skewed = (size: number): number => Math.floor(size * random() ** 3);

function weighted<T extends string>(weights: Record<T, number>): () => T {
  const entries = Object.entries(weights) as Array<[T, number]>;
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let at = random() * total;
    for (const [value, weight] of entries) if ((at -= weight) < 0) return value;
    return entries[0]![0];
  };
}

const characteristic = weighted<TargetedCharacteristic>({
  race: 35, religion: 25, sexual_orientation: 15, disability: 6, transgender_identity: 8, sex_gender: 9, other: 2,
});
const harm = weighted<HarmType>({
  hate_speech: 50, harassment: 20, threat: 10, incitement: 6, doxxing: 4, impersonation: 3, extremist_content: 4, intimate_image_abuse: 1, other: 2,
});
const platform = weighted<Platform>({
  x: 30, facebook: 25, instagram: 12, tiktok: 10, youtube: 8, reddit: 5, telegram: 3, mastodon: 2, bluesky: 2, linkedin: 1, other: 2,
});

/** Pseudo-words from syllables: a vocabulary of 20,000, used with a Zipf-like skew as real text is. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'an', 'el', 'is', 'or', 'un', 'ba', 'de', 'fi', 'go', 'hu', 'ja', 'pe', 'qu', 'wy', 'xo'];
const VOCABULARY = Array.from({ length: 20_000 }, (_, i) => {
  let word = '';
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});
const words = (count: number) => Array.from({ length: count }, () => VOCABULARY[skewed(VOCABULARY.length)]).join(' ');

function reference(n: number): string {
  // A bijection on 40 bits (odd multiplier mod 2^40) spreads sequential numbers over the reference space.
  let value = (BigInt(n) * 0x9e3779b97fn) & 0xffffffffffn;
  let symbols = '';
  for (let i = 0; i < 8; i++, value >>= 5n) symbols = REFERENCE_ALPHABET[Number(value & 31n)] + symbols;
  return `OHR-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

const hex = (n: number, length = 64) => n.toString(16).padStart(length, '0').slice(-length);

/** Where a report is: most older reports are closed, recent ones spread over the open statuses. */
function statusFor(ageDays: number): { status: string; outcome: string | null } {
  const closedShare = ageDays < 14 ? 0.1 : ageDays < 60 ? 0.6 : ageDays < 180 ? 0.9 : 0.985;
  if (random() < closedShare) {
    return { status: 'closed', outcome: pick(['actioned', 'removed_by_platform', 'referred_to_police', 'no_further_action', 'no_further_action', 'duplicate', 'withdrawn']) };
  }
  return { status: pick(['received', 'received', 'received', 'in_review', 'in_review', 'needs_info', 'referred']), outcome: null };
}

function item(platformName: Platform, captured: string): Report['items'][number] {
  // One report in ten is about a "viral" post many people report; authors repeat with a long tail.
  const post = random() < 0.1 ? skewed(2_000) : 1_000_000 + Math.floor(random() * 1e9);
  const author = `user${skewed(50_000)}`;
  const host = platformName === 'other' ? 'forum.example' : `${platformName === 'x' ? 'x' : platformName}.com`;
  return {
    url: `https://www.${host}/${author}/posts/${post}?utm_source=share`,
    permalink: `https://${host}/${author}/posts/${post}`,
    platform: platformName,
    kind: 'post',
    author: { handle: `@${author}`, profileUrl: `https://${host}/${author}` },
    text: words(10 + Math.floor(random() * 40)),
    capturedAt: captured,
    captureMethod: 'extension',
    evidence: [
      { sha256: hex(random() < 0.02 ? skewed(5_000) : Math.floor(random() * 2 ** 52)), mediaType: 'image/png', bytes: 50_000, kind: 'screenshot' },
    ],
  };
}

function body(id: string, receivedAt: Date): Report {
  const anonymous = random() < 0.7;
  const captured = new Date(receivedAt.getTime() - 60_000).toISOString();
  const characteristics = [...new Set([characteristic(), ...(random() < 0.3 ? [characteristic()] : [])])];
  const harms = [...new Set([harm(), ...(random() < 0.4 ? [harm()] : []), ...(random() < 0.1 ? [harm()] : [])])];
  const itemCount = random() < 0.85 ? 1 : random() < 0.7 ? 2 : 3;
  return {
    id,
    schemaVersion: 1,
    createdAt: captured,
    client: { app: 'ohr-extension', version: '0.1.0' },
    reporter: anonymous
      ? { role: 'witness', anonymous: true, contact: { channel: 'none' }, consents: { police: false, platform: true, shareContact: false, supportReferral: false }, wantsSupport: false }
      : {
          role: 'victim',
          anonymous: false,
          // Some people are targeted again and again: a long tail of repeat reporters.
          email: `person${skewed(200_000)}@mail.example`,
          contact: { channel: 'email' },
          consents: { police: true, platform: true, shareContact: true, supportReferral: false },
          wantsSupport: random() < 0.3,
        },
    urgency: { immediateDanger: false, perpetratorIdentityKnown: false, relatesToFutureEvent: false },
    incident: { summary: words(8 + Math.floor(random() * 30)), targetedCharacteristics: characteristics, harmTypes: harms, ongoing: random() < 0.3 },
    items: Array.from({ length: itemCount }, () => item(platform(), captured)),
  };
}

/** COPY text format: backslash is the escape, so it is doubled; JSON never holds a raw tab or newline. */
const copyText = (value: string) => value.replaceAll('\\', '\\\\');

function* copyRows(moderatorIds: string[]): Generator<string> {
  const threeYears = 3 * 365 * DAY_MS;
  let batch = '';
  for (let n = 0; n < ROWS; n++) {
    // More reports recently than three years ago, as a service grows.
    const receivedAt = new Date(NOW - threeYears * random() ** 1.5);
    const ageDays = (NOW - receivedAt.getTime()) / DAY_MS;
    const { status, outcome } = statusFor(ageDays);
    const urgent = random() < 0.06;
    const assigned = status === 'received' ? random() < 0.1 : random() < 0.95;
    const id = randomUUID();
    const line = [
      reference(n + 1),
      id,
      copyText(JSON.stringify(body(id, receivedAt))),
      hex(n),
      urgent ? 't' : 'f',
      status,
      outcome ?? '\\N',
      hex(n + 7),
      receivedAt.toISOString(),
      receivedAt.toISOString(),
      assigned ? pick(moderatorIds) : '\\N',
    ].join('\t');
    batch += line + '\n';
    if (n % 500 === 499) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

interface Index {
  name: string;
  definition: string;
}

async function seed(db: Database): Promise<string[]> {
  const moderatorIds = Array.from({ length: MODERATORS }, () => randomUUID());
  for (const [i, id] of moderatorIds.entries()) {
    await db.query(`INSERT INTO moderators (id, email, password_hash, role) VALUES ($1, $2, 'x', 'moderator')`, [id, `moderator${i}@hub.example`]);
  }
  // Loading first and indexing after is how a bulk load is done: one sorted build per index instead of a million
  // random inserts into each.
  const indexes = await db.query<Index>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'reports' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'`,
  );
  for (const index of indexes) await db.exec(`DROP INDEX ${index.name}`);
  // report_keys is filled in one statement afterwards rather than by its trigger once per copied row.
  await db.exec('ALTER TABLE reports DISABLE TRIGGER report_keys_insert');

  let started = performance.now();
  const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${SCHEMA}` });
  await client.connect();
  try {
    await client.query('SET synchronous_commit = off');
    const copy = client.query(
      copyFrom(
        `COPY reports (reference, id, body, body_sha256, urgent, status, outcome, status_token_sha256, received_at, updated_at, assigned_to) FROM STDIN`,
      ),
    );
    await pipeline(Readable.from(copyRows(moderatorIds)), copy);
  } finally {
    await client.end();
  }
  const copied = performance.now() - started;
  console.log(`seeded ${ROWS.toLocaleString('en')} reports with COPY in ${seconds(copied)} (${Math.round(ROWS / (copied / 1000)).toLocaleString('en')} rows/s, triage columns generated on the way in)`);

  started = performance.now();
  await db.exec(`SET maintenance_work_mem = '256MB'`);
  for (const index of indexes) await db.exec(index.definition);
  console.log(`built ${indexes.length} indexes in ${seconds(performance.now() - started)}`);
  started = performance.now();
  await db.exec('ALTER TABLE reports ENABLE TRIGGER report_keys_insert');
  await db.exec(`INSERT INTO report_keys (key, reference)
                 SELECT k, r.reference FROM reports r, ohr_report_keys(r.url_keys, r.author_keys, r.evidence_hashes, r.contact_keys) AS k`);
  console.log(`filled report_keys (cluster keys, one row each) in ${seconds(performance.now() - started)}`);
  started = performance.now();
  await db.exec('VACUUM ANALYZE reports');
  await db.exec('VACUUM ANALYZE report_keys');
  console.log(`VACUUM ANALYZE in ${seconds(performance.now() - started)}`);
  const [size] = await db.query<{ table: string; indexes: string }>(
    `SELECT pg_size_pretty(pg_table_size('reports')) AS table,
            pg_size_pretty(pg_indexes_size('reports') + pg_total_relation_size('report_keys')) AS indexes`,
  );
  console.log(`reports: table ${size?.table}, indexes and report_keys ${size?.indexes}`);
  return moderatorIds;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Case {
  name: string;
  /** Filters per run (a function, so a case can go through several values as moderators would). */
  filters: (run: number) => QueueFilters;
  /** Page 2: the cursor is read from page 1 first (not timed). */
  secondPage?: boolean;
}

const open = (extra: Partial<QueueFilters> = {}): QueueFilters => ({ status: 'open', assignee: 'any', ...extra });
const all = (extra: Partial<QueueFilters> = {}): QueueFilters => ({ status: 'all', assignee: 'any', ...extra });
const isoDay = (msAgo: number) => new Date(NOW - msAgo).toISOString().slice(0, 10);
/** A frequent word and a rare one from the vocabulary (the skew makes low indexes common). */
const COMMON = VOCABULARY[3]!;
const RARE = VOCABULARY[19_000]!;

function cases(moderatorIds: string[]): Case[] {
  const me = moderatorIds[0]!;
  return [
    { name: 'open queue (default)', filters: () => open() },
    { name: 'all statuses', filters: () => all() },
    { name: 'status = received', filters: () => all({ status: 'received' }) },
    { name: 'status = closed', filters: () => all({ status: 'closed' }) },
    { name: 'characteristic = disability (open)', filters: () => open({ characteristic: 'disability' }) },
    { name: 'characteristic = disability (all)', filters: () => all({ characteristic: 'disability' }) },
    { name: 'characteristic, each in turn (all)', filters: (run) => all({ characteristic: TargetedCharacteristic.options[run % 7] }) },
    { name: 'harm = intimate_image_abuse (all)', filters: () => all({ harm: 'intimate_image_abuse' }) },
    { name: 'harm, each in turn (open)', filters: (run) => open({ harm: HarmType.options[run % 9] }) },
    { name: 'platform = linkedin (all)', filters: () => all({ platform: 'linkedin' }) },
    { name: 'platform, each in turn (all)', filters: (run) => all({ platform: Platform.options[run % 11] }) },
    { name: 'received in one month, 2 years ago (all)', filters: () => all({ from: isoDay(730 * DAY_MS), to: isoDay(700 * DAY_MS) }) },
    { name: 'received in the last 7 days (open)', filters: () => open({ from: isoDay(7 * DAY_MS) }) },
    { name: 'assignee = unassigned (open)', filters: () => open({ assignee: 'unassigned' }) },
    { name: 'assignee = mine (all)', filters: () => ({ ...all(), assignee: me }) },
    { name: `search common word "${COMMON}" (all)`, filters: () => all({ q: COMMON }) },
    { name: `search rare word "${RARE}" (all)`, filters: () => all({ q: RARE }) },
    { name: 'search, a different word each run (open)', filters: (run) => open({ q: VOCABULARY[(run * 397) % VOCABULARY.length]! }) },
    { name: 'search two words, phrase (all)', filters: () => all({ q: `"${VOCABULARY[1]} ${VOCABULARY[2]}"` }) },
    { name: 'search an absent word (all)', filters: () => all({ q: 'zzzabsent' }) },
    { name: 'open + platform x + characteristic religion', filters: () => open({ platform: 'x', characteristic: 'religion' }) },
    { name: 'all + harm threat + one year', filters: () => all({ harm: 'threat', from: isoDay(365 * DAY_MS), to: isoDay(0) }) },
    { name: 'needs_info + mine + race', filters: () => ({ ...all({ status: 'needs_info', characteristic: 'race' }), assignee: me }) },
    { name: 'search common word + platform tiktok (all)', filters: () => all({ q: COMMON, platform: 'tiktok' }) },
    { name: 'page 2 of all statuses', filters: () => all(), secondPage: true },
    { name: 'page 2 of characteristic = disability (all)', filters: () => all({ characteristic: 'disability' }), secondPage: true },
    { name: 'page 2 of search common word (all)', filters: () => all({ q: COMMON }), secondPage: true },
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The node types of a plan, depth first, e.g. "Limit > Append > Index Scan (reports_queue_all_idx)". */
function nodeTypes(plan: Record<string, unknown>, depth = 0): string[] {
  const label = `${'  '.repeat(depth)}${String(plan['Node Type'])}${plan['Index Name'] ? ` (${String(plan['Index Name'])})` : ''} rows=${String(plan['Actual Rows'])} loops=${String(plan['Actual Loops'])} ${String(plan['Actual Total Time'])} ms`;
  const children = (plan['Plans'] as Array<Record<string, unknown>> | undefined) ?? [];
  return [label, ...children.flatMap((child) => nodeTypes(child, depth + 1))];
}

async function time(db: Database, testCase: Case, me: string): Promise<{ list: number[]; count: number[]; rows: number; matches: number; cursor?: Cursor }> {
  const list: number[] = [];
  const count: number[] = [];
  let rows = 0;
  let matches = 0;
  let cursor: Cursor | undefined;
  for (let run = 0; run < RUNS; run++) {
    const filters = testCase.filters(run);
    cursor = testCase.secondPage ? (await queuePage(db, filters, me)).next : undefined;
    let started = performance.now();
    const page = await queuePage(db, filters, me, cursor);
    list.push(performance.now() - started);
    rows = page.rows.length;
    started = performance.now();
    matches = await countMatches(db, filters, me);
    count.push(performance.now() - started);
  }
  return { list: list.sort((a, b) => a - b), count: count.sort((a, b) => a - b), rows, matches, ...(cursor ? { cursor } : {}) };
}

async function main(): Promise<void> {
  console.log(`bench:triage — ${ROWS.toLocaleString('en')} reports, ${RUNS} runs per case, PostgreSQL schema ${SCHEMA}`);
  const db = await openDatabase({ databaseUrl: DATABASE_URL, schema: SCHEMA, migrate: !REUSE });
  try {
    const moderatorIds = REUSE
      ? (await db.query<{ id: string }>(`SELECT id::text FROM moderators ORDER BY email`)).map((row) => row.id)
      : await seed(db);
    const me = moderatorIds[0]!;
    const overBudget: Array<{ testCase: Case; cursor?: Cursor }> = [];
    const fixed = (n: number) => n.toFixed(1).padStart(7);
    console.log(`\n${'case'.padEnd(52)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(7)}  (ms)  rows  matches  count p95`);
    for (const testCase of cases(moderatorIds)) {
      const result = await time(db, testCase, me);
      const p95 = percentile(result.list, 95);
      if (p95 > BUDGET_P95_MS) overBudget.push({ testCase, ...(result.cursor ? { cursor: result.cursor } : {}) });
      console.log(
        `${testCase.name.padEnd(52)} ${fixed(percentile(result.list, 50))} ${fixed(p95)} ${fixed(result.list.at(-1) ?? 0)}  ${p95 > BUDGET_P95_MS ? 'OVER' : '    '}  ${String(result.rows).padStart(4)}  ${(result.matches > 1000 ? '>1000' : String(result.matches)).padStart(7)}  ${fixed(percentile(result.count, 95))}`,
      );
    }
    for (const { testCase, cursor } of overBudget) {
      const { sql, params } = queueSql(testCase.filters(0), me, cursor);
      const [row] = await db.query<{ 'QUERY PLAN': Array<{ Plan: Record<string, unknown> }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params, { prepare: false });
      const plan = row?.['QUERY PLAN'][0]?.Plan;
      console.log(`\nover budget: ${testCase.name}\n${plan ? nodeTypes(plan).join('\n') : '(no plan)'}`);
    }
    console.log(`\n${overBudget.length === 0 ? 'every case' : `${overBudget.length} case(s) not`} within p95 ≤ ${BUDGET_P95_MS} ms`);
  } finally {
    if (KEEP) console.log(`schema ${SCHEMA} kept: time it again with --reuse ${SCHEMA}`);
    else await db.exec(`DROP SCHEMA ${SCHEMA} CASCADE`).catch((error: unknown) => console.error('could not drop the schema:', error));
    await db.close();
  }
}

await main();
