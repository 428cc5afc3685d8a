/**
 * Runs the hub's tests a second time against the PostgreSQL server named by DATABASE_URL, so every storage test
 * proves itself on both PGlite (the default run) and a real server. Without DATABASE_URL it says so and stops.
 */
import { spawnSync } from 'node:child_process';

const url = process.env.DATABASE_URL;
if (!url) {
  console.log('PostgreSQL pass skipped: set DATABASE_URL=postgres://… to run the hub tests against a server too.');
  process.exit(0);
}
console.log(`PostgreSQL pass: hub tests against ${url.replace(/:\/\/([^:@/]+):[^@/]+@/, '://$1:***@')}`);
const run = spawnSync('npx', ['vitest', 'run', 'test/unit/hub'], { stdio: 'inherit', env: process.env });
process.exit(run.status ?? 1);
