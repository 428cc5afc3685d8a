/**
 * `npm run bench:capture`: what a capture costs, in the real extension in Chromium, on a real saved platform page.
 *
 * 1. The median time of a bare `tabs.captureVisibleTab` (PNG) and of a full "Report this post" (the background's own
 *    context-menu listener: inject/read the post, screenshot, crop, HTML snapshot, hashes, draft saved in IndexedDB),
 *    interleaved, 600 ms apart so the 2-per-second quota never waits; budget: full ≤ 1.5 × bare. The first full
 *    capture on a page also injects the capture script; it is reported separately ("cold").
 * 2. The always-on right-click listener's built size; budget ≤ 2 KB.
 * 3. The load time (`loadEventEnd`) of a heavy saved page with and without the extension (whose listener is
 *    registered in this build); budget: ratio ≤ 1.02.
 * Not part of `npm test`. ROUNDS and LOADS set the sample sizes.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from '@playwright/test';
import type { WxtBrowser } from 'wxt/browser';
import { extensionIn, launchWithExtension } from '../e2e/browser';
import { chromiumPath, E2E_EXTENSION_DIR } from '../e2e/paths';

declare const chrome: WxtBrowser;

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const LOADS = Number(process.env.LOADS ?? 12);
const PLATFORMS = new URL('../fixtures/platforms/', import.meta.url);
const POST_PAGE = 'telegram/tme-s-channel-topwar.html';
const POST = '.tgme_widget_message[data-post="topwar_official/70990"] .tgme_widget_message_text';
const HEAVY_PAGE = 'youtube/postlight-watch-page.html';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The saved pages, scripts off and nothing fetched from elsewhere (they are third-party pages). */
async function serveFixtures(): Promise<{ server: Server; url(path: string): string }> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname.replace(/^\/+/, '');
    if (!/^[a-z]+\/[\w.-]+\.html$/.test(path)) return void response.writeHead(404).end();
    try {
      const body = await readFile(new URL(path, PLATFORMS));
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "script-src 'none'; connect-src 'none'; img-src 'self' data:" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: (path) => `http://127.0.0.1:${address.port}/${path}` };
}

interface Hooks {
  onMenuClick(info: { menuItemId: string; frameId: number }, tab: { id?: number }): Promise<{ ok: boolean } | undefined>;
}

async function timeBare(worker: Worker, url: string): Promise<number> {
  return worker.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url });
    const start = performance.now();
    await chrome.tabs.captureVisibleTab(tab!.windowId, { format: 'png' });
    return performance.now() - start;
  }, url);
}

async function timeFull(worker: Worker, url: string): Promise<number> {
  const { ms, ok } = await worker.evaluate(async (url) => {
    const hooks = Reflect.get(self, 'ohrTest') as Hooks;
    const [tab] = await chrome.tabs.query({ url });
    const start = performance.now();
    const result = await hooks.onMenuClick({ menuItemId: 'report-post', frameId: 0 }, { id: tab!.id });
    return { ms: performance.now() - start, ok: result?.ok === true };
  }, url);
  if (!ok) throw new Error('the capture failed');
  return ms;
}

async function captureTimes(context: BrowserContext, pageUrl: string) {
  const extension = await extensionIn(context);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.locator(POST).hover();
  const worker = await extension.worker();
  const bare: number[] = [];
  const full: number[] = [];
  await sleep(600);
  const cold = await timeFull(worker, page.url());
  for (let round = 0; round < ROUNDS; round++) {
    await sleep(600);
    bare.push(await timeBare(worker, page.url()));
    await sleep(600);
    full.push(await timeFull(worker, page.url()));
  }
  return { bare: median(bare), full: median(full), cold };
}

/**
 * Load times of `url` in two browsers, one load in each in turn, so that drift in the machine's load affects both
 * alike. The first load in each warms its cache and renderer and is not counted.
 */
async function loadTimes(plain: BrowserContext, extended: BrowserContext, url: string): Promise<{ plain: number; extended: number }> {
  const pages = await Promise.all([plain.newPage(), extended.newPage()]);
  const times: [number[], number[]] = [[], []];
  for (const page of pages) await page.goto(url, { waitUntil: 'load' });
  for (let load = 0; load < LOADS; load++) {
    for (const [index, page] of pages.entries()) {
      await page.goto(`${url}?load=${load}`, { waitUntil: 'load' });
      times[index]!.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
    }
  }
  await Promise.all(pages.map((page) => page.close()));
  return { plain: median(times[0]), extended: median(times[1]) };
}

async function withProfile<T>(run: (profileDir: string) => Promise<T>): Promise<T> {
  const profileDir = await mkdtemp(join(tmpdir(), 'ohr-bench-capture-'));
  try {
    return await run(profileDir);
  } finally {
    await rm(profileDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.env.OHR_E2E_SKIP_BUILD !== '1') execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore', env: { ...process.env, OHR_E2E: '1' } });
  const site = await serveFixtures();
  try {
    const listenerBytes = (await stat(join(E2E_EXTENSION_DIR, 'right-click.js'))).size;
    const captureScriptBytes = (await stat(join(E2E_EXTENSION_DIR, 'capture-post.js'))).size;

    const { load, capture } = await withProfile((plainDir) => withProfile(async (extensionDir) => {
      const plain = await chromium.launchPersistentContext(plainDir, {
        executablePath: chromiumPath(), headless: true, viewport: { width: 1280, height: 720 },
        args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const extended = await launchWithExtension(extensionDir);
      try {
        const load = await loadTimes(plain, extended, site.url(HEAVY_PAGE));
        await plain.close();
        return { load, capture: await captureTimes(extended, site.url(POST_PAGE)) };
      } finally {
        await plain.close();
        await extended.close();
      }
    }));
    const [plainLoad, extensionLoad] = [load.plain, load.extended];

    const ratio = capture.full / capture.bare;
    const loadRatio = extensionLoad / plainLoad;
    const verdict = (ok: boolean) => (ok ? 'within budget' : 'OVER BUDGET');
    console.log(`capture (median of ${ROUNDS}, ${POST_PAGE})`);
    console.log(`  bare captureVisibleTab         ${capture.bare.toFixed(1)} ms`);
    console.log(`  full "Report this post"        ${capture.full.toFixed(1)} ms   (first on the page, injecting the script: ${capture.cold.toFixed(1)} ms)`);
    console.log(`  ratio                          ${ratio.toFixed(2)}×  (budget ≤ 1.5×: ${verdict(ratio <= 1.5)})`);
    console.log(`always-on right-click listener   ${listenerBytes} B  (budget ≤ 2048 B: ${verdict(listenerBytes <= 2048)}); capture script injected on demand: ${(captureScriptBytes / 1024).toFixed(1)} KiB`);
    console.log(`page load (median of ${LOADS}, ${HEAVY_PAGE})`);
    console.log(`  without the extension          ${plainLoad.toFixed(1)} ms`);
    console.log(`  with the extension             ${extensionLoad.toFixed(1)} ms`);
    console.log(`  ratio                          ${loadRatio.toFixed(3)}  (budget ≤ 1.02: ${verdict(loadRatio <= 1.02)})`);
  } finally {
    site.server.closeAllConnections();
    site.server.close();
  }
}

await main();
