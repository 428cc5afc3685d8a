/**
 * Runs the hub on Node: opens (and migrates) the database, serves the app, and shuts both down in order.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import { createApp } from './app';
import { resolveConfig, type HubConfigInput } from './config';
import { openDatabase, type Database } from './db';

export interface HubOptions {
  /** 0 picks any free port. Default 8787. */
  port?: number;
  /** Default 127.0.0.1: a hub is exposed on purpose (behind a TLS proxy), never by accident. */
  host?: string;
  /** PGlite directory; in memory when undefined. Ignored when `databaseUrl` is given. */
  dataDir?: string;
  databaseUrl?: string;
  /** PostgreSQL schema (or PGlite schema) to keep the hub's tables in. */
  schema?: string;
  /** An already open database to serve instead of opening one (tests); `close()` still closes it. */
  db?: Database;
  config?: HubConfigInput;
  /** Default: JSON lines on stdout at `config.logLevel`. */
  logger?: Logger;
}

export interface RunningHub {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  db: Database;
  logger: Logger;
  /**
   * Graceful shutdown: /healthz turns 503, no new connections are accepted, open requests finish (idle keep-alive
   * connections are closed at once), then the database closes. Connections still busy after `shutdownTimeoutMs` are cut.
   */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

export async function startHub(options: HubOptions = {}): Promise<RunningHub> {
  const host = options.host ?? DEFAULT_HOST;
  const config = resolveConfig(options.config ?? {});
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'ohr-hub' } });
  const db =
    options.db ??
    (await openDatabase({
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
    }));
  let draining = false;
  const app = createApp({ db, config: options.config ?? {}, logger, isDraining: () => draining });
  let server: ServerType;
  let address: AddressInfo;
  try {
    [server, address] = await listen(app.fetch, options.port ?? DEFAULT_PORT, host);
  } catch (error) {
    await db.close();
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    db,
    logger,
    close() {
      closing ??= (async () => {
        draining = true;
        const http = server as ServerType & Partial<Pick<import('node:http').Server, 'closeIdleConnections' | 'closeAllConnections'>>;
        const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
        // A keep-alive connection becomes idle once its last response is out: close those as they appear.
        const sweep = setInterval(() => http.closeIdleConnections?.(), 50);
        const deadline = setTimeout(() => {
          logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout: cutting connections still open');
          http.closeAllConnections?.();
        }, config.shutdownTimeoutMs);
        http.closeIdleConnections?.();
        try {
          await closed;
        } finally {
          clearInterval(sweep);
          clearTimeout(deadline);
          await db.close();
        }
      })();
      return closing;
    },
  };
}

/** Resolves once the socket is listening; rejects on e.g. EADDRINUSE instead of crashing the process. */
function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string) {
  return new Promise<[ServerType, AddressInfo]>((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, (info) => {
      server.off('error', reject);
      resolve([server, info]);
    });
    server.once('error', reject);
  });
}
