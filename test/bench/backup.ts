/**
 * npm run bench:backup [-- --reports N] [-- --evidence-kb K] — backup size and time, and restore time, at 10,000 reports.
 *
 * Fills a hub through its own API (in process: PUT evidence, POST report, so every row is what intake writes) with N
 * reports (default 10,000), each with one screenshot of K KiB (default 20) of random bytes (as incompressible as a
 * real PNG), then times the commands an operator runs, `backup FILE` and `restore FILE` (the CLI functions, so opening
 * the database and the folder lock are included), on:
 * - PGlite: a data folder in a temporary directory (backup with the hub stopped, restore into a new folder);
 * - PostgreSQL (DATABASE_URL or postgres://postgres@127.0.0.1:5432/test): a schema of its own, restored into another;
 * - the move: the PGlite backup restored into a PostgreSQL schema;
 * - and, for comparison, pg_dump -Fc of the same schema where pg_dump is installed.
 * Everything made is removed at the end. Nothing in `npm test` runs this.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApp } from '../../hub/app';
import { backupCommand, restoreCommand } from '../../hub/backup/cli';
import { openDatabase, type Database } from '../../hub/db';
import { sha256Hex } from '../../lib/hash';
import { sampleReport } from '../fixtures/report';
import { machine, postgresReachable, shownUrl } from './hub-process';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive whole number`);
  return value;
}

const REPORTS = option('reports', 10_000);
const EVIDENCE_KB = option('evidence-kb', 20);
const CONCURRENCY = 8;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = promisify(execFile);

/** Random bytes behind a PNG signature and header, so the evidence check takes them as a screenshot. */
function png(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(randomBytes(EVIDENCE_KB * 1024));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 5, 0, 0, 0, 2, 208]);
  return bytes;
}

/** N reports with their evidence through the API, CONCURRENCY at a time. */
async function fill(db: Database): Promise<void> {
  const app = createApp({ db, config: { rateLimit: { enabled: false } } });
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < REPORTS) {
      next += 1;
      const bytes = png();
      const sha256 = await sha256Hex(bytes);
      const put = await app.request(`/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: bytes });
      if (put.status !== 201) throw new Error(`evidence upload: ${put.status} ${await put.text()}`);
      const base = sampleReport();
      const report = { ...base, items: base.items.map((item) => ({ ...item, evidence: [{ sha256, mediaType: 'image/png' as const, bytes: bytes.byteLength, kind: 'screenshot' as const }] })) };
      const post = await app.request('/api/v1/reports', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id }, body: JSON.stringify(report) });
      if (post.status !== 201) throw new Error(`report: ${post.status} ${await post.text()}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  console.log(`  filled ${REPORTS} reports in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

interface Row {
  case: string;
  size: number;
  backupS?: number;
  restoreS?: number;
}

const quiet = { log: () => undefined, error: (line: string) => console.error(line) };

async function timed(label: string, work: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const code = await work();
  if (code !== 0) throw new Error(`${label} exited ${code}`);
  return (performance.now() - started) / 1000;
}

async function duBytes(path: string): Promise<number> {
  const { stdout } = await run('du', ['-sb', path]);
  return Number(stdout.split('\t')[0]);
}

async function main(): Promise<void> {
  console.log(`bench:backup — ${REPORTS} reports, one ${EVIDENCE_KB} KiB screenshot each (${((REPORTS * EVIDENCE_KB) / 1024).toFixed(0)} MiB of evidence)`);
  console.log(`machine: ${machine()}`);
  const work = await mkdtemp(join(tmpdir(), 'ohr-bench-backup-'));
  const rows: Row[] = [];
  const schemas: string[] = [];
  const withSchema = (schema: string) => {
    const url = new URL(DATABASE_URL);
    url.searchParams.set('schema', schema);
    return url.toString();
  };
  try {
    // PGlite: fill (fsync off: the fill is not what is measured), then back up and restore as an operator would.
    const folder = join(work, 'pglite');
    console.log('PGlite: filling');
    const lite = await openDatabase({ dataDir: folder, durable: false });
    await fill(lite);
    await lite.close();
    const liteFile = join(work, 'pglite.tar.gz');
    const liteBackup = await timed('backup', () => backupCommand([liteFile, '--data', folder], {}, quiet));
    const liteRestore = await timed('restore', () => restoreCommand([liteFile, '--data', join(work, 'pglite-restored')], {}, quiet));
    rows.push({ case: 'PGlite → PGlite', size: (await stat(liteFile)).size, backupS: liteBackup, restoreS: liteRestore });
    console.log(`  data folder ${(await duBytes(folder) / 1e6).toFixed(0)} MB; restored folder ${(await duBytes(join(work, 'pglite-restored')) / 1e6).toFixed(0)} MB`);

    if (!(await postgresReachable(DATABASE_URL))) {
      console.log(`PostgreSQL at ${shownUrl(DATABASE_URL)} is not reachable: its rows are skipped.`);
    } else {
      const source = `ohr_bench_backup_${randomBytes(4).toString('hex')}`;
      schemas.push(source, `${source}_restored`, `${source}_moved`);
      console.log('PostgreSQL: filling');
      const pgDb = await openDatabase({ databaseUrl: DATABASE_URL, schema: source });
      await fill(pgDb);
      await pgDb.close();
      const pgFile = join(work, 'postgres.tar.gz');
      const keys = join(work, 'pg-keys');
      const pgBackup = await timed('backup', () => backupCommand([pgFile, '--data', keys], { DATABASE_URL: withSchema(source) }, quiet));
      const pgRestore = await timed('restore', () => restoreCommand([pgFile, '--data', join(work, 'pg-keys-restored')], { DATABASE_URL: withSchema(`${source}_restored`) }, quiet));
      rows.push({ case: 'PostgreSQL → PostgreSQL', size: (await stat(pgFile)).size, backupS: pgBackup, restoreS: pgRestore });
      const moved = await timed('restore', () => restoreCommand([liteFile, '--data', join(work, 'moved-keys')], { DATABASE_URL: withSchema(`${source}_moved`) }, quiet));
      rows.push({ case: 'PGlite backup → PostgreSQL (the move)', size: (await stat(liteFile)).size, restoreS: moved });
      try {
        const dump = join(work, 'pg_dump.custom');
        const url = new URL(DATABASE_URL);
        const started = performance.now();
        await run('pg_dump', ['-Fc', '-n', source, '-f', dump, url.toString()]);
        rows.push({ case: 'pg_dump -Fc of the same schema (comparison)', size: (await stat(dump)).size, backupS: (performance.now() - started) / 1000 });
      } catch (error) {
        console.log(`  pg_dump not run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    console.log('\n| case | file size | backup | restore |\n|---|---:|---:|---:|');
    for (const row of rows) {
      const seconds = (value?: number) => (value === undefined ? '—' : `${value.toFixed(1)} s`);
      console.log(`| ${row.case} | ${(row.size / 1e6).toFixed(1)} MB | ${seconds(row.backupS)} | ${seconds(row.restoreS)} |`);
    }
  } finally {
    if (schemas.length > 0) {
      const admin = await openDatabase({ databaseUrl: DATABASE_URL, migrate: false });
      for (const schema of schemas) await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    }
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
