/**
 * `npm run hub`: starts the reference hub. Flags win over environment variables, which win over defaults.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, configFromEnv, mergeLayers, readConfigFile, resolveConfig, type HubConfigInput } from './config';
import { backupCommand, restoreCommand } from './backup/cli';
import { verifyAuditCommand } from './audit-cli';
import { createModeratorCommand, SETUP_LINK_HOURS } from './console';
import { redactedUrl } from './db';
import type { Unavailability } from './storage/availability';
import { DEFAULT_HOST, DEFAULT_PORT, startHub, type HubOptions, type RunningHub } from './server';

export const USAGE = `Usage: npm run hub -- [--config FILE] [--port N] [--host HOST] [--data DIR] [--public-url URL]

  --config FILE     JSON file with any hub setting (env OHR_CONFIG); see hub/README.md
  --port N          port to listen on, 0 for any free one (env PORT, default ${DEFAULT_PORT})
  --host HOST       address to listen on (env HOST, default ${DEFAULT_HOST})
  --data DIR        PGlite data directory, memory:// for none (env OHR_DATA_DIR, default ./data)
  --public-url URL  address clients use, for discovery links (env OHR_PUBLIC_URL, default: the request's origin)

  DATABASE_URL=postgres://user:pass@host:5432/db[?schema=NAME] uses PostgreSQL instead of PGlite.
  Every other setting has an environment variable too (OHR_CORS_ORIGINS, OHR_RATE_LIMIT_BURST, OHR_LOG_LEVEL, ...):
  see hub/README.md. Precedence: flags, then environment, then the config file, then defaults.

       npm run hub -- create-moderator <email> [--admin] [--data DIR]   (a triage console account; see --help)
       npm run hub -- backup FILE [--data DIR]    (everything in one file, secret; PGlite: hub stopped; see --help)
       npm run hub -- restore FILE [--data DIR]   (into an empty folder or database; see --help)
       npm run hub -- verify-audit [--data DIR]   (checks the audit log's hash chain; see --help)`;

export type CliParse =
  | { kind: 'run'; options: HubOptions & { port: number; host: string }; database: string }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

type Env = Record<string, string | undefined>;

/**
 * Reads flags, environment and the optional config file into hub options, or says in words what is wrong with each
 * bad value. Pure apart from reading the config file (injectable), for testing.
 */
export function parseCli(argv: readonly string[], env: Env = process.env, read?: (path: string) => string): CliParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'public-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };

  const problems: string[] = [];
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
      return fallback;
    }
  };
  const configPath = values.config ?? (env.OHR_CONFIG || undefined);
  const file = configPath ? attempt(() => readConfigFile(configPath, read), { hub: {}, server: {} }) : { hub: {}, server: {} };
  const fromEnv = attempt(() => configFromEnv(env), {});

  const portText = values.port ?? env.PORT;
  const port = portText === undefined ? (file.server.port ?? DEFAULT_PORT) : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65_535)) problems.push(`Invalid port "${portText}": use a whole number from 0 to 65535`);

  const flags: HubConfigInput = values['public-url'] === undefined ? {} : { publicBaseUrl: values['public-url'] };
  const config = mergeLayers([file.hub, fromEnv, flags]);
  if (problems.length === 0) attempt(() => resolveConfig(config), undefined);
  if (problems.length > 0) return { kind: 'error', message: problems.join('\n') };

  const host = values.host ?? env.HOST ?? file.server.host ?? DEFAULT_HOST;
  const databaseUrl = env.DATABASE_URL || file.server.databaseUrl;
  const options = { port, host, config: withoutEmpty(config) };
  if (databaseUrl) {
    return { kind: 'run', options: { ...options, databaseUrl }, database: `PostgreSQL at ${redactedUrl(databaseUrl)}` };
  }
  const dataDir = values.data || env.OHR_DATA_DIR || file.server.dataDir || './data';
  const where = dataDir.startsWith('memory://') ? 'in memory' : `in ${dataDir}`;
  return { kind: 'run', options: { ...options, dataDir }, database: `PGlite ${where}` };
}

/** Drops the empty `limits`/`rateLimit` objects merging leaves, so the options show only what was set. */
function withoutEmpty(config: HubConfigInput): HubConfigInput {
  return Object.fromEntries(
    Object.entries(config).filter(([, value]) => !(value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)),
  );
}

export type CliResult = { exitCode: number } | { hub: RunningHub };

export interface CliIo {
  log(line: string): void;
  error(line: string): void;
}

/** Parses, starts and announces the hub. Returns an exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], env: Env = process.env, io: CliIo = console): Promise<CliResult> {
  if (argv[0] === 'create-moderator') return { exitCode: await createModeratorCommand(argv.slice(1), env, io) };
  if (argv[0] === 'backup') return { exitCode: await backupCommand(argv.slice(1), env, io) };
  if (argv[0] === 'restore') return { exitCode: await restoreCommand(argv.slice(1), env, io) };
  if (argv[0] === 'verify-audit') return { exitCode: await verifyAuditCommand(argv.slice(1), env, io) };
  const parsed = parseCli(argv, env);
  if (parsed.kind === 'help') {
    io.log(USAGE);
    return { exitCode: 0 };
  }
  if (parsed.kind === 'error') {
    io.error(`${parsed.message}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  const hub = await startHub({ ...parsed.options, onFatal: exitForSupervisor });
  for (const line of banner(hub, parsed.database)) io.log(line);
  return { hub };
}

/**
 * What the hub says when it starts: where it listens, where the console is, and, while it has no account, the
 * one-time link that creates the first admin (printed here only, never to the log).
 */
export function banner(hub: Pick<RunningHub, 'url' | 'consoleUrl' | 'setupUrl'>, database: string): string[] {
  const lines = [`OHR hub listening on ${hub.url} (database: ${database})`, `Triage console: ${hub.consoleUrl}`];
  if (hub.setupUrl) {
    lines.push(
      `No console account yet. Open this one-time link in a browser to create the first admin (it works once, for ${SETUP_LINK_HOURS} hours;`,
      'restart the hub for a new one):',
      `  ${hub.setupUrl}`,
    );
  }
  return lines;
}

/**
 * The embedded database failed and could not be reopened (a disk that stays full, a folder that stays read-only): say
 * why and exit non-zero, so a supervisor (systemd, a container runtime) restarts the hub and an operator is alerted.
 * Nothing acknowledged is at risk: every 201 was committed before it was sent.
 */
function exitForSupervisor(reason: Unavailability): void {
  console.error(`OHR hub is stopping: ${reason.message}`);
  process.exit(EXIT_DATABASE_FAILED);
}

/** sysexits.h EX_TEMPFAIL: a temporary failure, worth a restart. */
export const EXIT_DATABASE_FAILED = 75;

/** SIGINT/SIGTERM: finish open requests, close the database, exit. A second signal exits at once. */
function closeOnSignals(hub: RunningHub): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    hub.logger.info({ signal }, 'closing: finishing open requests');
    hub.close().then(
      () => {
        hub.logger.info('closed');
        process.exit(0);
      },
      (error: unknown) => {
        hub.logger.error({ err: error instanceof Error ? { type: error.name, message: error.message } : String(error) }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (result) => {
      if ('exitCode' in result) process.exitCode = result.exitCode;
      else closeOnSignals(result.hub);
    },
    (error: unknown) => {
      console.error('OHR hub could not start:', error instanceof Error ? error.message : error);
      // Exit now: a half-opened database's handles must not keep a failed hub looking alive to its supervisor.
      process.exit(1);
    },
  );
}
