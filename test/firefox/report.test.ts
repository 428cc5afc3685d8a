/**
 * The one end-to-end path in real Firefox: the built Firefox MV3 extension (e2e flavour, see wxt.config.ts) adds a
 * real hub, captures a local page from its popup and sends the report; the hub holds it with evidence whose signed
 * capture record verifies. Everything else the extension does is tested in Chromium (test/e2e/).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startHub, type RunningHub } from '../../hub/server';
import { verifyReport } from '../../lib/integrity/verify';
import { serveDirectory } from '../e2e/site-server';
import { button, byLabel, launchFirefoxWithExtension, openExtensionPage, textOf, type FirefoxWithExtension } from './firefox';

const run = promisify(execFile);
let hub: RunningHub;
let hubDir: string;
let site: Awaited<ReturnType<typeof serveDirectory>>;
let siteOrigin: string;
let firefox: FirefoxWithExtension;

beforeAll(async () => {
  // The build and the hub's first start (initdb) side by side: most of this file's time.
  const building = run('npx', ['wxt', 'build', '-b', 'firefox'], { env: { ...process.env, OHR_E2E: '1' }, maxBuffer: 16 * 1024 * 1024 });
  hubDir = await mkdtemp(join(tmpdir(), 'ohr-firefox-hub-'));
  // No drain before it stops (3 s by default): nothing balances load in front of it; the drain is tested in shutdown.test.ts.
  hub = await startHub({ port: 0, dataDir: hubDir, config: { logLevel: 'warn', shutdownGraceMs: 0 } });
  await building;
  site = await serveDirectory(new URL('../e2e/site/', import.meta.url));
  const address = site.address();
  if (address === null || typeof address === 'string') throw new Error('test site has no port');
  siteOrigin = `http://127.0.0.1:${address.port}`;
  firefox = await launchFirefoxWithExtension();
}, 120_000);

afterAll(async () => {
  await firefox?.close();
  site?.closeAllConnections();
  await new Promise((resolve) => site?.close(resolve));
  await hub?.close();
  if (hubDir) await rm(hubDir, { recursive: true, force: true });
});

/** Firefox's optional data collection, as the permissions API takes it (not in the WebExtension types yet). */
const TECHNICAL = { data_collection: ['technicalAndInteraction'] };
type DataCollectionApi = { browser: { permissions: { request(p: typeof TECHNICAL): Promise<boolean>; contains(p: typeof TECHNICAL): Promise<boolean> } } };

type TabsApi = { browser: { tabs: { query(query: object): Promise<Array<{ id?: number; url?: string }>> } } };

/**
 * The id of the tab showing `url`, asked from an extension page (which has the `tabs` API). Filtered here: Firefox's
 * match patterns take no port, so `tabs.query({ url })` cannot name the test site's page.
 */
async function tabShowing(extensionPage: Page, url: string): Promise<number> {
  const id = await extensionPage.evaluate(
    (wanted) => (globalThis as unknown as TabsApi).browser.tabs.query({}).then((tabs) => tabs.find((tab) => tab.url === wanted)?.id),
    url,
  );
  if (id === undefined) throw new Error(`no tab shows ${url}`);
  return id;
}

/** Opens the popup for `tabId`, reports the page with `summary` and returns the hub's reference. */
async function reportFromPopup(extensionPage: Page, tabId: number, summary: string): Promise<string> {
  await openExtensionPage(extensionPage, firefox.page(`popup.html?tab=${tabId}`));
  await (await button(extensionPage, 'Report this page')).click();
  await textOf(extensionPage, '[data-testid=which-report] [role=status]', /^Saved on this computer/);
  await (await byLabel(extensionPage, 'What happened?')).type(summary);
  await (await button(extensionPage, 'Send report')).click();
  return textOf(extensionPage, '[data-testid=reference]', /^OHR-/);
}

type Stored = { items: Array<{ url: string; evidence: unknown[] }>; captureManifests?: Array<{ browser: string }> };

async function storedReport(reference: string): Promise<Stored> {
  const [row] = await hub.db.query<{ body: Stored }>('SELECT body FROM reports WHERE reference = $1', [reference]);
  if (!row) throw new Error(`the hub has no report ${reference}`);
  return row.body;
}

test('Firefox: add an organisation, capture a page from the popup, send it; the hub verifies the capture', async () => {
  const { browser } = firefox;
  const [first] = await browser.pages();
  const extensionPage = first ?? (await browser.newPage());

  // The settings page, as a person adds an organisation.
  await openExtensionPage(extensionPage, firefox.page('options.html'));
  await (await byLabel(extensionPage, 'Address of the reporting service')).type(hub.url);
  await (await button(extensionPage, 'Look up')).click();
  await (await button(extensionPage, /^Add /)).click();
  await textOf(extensionPage, '[role=status]', /added/);

  // The page to report, in a window of its own (captureVisibleTab takes what its window shows).
  const sitePage = await browser.newPage({ type: 'window' });
  const pageUrl = `${siteOrigin}/post.html`;
  await sitePage.goto(pageUrl);
  const tabId = await tabShowing(extensionPage, pageUrl);

  // The popup for that tab, as the toolbar button opens it.
  const reference = await reportFromPopup(extensionPage, tabId, 'Abuse on a forum, reported from Firefox');
  const report = await storedReport(reference);
  expect(report.items.map((item) => item.url)).toEqual([pageUrl]);
  expect(report.items[0]!.evidence.length).toBeGreaterThan(0);
  // Firefox's consent to technical data is optional and not given yet, so the signed record names no browser.
  expect(report.captureManifests?.map((manifest) => manifest.browser)).toEqual(['Unknown browser']);
  const evidence = await hub.db.query<{ sha256: string; content: Uint8Array }>(
    'SELECT e.sha256, e.content FROM report_evidence re JOIN evidence_content e ON e.sha256 = re.sha256 WHERE re.reference = $1',
    [reference],
  );
  const verdict = await verifyReport(report, {
    async *files() {
      for (const file of evidence) yield { name: file.sha256, bytes: new Uint8Array(file.content) };
    },
  });
  expect(verdict.problems).toEqual([]);
  expect(verdict.items.flatMap((item) => item.checks.filter((check) => !check.ok).map((check) => check.what))).toEqual([]);
  expect(verdict.ok).toBe(true);

  // The person allows technical data (about:addons → Permissions does this); here through the same permissions API,
  // from a click, with Firefox's prompt for optional permissions turned off (test/firefox/firefox.ts).
  // (The callbacks run in the page: the request travels as an argument.)
  await extensionPage.evaluate((technical) => {
    const { permissions } = (globalThis as unknown as DataCollectionApi).browser;
    document.addEventListener('click', () => void permissions.request(technical), { once: true });
  }, TECHNICAL);
  await extensionPage.click('body');
  await extensionPage.waitForFunction(
    (technical) => (globalThis as unknown as DataCollectionApi).browser.permissions.contains(technical),
    { polling: 100 },
    TECHNICAL,
  );
  const named = await storedReport(await reportFromPopup(extensionPage, tabId, 'The same account again, now with the browser named'));
  expect(named.captureManifests?.map((manifest) => manifest.browser)).toEqual([expect.stringMatching(/^Firefox \d+$/)]);
});
