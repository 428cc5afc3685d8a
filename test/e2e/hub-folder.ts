/**
 * Data folders for the tests' hubs. A fresh PGlite folder means initdb in WebAssembly, which was most of the time a test
 * spent starting its hub (nearly all of a short test's). So global-setup.ts makes one migrated folder per run, and each
 * hub starts on a copy of it: a database of its own, as before, without initdb. A fresh folder's own initdb and
 * migrations are still tested: here, once per run, and by every hub unit test file.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../hub/db';
import { E2E_HUB_TEMPLATE_DIR } from './paths';

/** Builds the template: a closed PGlite folder with every migration applied. */
export async function buildHubTemplate(): Promise<void> {
  await rm(E2E_HUB_TEMPLATE_DIR, { recursive: true, force: true });
  const db = await openDatabase({ dataDir: E2E_HUB_TEMPLATE_DIR, durable: false, purpose: 'the e2e set-up building its template hub folder' });
  await db.close();
}

/** A new data folder for one hub: a copy of the template, or empty (the hub runs initdb) if there is none. */
export async function hubFolder(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohr-e2e-hub-'));
  if (existsSync(E2E_HUB_TEMPLATE_DIR)) await cp(E2E_HUB_TEMPLATE_DIR, dataDir, { recursive: true });
  return dataDir;
}

export function removeHubFolder(dataDir: string): Promise<void> {
  return rm(dataDir, { recursive: true, force: true });
}
