/**
 * `npm run hub -- verify-audit`: recomputes the audit log's hash chain (hub/domain/audit.ts) and says whether it holds,
 * and if not which entries break it and how. The database is chosen as the hub chooses it: DATABASE_URL (or the
 * config file's databaseUrl), else the PGlite folder from --data, OHR_DATA_DIR, the config file's dataDir, or ./data.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, readConfigFile } from './config';
import { openDatabase } from './db';
import { verifyAuditChain, type ChainBreak } from './domain/audit';
import { FolderInUseError } from './storage/folder-lock';

export const VERIFY_AUDIT_USAGE = `Usage: npm run hub -- verify-audit [--data DIR] [--config FILE]

Checks that no audit entry was edited, deleted or slipped in since it was written: each entry's hash covers the one
before it, its own fields and its payload's hash, and every hash is computed again here. Erased payloads are expected
(their hash stays in the entry). Exit code 0: the chain holds; 1: it does not (each break is listed); 2: bad arguments.
Note the last entry's number and hash it prints somewhere else (your backup log): a later rewrite of the whole chain
would change it.

  PostgreSQL (DATABASE_URL=postgres://...[?schema=NAME]): runs beside running hubs.
  PGlite (--data DIR, env OHR_DATA_DIR, default ./data): the hub must be stopped (only one process may open the folder).`;

type Env = Record<string, string | undefined>;
interface Io {
  log(line: string): void;
  error(line: string): void;
}

const PROBLEMS: Record<ChainBreak['problem'], string> = {
  entry_hash: 'its fields (or the entry before it) are not what its hash was made from: edited, or an entry before it removed',
  payload_hash: 'its before/after details are not what their hash was made from: edited',
  gap: 'entries before it are missing from the chain: deleted',
  unchained: 'it has no place in the chain: written around the hub',
};

export async function verifyAuditCommand(argv: readonly string[], env: Env, io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { data: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    io.error(`${error instanceof Error ? error.message : String(error)}\n\n${VERIFY_AUDIT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.log(VERIFY_AUDIT_USAGE);
    return 0;
  }
  let server: { dataDir?: string; databaseUrl?: string } = {};
  const configPath = values.config ?? (env.OHR_CONFIG || undefined);
  try {
    if (configPath) server = readConfigFile(configPath).server;
  } catch (error) {
    io.error(error instanceof ConfigError ? error.problems.join('\n') : String(error));
    return 2;
  }
  const databaseUrl = env.DATABASE_URL || server.databaseUrl;
  const dataDir = values.data || env.OHR_DATA_DIR || server.dataDir || './data';
  if (!databaseUrl && !existsSync(join(dataDir, 'PG_VERSION'))) {
    io.error(`There is no hub database in ${dataDir}: check --data (or OHR_DATA_DIR), or set DATABASE_URL for a hub on PostgreSQL.`);
    return 2;
  }
  let db;
  try {
    db = await openDatabase(databaseUrl ? { databaseUrl, migrate: false } : { dataDir, migrate: false, purpose: 'ohr verify-audit' });
  } catch (error) {
    io.error(error instanceof FolderInUseError ? `${error.message}\n\nStop the hub first: only one process may open a PGlite folder.` : `The database could not be opened: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    const verdict = await verifyAuditChain(db);
    const head = verdict.head ? ` Last entry: #${verdict.head.seq}, hash ${verdict.head.hash}.` : '';
    if (verdict.ok) {
      io.log(`The audit log's chain holds: ${verdict.entries} entries checked.${head}`);
      return 0;
    }
    io.error(`The audit log's chain is broken: ${verdict.breaks.length} problem(s) in ${verdict.entries} entries.${head}`);
    for (const found of verdict.breaks) io.error(`  entry ${found.id}${found.seq ? ` (#${found.seq})` : ''}: ${PROBLEMS[found.problem]}`);
    return 1;
  } finally {
    await db.close();
  }
}
