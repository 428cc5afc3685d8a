/**
 * Runs the hub's tests a second time against the PostgreSQL server named by DATABASE_URL, so every storage test
 * proves itself on both PGlite (the default run) and a real server. Without DATABASE_URL it says so and stops.
 *
 * Every file in test/unit/hub runs here unless it is in NO_POSTGRES_PASS below: a new hub test runs on PostgreSQL by
 * default. Extra arguments go to vitest (e.g. `--reporter=json --outputFile=pg.json`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Hub test files whose outcome cannot depend on the database engine, so a PostgreSQL run would only repeat the default
 * one. A file belongs here only if it opens no database, or everything it tests is PGlite's own (and skips itself on
 * PostgreSQL anyway). Anything that reads or writes through SQL, a transaction, the intake, the queue or the workflow
 * stays out of this list. Each entry says why.
 */
export const NO_POSTGRES_PASS: ReadonlyArray<{ file: string; why: string }> = [
  { file: 'test/unit/hub/folder-lock.test.ts', why: "the PGlite data folder's lock: files and child processes, no database at all" },
  { file: 'test/unit/hub/durability.test.ts', why: "PGlite's fsync at every commit; skipped when DATABASE_URL is set" },
  { file: 'test/unit/hub/embedded-faults.test.ts', why: "PGlite's faults (data folder, full disk, exit 75); skipped when DATABASE_URL is set" },
  { file: 'test/unit/hub/console-referrals-notice.test.ts', why: 'builds DSA notice text from values in memory; opens no database' },
  { file: 'test/unit/hub/open-data-fold.test.ts', why: "folds the open data page's empty months: a pure function over values in memory; opens no database" },
  { file: 'test/unit/hub/open-data-suppress.test.ts', why: 'small-number suppression of the open data tables: pure arithmetic over values in memory; opens no database' },
];

const url = process.env.DATABASE_URL;
if (!url) {
  console.log('PostgreSQL pass skipped: set DATABASE_URL=postgres://… to run the hub tests against a server too.');
  process.exit(0);
}
const gone = NO_POSTGRES_PASS.filter(({ file }) => !existsSync(file));
if (gone.length > 0) {
  // A renamed file would otherwise drop out of this list silently and run twice, or a new file take its name unnoticed.
  console.error(`scripts/test-postgres.ts names test files that do not exist: ${gone.map(({ file }) => file).join(', ')}`);
  process.exit(2);
}
console.log(`PostgreSQL pass: hub tests against ${url.replace(/:\/\/([^:@/]+):[^@/]+@/, '://$1:***@')}`);
console.log(`Not repeated on PostgreSQL (engine-independent, see scripts/test-postgres.ts): ${NO_POSTGRES_PASS.map(({ file }) => file.split('/').at(-1)).join(', ')}`);
const excludes = NO_POSTGRES_PASS.flatMap(({ file }) => ['--exclude', file]);
const run = spawnSync('npx', ['vitest', 'run', 'test/unit/hub', ...excludes, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
process.exit(run.status ?? 1);
