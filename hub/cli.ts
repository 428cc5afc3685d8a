/**
 * `npm run hub`: starts the reference hub. Flags win over environment variables, which win over defaults.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { HubConfig } from './config';
import { redactedUrl } from './db';
import { DEFAULT_HOST, DEFAULT_PORT, startHub, type HubOptions, type RunningHub } from './server';

export const USAGE = `Usage: npm run hub -- [--port N] [--host HOST] [--data DIR] [--public-url URL]

  --port N          port to listen on, 0 for any free one (env PORT, default ${DEFAULT_PORT})
  --host HOST       address to listen on (env HOST, default ${DEFAULT_HOST})
  --data DIR        PGlite data directory, memory:// for none (env OHR_DATA_DIR, default ./data)
  --public-url URL  address clients use, for discovery links (env OHR_PUBLIC_URL, default: the request's origin)

  DATABASE_URL=postgres://user:pass@host:5432/db[?schema=NAME] uses PostgreSQL instead of PGlite.
  OHR_CORS_ORIGINS=https://a.example,https://b.example allows those web origins besides browser extensions.`;

export type CliParse =
  | { kind: 'run'; options: HubOptions & { port: number; host: string }; database: string }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

type Env = Record<string, string | undefined>;

/** Reads flags and environment into hub options, or says in words what is wrong. Pure, for testing. */
export function parseCli(argv: readonly string[], env: Env = process.env): CliParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
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

  const portText = values.port ?? env.PORT ?? String(DEFAULT_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65_535)) return { kind: 'error', message: `Invalid port "${portText}": use a whole number from 0 to 65535` };

  const publicBaseUrl = values['public-url'] ?? env.OHR_PUBLIC_URL;
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    return { kind: 'error', message: `Invalid public URL "${publicBaseUrl}": use an address such as https://report.example.org` };
  }
  const corsOrigins = (env.OHR_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  const config: Partial<HubConfig> = { ...(publicBaseUrl ? { publicBaseUrl } : {}), ...(corsOrigins.length ? { corsOrigins } : {}) };

  const host = values.host ?? env.HOST ?? DEFAULT_HOST;
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl) {
    return { kind: 'run', options: { port, host, databaseUrl, config }, database: `PostgreSQL at ${redactedUrl(databaseUrl)}` };
  }
  const dataDir = values.data || env.OHR_DATA_DIR || './data';
  const where = dataDir.startsWith('memory://') ? 'in memory' : `in ${dataDir}`;
  return { kind: 'run', options: { port, host, dataDir, config }, database: `PGlite ${where}` };
}

export type CliResult = { exitCode: number } | { hub: RunningHub };

export interface CliIo {
  log(line: string): void;
  error(line: string): void;
}

/** Parses, starts and announces the hub. Returns an exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], env: Env = process.env, io: CliIo = console): Promise<CliResult> {
  const parsed = parseCli(argv, env);
  if (parsed.kind === 'help') {
    io.log(USAGE);
    return { exitCode: 0 };
  }
  if (parsed.kind === 'error') {
    io.error(`${parsed.message}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  const hub = await startHub(parsed.options);
  io.log(`OHR hub listening on ${hub.url} (database: ${parsed.database})`);
  return { hub };
}

/** SIGINT/SIGTERM: finish open requests, close the database, exit. A second signal exits at once. */
function closeOnSignals(hub: RunningHub): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`OHR hub: ${signal} received, closing`);
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('OHR hub: error while closing', error);
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
      process.exitCode = 1;
    },
  );
}
