/**
 * The embeddable widget in real Chromium against a real hub: on the hub's demo page, and on a hostile host page from
 * another origin (global resets, its own elements hidden, a CSP that forbids inline styles). A report with an
 * uploaded screenshot reaches the hub; a report sent while offline is kept and arrives exactly once when the page is
 * opened again;
 * the widget leaks no globals and axe-core finds no WCAG 2.2 AA violation inside it.
 */
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import { startHub, type RunningHub } from '../../hub/server';
import { makePng } from '../fixtures/png';
import { expect, expectAccessible, test as base } from './fixtures';
import { plainChromiumFixtures } from './browser';

const HOSTILE_CSP = (hub: string) =>
  `default-src 'none'; script-src ${hub}; connect-src ${hub}; style-src 'self'; img-src 'self'; base-uri 'none'`;

/**
 * The hostile host page on its own origin (a real server: Chromium refuses a page that Playwright fulfils itself
 * access to a loopback hub), with the hub's address filled in and the CSP as a header.
 */
async function serveHostile(hubUrl: () => string): Promise<{ origin: string; close(): Promise<void> }> {
  const root = new URL('./site/widget/', import.meta.url);
  const server = createServer(async (request, response) => {
    const name = /^\/((hostile|below)\.(html|css))$/.exec(request.url ?? '')?.[1];
    if (!name) return void response.writeHead(404).end();
    const body = (await readFile(new URL(name, root), 'utf8')).replaceAll('HUB', hubUrl());
    const type = name.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8';
    response.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': HOSTILE_CSP(hubUrl()) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => (server.closeAllConnections(), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/** The hostile page's origin, which the hub allows; `useHub` tells the page where the hub is once it runs. */
interface HostilePage {
  origin: string;
  useHub(url: string): void;
}

const test = base.extend<{ hostile: HostilePage; widgetHub: RunningHub; chrome: Browser; page: Page; pngFile: string }>({
  hostile: async ({}, use) => {
    let hub = '';
    const site = await serveHostile(() => hub);
    await use({ origin: site.origin, useHub: (url) => void (hub = url) });
    await site.close();
  },
  widgetHub: async ({ hostile }, use) => {
    const hub = await startHub({ port: 0, dataDir: 'memory://', config: { logLevel: 'warn', corsOrigins: [hostile.origin], rateLimit: { enabled: false } } });
    hostile.useHub(hub.url);
    await use(hub);
    await hub.close();
  },
  ...plainChromiumFixtures({ viewport: { width: 1000, height: 900 } }),
  pngFile: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'ohr-widget-'));
    const file = join(dir, 'screenshot.png');
    await writeFile(file, makePng(40, 30));
    await use(file);
    await rm(dir, { recursive: true, force: true });
  },
});

// Each test fills the eleven steps at least once and runs axe-core several times: slow on a busy 2-core machine.
test.describe.configure({ timeout: 150_000 });

/** Goes through the steps as a person would, with one address and one pngFile, and presses Send. */
async function fillAndSend(page: Page, pngFile: string, summary: string): Promise<void> {
  const next = page.getByRole('button', { name: 'Next' });
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await next.click();
  await page.getByLabel('the person it was aimed at').check();
  await next.click();
  await page.getByLabel('In your own words, what happened?').fill(summary);
  await next.click();
  await page.getByLabel('religion').check();
  await next.click();
  await page.getByLabel('a threat').check();
  await next.click();
  for (const title of ['When did it happen?', 'How has it affected you?', 'Have you reported it before?', 'Can they contact you?']) {
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await next.click();
  }
  // The address's text box (its item's group bears the same name).
  await page.getByRole('textbox', { name: 'Address of post or page 1' }).fill('https://x.com/someone/status/1');
  await page.getByLabel('Screenshots for address 1').setInputFiles(pngFile);
  await expect(page.getByText('screenshot.png, 1 KB')).toBeVisible();
  await next.click();
  await expect(page.getByRole('heading', { name: 'Check your report' })).toBeVisible();
  await page.getByRole('button', { name: 'Send report' }).click();
}

interface StoredReport {
  reference: string;
  body: { items: Array<{ url: string; platform: string; captureMethod: string; evidence: Array<{ sha256: string; kind: string }> }>; incident: { summary: string } };
  evidence: number;
}

const reportsAt = (hub: RunningHub) =>
  hub.db.query<StoredReport>(
    `SELECT r.reference, r.body, (SELECT count(*)::int FROM report_evidence re WHERE re.reference = r.reference) AS evidence
       FROM reports r ORDER BY r.received_at`,
  );

test('on the demo page: a full report with a screenshot reaches the hub, and the receipt checks its status', async ({ page, widgetHub, pngFile }) => {
  await page.goto(`${widgetHub.url}/`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Report online hate to');
  await expectAccessible(page);
  // The urgency screen: any yes says to call 999 now.
  await page.getByRole('group', { name: 'Do you know who is doing this?' }).getByLabel('Yes').check();
  await expect(page.getByTestId('urgent')).toContainText('Call 999 now');
  await expectAccessible(page);
  // Leaving "What happened?" empty is refused with the schema's own words.
  const next = page.getByRole('button', { name: 'Next' });
  await next.click();
  await next.click();
  await next.click();
  await expect(page.locator('ohr-report-form').getByText('Say in a few words what happened').first()).toBeVisible();
  await expect(page.getByLabel('In your own words, what happened?')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Back' }).click();

  await fillAndSend(page, pngFile, 'Threats about my faith');
  const reference = await page.getByTestId('reference').textContent();
  expect(reference).toMatch(/^OHR-/);
  await expect(page.getByTestId('token')).not.toBeEmpty();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Check the status' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Status: received.' })).toBeVisible();

  const [stored, ...others] = await reportsAt(widgetHub);
  expect(others).toHaveLength(0);
  expect(stored!.reference).toBe(reference);
  expect(stored!.body.incident.summary).toBe('Threats about my faith');
  expect(stored!.body.items).toEqual([
    expect.objectContaining({ url: 'https://x.com/someone/status/1', platform: 'x', captureMethod: 'widget_upload', evidence: [expect.objectContaining({ kind: 'upload' })] }),
  ]);
  expect(stored!.evidence).toBe(1);
  // The receipt is shown once: after a reload the form starts afresh and nothing is left in the browser.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await expect(page.getByTestId('reference')).toHaveCount(0);
});

test('on a hostile host page from another origin: styled by itself, no globals leaked, a report arrives', async ({ page, hostile, widgetHub, pngFile }) => {
  const violations: string[] = [];
  page.on('console', (message) => message.type() === 'error' && violations.push(message.text()));
  // The page's own globals before any script of the page runs, kept in the DOM so the check adds no global itself.
  await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => (document.documentElement.dataset['keys'] = Object.keys(window).join(','))));
  await page.goto(`${hostile.origin}/hostile.html`);
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();

  const globals = await page.evaluate(() => {
    const before = new Set(document.documentElement.dataset['keys']!.split(','));
    return Object.keys(window).filter((key) => !before.has(key));
  });
  expect(globals).toEqual([]);
  expect(await page.evaluate(() => [customElements.get('ohr-report-form') !== undefined, customElements.get('ohr-report-button') !== undefined])).toEqual([true, true]);
  // The host's hiding and fonts stop at the shadow boundary; the widget's constructed stylesheet applies despite the CSP.
  await expect(page.getByText('Our own content')).toBeHidden();
  const heading = page.getByRole('heading', { name: 'First, are you safe?' });
  expect(await heading.evaluate((element) => getComputedStyle(element).fontFamily)).not.toContain('fantasy');
  expect(await heading.evaluate((element) => getComputedStyle(element).textTransform)).toBe('none');
  expect(await page.getByRole('button', { name: 'Next' }).evaluate((element) => getComputedStyle(element).minHeight)).toBe('44px');
  await expectAccessible(page);

  await fillAndSend(page, pngFile, 'Abuse under our post');
  await expect(page.getByTestId('reference')).toHaveText(/^OHR-/);
  const stored = await reportsAt(widgetHub);
  expect(stored.map((report) => [report.body.incident.summary, report.evidence])).toEqual([['Abuse under our post', 1]]);
  expect(violations.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
});

test('offline → online: the report is kept in the browser and arrives exactly once when the page is opened again', async ({ page, widgetHub, pngFile }) => {
  await page.goto(`${widgetHub.url}/`);
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  // The network drops before the send: every call to the hub's API fails as it would offline.
  await page.route(`${widgetHub.url}/api/**`, (route) => route.abort('internetdisconnected'));
  await fillAndSend(page, pngFile, 'Sent while offline');
  await expect(page.getByText('saved in this browser')).toBeVisible();
  expect(await reportsAt(widgetHub)).toHaveLength(0);

  // The page is closed while the network is down (so its own retry timer cannot deliver first) and opened again with
  // the network back: the report goes on its way from IndexedDB under the same id.
  const context = page.context();
  await page.close();
  const again = await context.newPage();
  await again.goto(`${widgetHub.url}/`);
  // Page, widget, upload and report in turn: on a busy two-core machine this took longer than the default 10 s once.
  await expect(again.getByTestId('reference')).toHaveText(/^OHR-/, { timeout: 30_000 });
  const stored = await reportsAt(widgetHub);
  expect(stored.map((report) => [report.reference, report.body.incident.summary, report.evidence])).toEqual([
    [await again.getByTestId('reference').textContent(), 'Sent while offline', 1],
  ]);
  // Shown once: opened again later, the page has nothing left to show or send.
  await again.reload();
  await expect(again.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  expect(await reportsAt(widgetHub)).toHaveLength(1);
});

test('renders nothing until in view; the floating button opens the form in a dialog', async ({ page, hostile, widgetHub }) => {
  const discoveries: string[] = [];
  page.on('request', (request) => request.url().endsWith('/.well-known/ohr') && discoveries.push(request.url()));
  await page.goto(`${hostile.origin}/below.html`);
  const form = page.locator('ohr-report-form');
  await expect(page.getByRole('button', { name: 'Report online hate' })).toBeVisible();
  // Below the fold: no shadow root, no request to the hub.
  expect(await form.evaluate((element) => element.shadowRoot === null)).toBe(true);
  expect(discoveries).toEqual([]);

  await page.getByRole('button', { name: 'Report online hate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report online hate' });
  await expect(dialog.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  await form.scrollIntoViewIfNeeded();
  await expect(form.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  expect(discoveries).toEqual([`${widgetHub.url}/.well-known/ohr`, `${widgetHub.url}/.well-known/ohr`]);
});

test('a refusal (422) reopens the form at the step to fix, with the hub’s words next to the input', async ({ page, widgetHub, pngFile }) => {
  // The hub's answer for a report it refuses, as errors-as-data: the widget must put it on the right input.
  await page.route(`${widgetHub.url}/api/v1/reports`, (route) =>
    route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid_report', message: 'The report is not complete or not valid', fields: [{ path: 'incident.summary', message: 'Say more than that' }] } }),
    }),
  );
  await page.goto(`${widgetHub.url}/`);
  await fillAndSend(page, pngFile, 'x');
  await expect(page.getByRole('heading', { name: 'What happened?' })).toBeVisible();
  await expect(page.getByText('The organisation could not accept the report: The report is not complete or not valid')).toBeVisible();
  const summary = page.getByLabel('In your own words, what happened?');
  await expect(summary).toHaveValue('x');
  await expect(summary).toHaveAttribute('aria-invalid', 'true');
  await expect(summary).toHaveAccessibleDescription(/Say more than that/);
  await expectAccessible(page);
  expect(await reportsAt(widgetHub)).toHaveLength(0);
});
