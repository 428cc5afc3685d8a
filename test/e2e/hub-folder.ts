/**
 * Data folders for the tests' hubs. A fresh PGlite folder means initdb in WebAssembly, which was most of the time a test
 * spent starting its hub (nearly all of a short test's). So global-setup.ts makes one migrated folder per run, and each
 * hub starts on a copy of it: a database of its own, as before, without initdb. A fresh folder's own initdb and
 * migrations are still tested: here, once per run, and by every hub unit test file.
 *
 * The template is made in a new temporary folder for each run and named to the workers by OHR_E2E_HUB_TEMPLATE, so two
 * runs at once on one checkout never copy each other's half-built folder.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openDatabase } from '../../hub/db';

const TEMPLATE_VARIABLE = 'OHR_E2E_HUB_TEMPLATE';
/** The folder lock (hub/storage/folder-lock.ts) belongs to the process that took it: never copied. */
const LOCK = 'ohr.lock';

/** Builds the template (a closed PGlite folder with every migration applied) and returns how to remove it. */
export async function buildHubTemplate(): Promise<() => Promise<void>> {
  const scratch = await mkdtemp(join(tmpdir(), 'ohr-e2e-template-'));
  const folder = join(scratch, 'data');
  const db = await openDatabase({ dataDir: folder, durable: false, purpose: 'the e2e set-up building its template hub folder' });
  await db.close();
  process.env[TEMPLATE_VARIABLE] = folder;
  return () => rm(scratch, { recursive: true, force: true });
}

/** A new data folder for one hub: a copy of the template, or empty (the hub runs initdb) if there is none. */
export async function hubFolder(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohr-e2e-hub-'));
  const template = process.env[TEMPLATE_VARIABLE];
  if (template && existsSync(template)) {
    await cp(template, dataDir, { recursive: true, filter: (source) => basename(source) !== LOCK });
  }
  return dataDir;
}

/**
 * What every test hub runs with, under the test's own settings: warnings and errors only (request logs would bury the
 * test output), and no drain before it stops. The drain (`shutdownGraceMs`, 3 s by default) gives a load balancer time
 * to see /healthz fail; no test hub has one, and it was 3 s of every test's tear-down and of every `hub.stop()`. A test
 * that stops its hub wants it gone; the drain itself is tested in test/unit/hub/shutdown.test.ts.
 */
export const TEST_HUB_CONFIG = { logLevel: 'warn', shutdownGraceMs: 0 } as const;

export function removeHubFolder(dataDir: string): Promise<void> {
  return rm(dataDir, { recursive: true, force: true });
}
