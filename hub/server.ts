/**
 * Runs the hub on Node: opens (and migrates) the database, serves the app, and shuts both down in order.
 */
import { Server, type AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import { createApp } from './app';
import { issueSetupLink, loadTotpKey, sealStoredSecrets, setupHref } from './console';
import { redactedError } from './http';
import { purgeExpired, type RetentionRules } from './domain/retention';
import { ConfigError, resolveConfig, type HubConfigInput } from './config';
import { alertDestinations, deliveryProblems, DeliveryWorker } from './delivery/worker';
import { TimestampWorker } from './domain/timestamps';
import { syncAlertDestinations } from './domain/deliveries';
import { createMailer } from './mail';
import { openDatabase, type Database } from './db';
import type { Unavailability } from './storage/availability';

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
  /**
   * The embedded database failed for good (it could not be reopened within `databaseGiveUpMs`). The command line
   * exits non-zero so a supervisor restarts the hub; the default only logs (tests, embedding).
   */
  onFatal?: (reason: Unavailability) => void;
}

export interface RunningHub {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  /** The triage console's address: `publicBaseUrl` when set, else the address the hub listens at. */
  consoleUrl: string;
  /**
   * While the hub has no account: the one-time address where the first admin is created (made at this start, valid
   * for a day; only its hash is stored). Undefined once any account exists.
   */
  setupUrl: string | undefined;
  db: Database;
  logger: Logger;
  /**
   * Graceful shutdown: /healthz turns 503 at once while everything else is still served for `shutdownGraceMs` (a load
   * balancer stops sending), then no new connection is accepted, requests already received finish (keep-alive
   * connections close after their response), and the database closes. Connections still busy after
   * `shutdownTimeoutMs` are cut.
   */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8787;
/** After the listener closes, how long a just-accepted connection has to be read before idle ones are closed. */
const IDLE_LINGER_MS = 500;
export const DEFAULT_HOST = '127.0.0.1';

export async function startHub(options: HubOptions = {}): Promise<RunningHub> {
  const host = options.host ?? DEFAULT_HOST;
  const config = resolveConfig(options.config ?? {});
  const deliveryConfigProblems = deliveryProblems(config.alerts, config.smtp !== undefined);
  if (deliveryConfigProblems.length > 0) throw new ConfigError(deliveryConfigProblems);
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'ohr-hub' } });
  const onFatal =
    options.onFatal ?? ((reason: Unavailability) => logger.fatal({ reason: reason.reason, detail: reason.message }, 'the database cannot be reopened'));
  const db =
    options.db ??
    (await openDatabase({
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
      stuckAfterMs: config.databaseStuckMs,
      giveUpAfterMs: config.databaseGiveUpMs,
      onFatal: (reason) => onFatal(reason),
    }));
  let totpKey: Uint8Array;
  let setupToken: string | undefined;
  try {
    totpKey = totpKeyFor(options);
    const sealed = await sealStoredSecrets(db, totpKey);
    if (sealed > 0) logger.info({ sealed }, 'sealed TOTP secrets stored in clear by an earlier version');
    // The link itself is never logged: only the banner (cli.ts) and `setupUrl` carry it.
    setupToken = await issueSetupLink(db, new Date());
    if (setupToken) logger.info('no console account yet: a one-time setup link was made for the first admin');
    // Before the first request: intake fans an urgent report out to the destinations stored here.
    await syncAlertDestinations(db, alertDestinations(config.alerts));
  } catch (error) {
    await db.close();
    throw error;
  }
  let draining = false;
  let listening: string | undefined;
  const app = createApp({ db, config: options.config ?? {}, logger, isDraining: () => draining, listenOrigin: () => listening, totpKey });
  let server: ServerType;
  let address: AddressInfo;
  try {
    [server, address] = await listen(app.fetch, options.port ?? DEFAULT_PORT, host);
  } catch (error) {
    await db.close();
    throw error;
  }
  const stopPurge = startRetentionPurge(db, config, logger);
  const http = server as import('node:http').Server;
  // While draining, every response ends its connection, so keep-alive clients reconnect (and are refused once the
  // listener is closed) instead of being cut while a request they already sent waits unread.
  http.prependListener('request', (_request, response) => {
    if (draining) response.setHeader('Connection', 'close');
  });
  const urlHost = host.includes(':') ? `[${host}]` : host;
  // Without publicBaseUrl (and unless the operator trusts the Host header), discovery and the widget's pages name the
  // address the hub listens at; "any address" is no address a client can use, so loopback stands in, with a warning.
  const unspecified = host === '0.0.0.0' || host === '::' || host === '[::]';
  listening = `http://${unspecified ? '127.0.0.1' : urlHost}:${address.port}`;
  if (!config.publicBaseUrl && !config.trustHostHeader && unspecified) {
    logger.warn({ origin: listening }, 'publicBaseUrl is not set: discovery names the loopback address; set publicBaseUrl (OHR_PUBLIC_URL) to the address clients use');
  }
  let closing: Promise<void> | undefined;
  const base = config.publicBaseUrl ?? listening;
  const deliveryMailer = createMailer(config.smtp);
  const deliveries = new DeliveryWorker({ db, alerts: config.alerts, mailer: deliveryMailer, baseUrl: base, organisation: config.name, logger });
  deliveries.start();
  const timestamps = new TimestampWorker({ db, logger });
  timestamps.start();
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    consoleUrl: `${base}/console`,
    setupUrl: setupToken && `${base}${setupHref(setupToken)}`,
    db,
    logger,
    close() {
      closing ??= (async () => {
        draining = true;
        stopPurge();
        if (config.shutdownGraceMs > 0) {
          logger.info({ graceMs: config.shutdownGraceMs }, 'draining: /healthz answers 503, requests are still served');
          await new Promise((resolve) => setTimeout(resolve, config.shutdownGraceMs));
        }
        // The listener only: http.Server#close would also cut every connection that looks idle, which includes one
        // accepted a moment ago whose request is still unread in its socket. Such a request is parsed within a tick
        // or two, so idle connections are only closed after a short linger.
        const closed = new Promise<void>((resolve, reject) => Server.prototype.close.call(http, (error) => (error ? reject(error) : resolve())));
        await new Promise((resolve) => setTimeout(resolve, IDLE_LINGER_MS));
        http.closeIdleConnections();
        const deadline = setTimeout(() => {
          logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout: cutting connections still open');
          http.closeAllConnections();
        }, config.shutdownTimeoutMs);
        try {
          await closed;
        } finally {
          clearTimeout(deadline);
          // Tries in progress are recorded first; a row it could not finish is claimed again after its lease.
          await deliveries.stop();
          await timestamps.stop();
          deliveryMailer?.close();
          await db.close();
        }
      })();
      return closing;
    },
  };
}

/** How often the retention purge runs (and once just after start). */
const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Starts the retention purge (domain/retention.ts): reports due for erasure and expired unreferenced evidence.
 * Logged with counts only; each erased report has its own audit entry. Returns what stops it.
 */
function startRetentionPurge(db: Database, rules: RetentionRules, logger: Logger): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const counts = await purgeExpired(db, rules);
      if (counts.withdrawn + counts.retention + counts.unreferencedEvidence > 0) logger.info(counts, 'retention purge: erased what was due');
    } catch (error) {
      logger.warn({ err: redactedError(error) }, 'the retention purge failed; it runs again within the hour');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), 0);
  first.unref();
  const every = setInterval(() => void run(), PURGE_EVERY_MS);
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}

/**
 * The key TOTP secrets are sealed with: `OHR_TOTP_KEY`, else `totp.key` in the data folder (PostgreSQL: in `dataDir`,
 * default `./data`), made at the first start; a hub in memory keeps nothing, so a new key does.
 */
function totpKeyFor(options: HubOptions): Uint8Array {
  // No folder given and no PostgreSQL: a database in memory, or one the caller opened (tests), keeps no key either.
  const memory = !options.databaseUrl && (options.dataDir === undefined || options.dataDir.startsWith('memory://'));
  if (memory && !process.env.OHR_TOTP_KEY) return randomBytes(32);
  return loadTotpKey(options.dataDir && !options.dataDir.startsWith('memory://') ? options.dataDir : './data');
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
