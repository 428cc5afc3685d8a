/**
 * `npm run bench:outbox`: a soak of the outbox through the real extension in Chromium and the real hub.
 *
 * REPORTS reports are queued at once; while they drain, the extension's service worker is stopped at random, the hub
 * is restarted, and a fault proxy answers some report POSTs with 5xx. It prints how many were queued, arrived, were
 * duplicated and were lost, and how long the queue took to drain after the last fault.
 * Goal: 0 lost, 0 duplicated, drained ≤ 30 s after the last fault. Not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sha256Hex } from '../../lib/hash';
import type { Draft } from '../../extension/db';
import { startHub, type RunningHub } from '../../hub/server';
import { startFaultProxy } from '../e2e/fault-proxy';
import { extensionIn, launchWithExtension } from '../e2e/browser';
import { makePng } from '../fixtures/png';

const REPORTS = Number(process.env.SOAK_REPORTS ?? 1_000);
const FAULT_SECONDS = Number(process.env.SOAK_FAULT_SECONDS ?? 45);
const DRAIN_LIMIT_SECONDS = 300;
const FAILURE_RATE = 0.1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  if (process.env.OHR_E2E_SKIP_BUILD !== '1') execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore', env: { ...process.env, OHR_E2E: '1' } });
  const dataDir = await mkdtemp(join(tmpdir(), 'ohr-soak-hub-'));
  const profileDir = await mkdtemp(join(tmpdir(), 'ohr-soak-profile-'));
  // One person never sends this many reports: the hub's per-client limit would only measure itself here.
  const hubOptions = { port: 0, dataDir, config: { rateLimit: { enabled: false }, logLevel: 'warn' as const } };
  let hub: RunningHub = await startHub(hubOptions);
  const port = hub.port;
  let faulting = true;
  const proxy = await startFaultProxy(() => `http://127.0.0.1:${port}`);
  proxy.plan((request) =>
    faulting && request.method === 'POST' && Math.random() < FAILURE_RATE ? { kind: 'status', status: 503 } : { kind: 'pass' },
  );
  const context = await launchWithExtension(profileDir);
  const counts = { workerStops: 0, hubRestarts: 0 };
  try {
    const extension = await extensionIn(context);
    const page = await context.newPage();
    await page.goto(extension.page('reports.html'));
    await addEndpoint(page, proxy.url);
    const ids = await queueReports(page, REPORTS);
    log(`queued ${ids.length} reports`);

    const faultsUntil = Date.now() + FAULT_SECONDS * 1_000;
    let lastFault = Date.now();
    while (Date.now() < faultsUntil) {
      await sleep(2_000 + Math.random() * 4_000);
      if (Math.random() < 0.6) {
        await extension.stopWorker().catch(() => undefined);
        counts.workerStops++;
      } else {
        await hub.close();
        await sleep(1_000 + Math.random() * 2_000);
        hub = await startHub({ ...hubOptions, port });
        counts.hubRestarts++;
      }
      lastFault = Date.now();
      log(`fault ${counts.workerStops + counts.hubRestarts}: ${await arrivedCount(hub, ids)} arrived so far`);
    }
    faulting = false;
    log('faults over; draining');

    let arrived = 0;
    while (Date.now() - lastFault < DRAIN_LIMIT_SECONDS * 1_000) {
      arrived = await arrivedCount(hub, ids);
      if (arrived === ids.length && (await sentInExtension(page)) === ids.length) break;
      await sleep(250);
    }
    const drainSeconds = (Date.now() - lastFault) / 1_000;
    const rows = await hub.db.query<{ id: string; reference: string }>('SELECT id::text, reference FROM reports WHERE id = ANY($1::uuid[])', [ids]);
    const receipts = await receiptsInExtension(page);
    const mismatched = rows.filter((row) => receipts.get(row.id) !== row.reference).length;
    const duplicated = rows.length - new Set(rows.map((row) => row.id)).size + mismatched;
    console.log('');
    console.log(`reports queued      ${ids.length}`);
    console.log(`arrived at the hub  ${new Set(rows.map((row) => row.id)).size}`);
    console.log(`duplicated          ${duplicated}  (extra rows, or receipts that differ from the hub's reference)`);
    console.log(`lost                ${ids.length - new Set(rows.map((row) => row.id)).size}`);
    console.log(`sent in extension   ${await sentInExtension(page)}`);
    console.log(`faults              ${counts.workerStops} worker stops, ${counts.hubRestarts} hub restarts, ~${FAILURE_RATE * 100}% of POSTs answered 503 for ${FAULT_SECONDS} s`);
    console.log(`drain time          ${drainSeconds.toFixed(1)} s after the last fault (goal ≤ 30 s)`);
    const ok = duplicated === 0 && rows.length === ids.length && drainSeconds <= 30;
    console.log(ok ? 'soak: PASS' : 'soak: FAIL');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await context.close();
    await proxy.close();
    await hub.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true });
  }
}

/** Adds the endpoint to the settings the way the options page does once the person confirms. */
async function addEndpoint(page: Page, url: string): Promise<void> {
  const looked = await page.evaluate((address) => chrome.runtime.sendMessage({ type: 'lookup-endpoint', url: address }), url);
  if (!looked?.ok) throw new Error(`lookup failed: ${JSON.stringify(looked)}`);
  await page.evaluate(
    ({ address, discovery }) =>
      chrome.storage.local.set({ settings: { endpoints: [{ url: address, discovery, addedAt: new Date().toISOString(), selected: true }] } }),
    { address: looked.url as string, discovery: looked.discovery as unknown },
  );
}

/**
 * Writes `count` drafts sharing one real screenshot straight into the extension's database (capturing a thousand
 * screenshots would take Chromium's two-per-second quota eight minutes), then sends each through the background.
 */
async function queueReports(page: Page, count: number): Promise<string[]> {
  const png = makePng(1280, 720);
  const sha256 = await sha256Hex(png);
  const now = new Date().toISOString();
  const drafts: Draft[] = Array.from({ length: count }, (_, index) => ({
    id: crypto.randomUUID(),
    createdAt: now,
    updatedAt: now,
    summary: `Soak report ${index + 1}`,
    status: 'draft',
    items: [
      {
        url: `https://example.org/posts/${index + 1}`,
        pageTitle: `Post ${index + 1}`,
        platform: 'other',
        kind: 'page',
        capturedAt: now,
        captureMethod: 'extension',
        evidence: [{ sha256, mediaType: 'image/png', bytes: png.byteLength, kind: 'screenshot', width: 1280, height: 720 }],
      },
    ],
  }));
  await page.evaluate(
    async ({ drafts, artefact }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('ohr', 2);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction(['drafts', 'artefacts'], 'readwrite');
      tx.objectStore('artefacts').put({ sha256: artefact.sha256, mediaType: 'image/png', bytes: new Uint8Array(artefact.bytes) });
      for (const draft of drafts) tx.objectStore('drafts').put(draft);
      await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
      db.close();
    },
    { drafts, artefact: { sha256, bytes: Array.from(png) } },
  );
  const endpoints = await page.evaluate(() => chrome.storage.local.get('settings').then((stored) => (stored.settings as { endpoints: { url: string }[] }).endpoints.map((endpoint) => endpoint.url)));
  for (const draft of drafts) {
    const answer = await page.evaluate(
      (message) => chrome.runtime.sendMessage(message),
      { type: 'send-draft', draftId: draft.id, summary: draft.summary, endpoints },
    );
    if (!answer?.ok) throw new Error(`send-draft failed: ${JSON.stringify(answer)}`);
  }
  return drafts.map((draft) => draft.id);
}

async function arrivedCount(hub: RunningHub, ids: string[]): Promise<number> {
  const [row] = await hub.db.query<{ n: number }>('SELECT count(DISTINCT id)::int AS n FROM reports WHERE id = ANY($1::uuid[])', [ids]).catch(() => [{ n: -1 }]);
  return row?.n ?? 0;
}

async function sentInExtension(page: Page): Promise<number> {
  return (await receiptsInExtension(page)).size;
}

async function receiptsInExtension(page: Page): Promise<Map<string, string>> {
  const pairs = await page.evaluate(async () => {
    const listed = await chrome.runtime.sendMessage({ type: 'list-reports' });
    return (listed.entries as { draft: { id: string }; deliveries: { status: string; receipt?: { reference: string } }[] }[]).flatMap((entry) =>
      entry.deliveries.filter((delivery) => delivery.status === 'sent' && delivery.receipt).map((delivery) => [entry.draft.id, delivery.receipt!.reference] as const),
    );
  });
  return new Map(pairs);
}

declare const chrome: import('wxt/browser').WxtBrowser;

await main();
