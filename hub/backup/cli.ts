/**
 * `npm run hub -- backup FILE` and `npm run hub -- restore FILE`. The database is chosen as the hub chooses it:
 * DATABASE_URL (or the config file's databaseUrl) for PostgreSQL, else the PGlite folder from --data, OHR_DATA_DIR,
 * the config file's dataDir, or ./data.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, configFromEnv, mergeLayers, readConfigFile, resolveConfig, type EvidenceStoreConfig } from '../config';
import { loadTotpKey } from '../console';
import { openDatabase, redactedUrl } from '../db';
import { configureEvidenceStore } from '../storage/evidence-store';
import { FolderInUseError } from '../storage/folder-lock';
import { BackupError } from './archive';
import { writeBackup, type BackupSummary } from './backup';
import { restoreBackup, verifyBackup, type RestoreSummary, type RestoreTarget } from './restore';

export const BACKUP_USAGE = `Usage: npm run hub -- backup FILE [--data DIR] [--config FILE]

Writes one file (a gzip-compressed tar, format ohr-backup/1) holding everything needed to bring the hub back:
every table's rows (reports, status-token hashes, accounts, notes, the audit log with its ids, ...), every evidence
file's bytes, the list of applied migrations, the database's contact-hash key and the TOTP sealing key. Not included:
sign-in sessions (everyone signs in again after a restore) and expired idempotency answers. manifest.json at its end
holds every part's SHA-256 and the row counts. The file is written beside FILE and renamed into place when complete;
an existing FILE is replaced only then.

THE FILE IS SECRET: it holds reporters' personal data, evidence and the key that opens moderators' two-step secrets.
It is written readable by its owner only (mode 0600). Store it encrypted (for example age or gpg, or an encrypted
volume) and never beside a copy of OHR_TOTP_KEY's secret store.

  PostgreSQL (DATABASE_URL=postgres://...[?schema=NAME], or databaseUrl in --config): a consistent snapshot
    (one REPEATABLE READ, READ ONLY transaction) while hubs keep running.
  PGlite (--data DIR, env OHR_DATA_DIR, dataDir in --config, default ./data): the hub must be stopped, because only
    one process may open a data folder; the backup holds the folder's lock, so a hub cannot start until it is done.
    For backups while the hub runs, run the hub on PostgreSQL.

  The TOTP key is read from OHR_TOTP_KEY if set, else DIR/totp.key (PostgreSQL too: the folder from --data, default
  ./data, as the hub reads it).
  Evidence bytes are read from wherever the hub keeps them: the database, or the object store its evidenceStore
  setting names (--config, OHR_EVIDENCE_STORE and OHR_S3_*, read as the hub reads them).

Exit codes: 0 written; 1 failed (the reason is printed; no file is left); 2 bad arguments; 3 the data folder is in use.`;

export const RESTORE_USAGE = `Usage: npm run hub -- restore FILE [--data DIR] [--config FILE]
       npm run hub -- restore --check FILE

Restores a backup written by \`backup\` into an EMPTY database, from either engine into either engine (a PGlite backup
restored with DATABASE_URL set moves a hub to PostgreSQL). The whole file is read and every part checked against its
SHA-256 in the manifest before anything is written; a damaged, incomplete or newer-version file is refused in words.

  PGlite (--data DIR, env OHR_DATA_DIR, dataDir in --config, default ./data): DIR must not exist or be empty. The
    data is restored into a new folder beside it and renamed to DIR only when complete. The backup's TOTP key is
    written to DIR/totp.key.
  PostgreSQL (DATABASE_URL=postgres://...[?schema=NAME]): the database (or schema) must hold no reports, evidence,
    accounts or audit entries; a new one is best (createdb ohr_restored). The rows are loaded in one transaction: a
    failure leaves none. The backup's TOTP key is written to DIR/totp.key (--data, default ./data), where a PostgreSQL
    hub reads it unless OHR_TOTP_KEY is set; if OHR_TOTP_KEY is set it must be the backup's key.

  Evidence bytes go where the restored hub will keep them: the database, or the object store its evidenceStore
  setting names (--config, OHR_EVIDENCE_STORE and OHR_S3_*); objects already there with the same bytes are kept.

  The target is brought to the backup's database version first, the rows loaded, then any newer migrations of this
  hub applied. A backup from a newer hub version is refused. Restore never writes over data: to replace a hub's data,
  stop it, move its folder aside (or use a new database), and restore there.

  --check reads the whole file and checks every part against the manifest and this hub's version, writing nothing
  and opening no database: a quick test that a backup (a copy off the machine, say) is whole and restorable here.

Exit codes: 0 restored (or, with --check, whole); 1 refused or failed (the reason is printed; nothing was
restored); 2 bad arguments.`;

interface Io {
  log(line: string): void;
  error(line: string): void;
}
type Env = Record<string, string | undefined>;

type Where = { kind: 'postgres'; databaseUrl: string; dataDir: string } | { kind: 'pglite'; dataDir: string };
type Parsed = { file: string; check: boolean; where: Where; evidenceStore: EvidenceStoreConfig };

/** The arguments both commands take, and where the database is. */
function parse(argv: readonly string[], env: Env, usage: string, io: Io): Parsed | number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { data: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...(usage === RESTORE_USAGE ? { check: { type: 'boolean' } } : {}) },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.log(usage);
    return 0;
  }
  const [file, ...rest] = parsed.positionals;
  if (!file || rest.length > 0) {
    io.error(`Give exactly one FILE.\n\n${usage}`);
    return 2;
  }
  // The hub's own settings, read as the hub reads them: where its evidence bytes are kept matters to both commands.
  let server: { dataDir?: string; databaseUrl?: string } = {};
  let evidenceStore: EvidenceStoreConfig;
  const configPath = parsed.values.config ?? (env.OHR_CONFIG || undefined);
  try {
    const loaded = configPath ? readConfigFile(configPath) : { hub: {}, server: {} };
    server = loaded.server;
    evidenceStore = resolveConfig(mergeLayers([loaded.hub, configFromEnv(env)])).evidenceStore;
  } catch (error) {
    io.error(error instanceof ConfigError ? error.problems.join('\n') : String(error));
    return 2;
  }
  const dataDir = parsed.values.data || env.OHR_DATA_DIR || server.dataDir || './data';
  const databaseUrl = env.DATABASE_URL || server.databaseUrl;
  const where: Where = databaseUrl ? { kind: 'postgres', databaseUrl, dataDir } : { kind: 'pglite', dataDir };
  return { file, check: parsed.values.check === true, where, evidenceStore };
}

export async function backupCommand(argv: readonly string[], env: Env, io: Io): Promise<number> {
  const args = parse(argv, env, BACKUP_USAGE, io);
  if (typeof args === 'number') return args;
  const { file, where } = args;
  if (where.kind === 'pglite') {
    if (where.dataDir.startsWith('memory://')) {
      io.error('A hub in memory keeps nothing to back up: give --data the folder the hub uses.');
      return 2;
    }
    if (!existsSync(join(where.dataDir, 'PG_VERSION'))) {
      io.error(`There is no hub database in ${where.dataDir}: check --data (or OHR_DATA_DIR), or set DATABASE_URL for a hub on PostgreSQL.`);
      return 1;
    }
  }
  let db;
  try {
    db = await openDatabase(
      where.kind === 'postgres' ? { databaseUrl: where.databaseUrl, migrate: false } : { dataDir: where.dataDir, migrate: false, purpose: `ohr backup to ${file}`, stuckAfterMs: 3_600_000 },
    );
  } catch (error) {
    if (error instanceof FolderInUseError) {
      io.error(
        `${error.message}\n\nA backup of a PGlite folder needs the hub stopped: only one process may open the folder, and a copy taken ` +
          'while the hub writes would not be consistent. Stop the hub, run the backup (the hub cannot start until it is done), then ' +
          'start the hub again. To back up while the hub runs, run it on PostgreSQL (DATABASE_URL; see docs/hub-operations.md).',
      );
      return 3;
    }
    io.error(`The database could not be opened: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  try {
    const started = performance.now();
    configureEvidenceStore(db, args.evidenceStore);
    const summary = await writeBackup(db, file, { totpKey: totpKeyOf(where.dataDir, env) });
    report(io, summary, performance.now() - started, where);
    return 0;
  } catch (error) {
    io.error(`The backup failed; no file was written. ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db.close();
  }
}

/** The key the hub would use, without making one: OHR_TOTP_KEY, else `<dataDir>/totp.key` if it exists. */
function totpKeyOf(dataDir: string, env: Env): Uint8Array | null {
  if (env.OHR_TOTP_KEY?.trim() || existsSync(join(dataDir, 'totp.key'))) return loadTotpKey(dataDir, env);
  return null;
}

function report(io: Io, summary: BackupSummary, ms: number, where: Where): void {
  const bytes = summary.evidenceBytes;
  io.log(`Backup written to ${summary.file} in ${(ms / 1000).toFixed(1)} s (${where.kind === 'postgres' ? `PostgreSQL at ${redactedUrl(where.databaseUrl)}` : `PGlite in ${where.dataDir}`}).`);
  io.log(`  ${summary.tables.reports ?? 0} reports, ${summary.tables.moderators ?? 0} accounts, ${auditEntries(summary.tables)} audit entries, ${summary.evidenceFiles} evidence files (${megabytes(bytes)}).`);
  if (summary.damagedEvidence.length > 0) {
    io.error(`Warning: ${summary.damagedEvidence.length} evidence files no longer match their hash in the database and were copied as they are: ${summary.damagedEvidence.join(', ')}`);
  }
  io.log('  The file is secret (personal data, evidence, the TOTP key): store it encrypted.');
}

export async function restoreCommand(argv: readonly string[], env: Env, io: Io): Promise<number> {
  const args = parse(argv, env, RESTORE_USAGE, io);
  if (typeof args === 'number') return args;
  const { file, where } = args;
  if (args.check) return checkCommand(file, io);
  const target: RestoreTarget = where.kind === 'postgres' ? { databaseUrl: where.databaseUrl } : { dataDir: where.dataDir };
  if (where.kind === 'pglite' && where.dataDir.startsWith('memory://')) {
    io.error('Restore into memory keeps nothing: give --data a new folder.');
    return 2;
  }
  if (where.kind === 'pglite' && (await stat(where.dataDir).catch(() => undefined))?.isFile()) {
    io.error(`${where.dataDir} is a file: give --data a folder that does not exist yet.`);
    return 2;
  }
  try {
    const started = performance.now();
    const summary = await restoreBackup(file, target, { env, totpKeyFile: join(where.dataDir, 'totp.key'), evidenceStore: args.evidenceStore });
    restored(io, summary, performance.now() - started);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) io.error(error.message);
    else io.error(`The restore failed and nothing was restored: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function checkCommand(file: string, io: Io): Promise<number> {
  try {
    const { header, manifest } = await verifyBackup(file);
    io.log(`${file} is whole: every part matches its SHA-256, and this hub can restore it (made ${header.createdAt} from ${header.source.engine}).`);
    io.log(`  ${manifest.tables.reports ?? 0} reports, ${manifest.tables.moderators ?? 0} accounts, ${auditEntries(manifest.tables)} audit entries, ${manifest.evidenceFiles} evidence files (${megabytes(manifest.evidenceBytes)}).`);
    return 0;
  } catch (error) {
    io.error(error instanceof BackupError ? error.message : `The check failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function restored(io: Io, summary: RestoreSummary, ms: number): void {
  io.log(`Restored the backup of ${summary.createdAt} into ${summary.where} in ${(ms / 1000).toFixed(1)} s.`);
  io.log(`  ${summary.tables.reports ?? 0} reports, ${summary.tables.moderators ?? 0} accounts, ${auditEntries(summary.tables)} audit entries, ${summary.evidenceFiles} evidence files (${megabytes(summary.evidenceBytes)}).`);
  if (summary.upgradedWith.length > 0) io.log(`  Brought up to this hub's version with ${summary.upgradedWith.join(', ')}.`);
  if (summary.skippedTables.length > 0) io.log(`  Not restored (tables this hub's migrations do not make): ${summary.skippedTables.join(', ')}.`);
  io.log(`  TOTP: ${summary.totpKey}.`);
  io.log('  Everyone signs in again: sessions are not part of a backup.');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The audit log's rows: `audit_entries` since migration 007 (payloads apart), `audit_log` before. */
function auditEntries(tables: Record<string, number>): number {
  return tables.audit_entries ?? tables.audit_log ?? 0;
}
