/**
 * Runs the hub on Node: opens (and migrates) the database, serves the app, and shuts both down in order.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app';
import type { HubConfig } from './config';
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
  config?: Partial<HubConfig>;
}

export interface RunningHub {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  db: Database;
  /** Stops accepting connections, lets open requests finish, then closes the database. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

export async function startHub(options: HubOptions = {}): Promise<RunningHub> {
  const host = options.host ?? DEFAULT_HOST;
  const db = await openDatabase({
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
  });
  const app = createApp({ db, config: options.config ?? {} });
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
    close() {
      closing ??= new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))).finally(() =>
        db.close(),
      );
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
