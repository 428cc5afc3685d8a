/**
 * The embeddable widget in real Chromium against a real hub: on the hub's demo page, and on a hostile host page from
 * another origin (global resets, its own elements hidden, a CSP that forbids inline styles). A report with an
 * uploaded screenshot reaches the hub; photos reach it without their metadata (GPS, camera, time); a report sent while
 * offline is kept in the browser only if the person asks, and then arrives exactly once when the page is opened again;
 * nothing of a sent report is left in the browser; the quick exit (button, or Esc twice) replaces the page and its
 * history entry, inline and in the dialog; a site the hub does not allow is told apart from a hub that cannot be
 * reached; the widget leaks no globals, its text is at least 16 px, and axe-core finds no WCAG 2.2 AA violation inside it.
 * On a Welsh page the whole report is made in Welsh (the language pack from the hub), the receipt lists the support
 * links that fit the report, and the email-updates consent reaches the hub; the first script stays within 15 KB gzipped.
 * To a hub that publishes an encryption key, the contact step says the details are locked so only its staff can read them.
 * Screenshots of each state are written to the test's output folder (test-results/).
 */
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import { startHub, type RunningHub } from '../../hub/server';
import { WIDGET_SCRIPT } from '../../hub/widget';
import { WIDGET_PACKS } from '../../hub/widget-lang';
import { BASE_JPEG, BASE_WEBP, findExif, jpegWithGps, pngWithGps, webpWithGps } from '../fixtures/image-metadata';
import { makePng } from '../fixtures/png';
import { cy } from '../../lib/i18n/cy';
import { newSealingKeyPair, openPersonal, publicJwkOf } from '../../lib/crypto/seal';
import { SEAL_ALG, type EncryptionKey, type Report } from '../../lib/schema';
import { format } from '../../lib/i18n/format';
import { widgetCy } from '../../widget/words-cy';
import { expect, expectAccessible, test as base } from './fixtures';
import { sharedChromiumFixtures } from './browser';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';

/** The organisation's support links: a receipt lists those that fit the report (lib/support-links.ts). */
const SUPPORT_LINKS = [
  { label: 'Galop', url: 'https://galop.org.uk/', characteristics: ['sexual_orientation' as const, 'transgender_identity' as const] },
  { label: 'CST', url: 'https://cst.org.uk/', characteristics: ['religion' as const] },
  { label: 'Stop Hate UK', url: 'https://www.stophateuk.org/' },
];

const HOSTILE_CSP = (hub: string) =>
  `default-src 'none'; script-src ${hub}; connect-src ${hub}; style-src 'self'; img-src 'self'; base-uri 'none'`;

/** Pages the spec writes itself, served beside the hostile ones: HUB becomes the hub's address, DEAD a closed port's. */
const PAGES: Record<string, string> = {
  'exit.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Community centre</title><link rel="stylesheet" href="/small.css">' +
    '<script src="HUB/widget.js" async></script></head><body><main><h1>Community centre</h1>' +
    '<ohr-report-form endpoint="HUB" exit-url="/safe.html"></ohr-report-form></main></body></html>',
  'button.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Community centre</title>' +
    '<script src="HUB/widget.js" async></script></head><body><main><h1>Community centre</h1></main>' +
    '<ohr-report-button endpoint="HUB" exit-url="/safe.html"></ohr-report-button></body></html>',
  'dead.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Community centre</title>' +
    '<script src="HUB/widget.js" async></script></head><body><main><h1>Community centre</h1>' +
    '<ohr-report-form endpoint="DEAD"></ohr-report-form></main></body></html>',
  // A Welsh page: the widget follows the page's lang.
  'cymraeg.html': '<!doctype html><html lang="cy"><head><meta charset="utf-8"><title>Canolfan gymunedol</title>' +
    '<script src="HUB/widget.js" async></script></head><body><main><h1>Canolfan gymunedol</h1>' +
    '<ohr-report-form endpoint="HUB"></ohr-report-form></main></body></html>',
  'safe.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weather</title></head><body><h1>Weather</h1></body></html>',
  // A host that shrinks its text (html { font-size: 62.5% }, 10 px): the widget's text stays at 16 px or more.
  'small.css': 'html { font-size: 62.5%; }',
};

/**
 * The hostile host page on its own origin (a real server: Chromium refuses a page that Playwright fulfils itself
 * access to a loopback hub), with the hub's address filled in and the CSP as a header, and the spec's own pages.
 */
async function serveHostile(hubUrl: () => string, deadUrl = ''): Promise<{ origin: string; close(): Promise<void> }> {
  const root = new URL('./site/widget/', import.meta.url);
  const server = createServer(async (request, response) => {
    const name = /^\/([\w-]+\.(html|css))(\?.*)?$/.exec(request.url ?? '')?.[1];
    const own = name && PAGES[name];
    if (!name || (!own && !/^(hostile|below)\.(html|css)$/.test(name))) return void response.writeHead(404).end();
    const body = (own || (await readFile(new URL(name, root), 'utf8'))).replaceAll('HUB', hubUrl()).replaceAll('DEAD', deadUrl);
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

/** An address where nothing listens: a port that was just free. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The hostile page's origin, which the hub allows; `useHub` tells the page where the hub is once it runs. */
interface HostilePage {
  origin: string;
  useHub(url: string): void;
}

/** The organisation's key pair (issue 23): the hub publishes the public half; only the test holds the private one. */
interface Organisation {
  keys: CryptoKeyPair;
  key: EncryptionKey;
}

const test = base.extend<{ hostile: HostilePage; stranger: HostilePage; organisation: Organisation; widgetHub: RunningHub; page: Page; pngFile: string; photos: string[] }, { chrome: Browser }>({
  hostile: async ({}, use) => {
    let hub = '';
    const site = await serveHostile(() => hub, await closedPort());
    await use({ origin: site.origin, useHub: (url) => void (hub = url) });
    await site.close();
  },
  // The same pages on an origin the hub does not list in corsOrigins.
  stranger: async ({}, use) => {
    let hub = '';
    const site = await serveHostile(() => hub);
    await use({ origin: site.origin, useHub: (url) => void (hub = url) });
    await site.close();
  },
  organisation: async ({}, use) => {
    const keys = await newSealingKeyPair();
    await use({ keys, key: { kid: 'org-2026-12', alg: SEAL_ALG, jwk: await publicJwkOf(keys.publicKey) } });
  },
  // The hub publishes an encryption key: an identified report reaches it with the person's details sealed.
  widgetHub: async ({ hostile, stranger, organisation }, use) => {
    const dataDir = await hubFolder();
    const config = { ...TEST_HUB_CONFIG, corsOrigins: [hostile.origin], rateLimit: { enabled: false }, supportLinks: SUPPORT_LINKS, encryptionKey: organisation.key };
    const hub = await startHub({ port: 0, dataDir, config });
    hostile.useHub(hub.url);
    stranger.useHub(hub.url);
    await use(hub);
    await hub.close();
    await removeHubFolder(dataDir);
  },
  ...sharedChromiumFixtures({ viewport: { width: 1000, height: 900 } }),
  pngFile: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'ohr-widget-'));
    const file = join(dir, 'screenshot.png');
    await writeFile(file, makePng(40, 30));
    await use(file);
    await rm(dir, { recursive: true, force: true });
  },
  // Photos as a phone or an editor saves them, with GPS, camera, time, author and comments (test/fixtures/image-metadata.ts).
  photos: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'ohr-widget-'));
    const files = { 'photo.jpg': jpegWithGps(), 'edited.png': pngWithGps(), 'phone.webp': webpWithGps() };
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
    await use(Object.keys(files).map((name) => join(dir, name)));
    await rm(dir, { recursive: true, force: true });
  },
});

// Each test fills the eleven steps at least once and runs axe-core several times: slow on a busy 2-core machine.
test.describe.configure({ timeout: 150_000 });

/** Goes through the steps as a person would, up to "Where did you see it?". */
async function fillToItems(page: Page, summary: string): Promise<void> {
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
  await expect(page.getByRole('heading', { name: 'Where did you see it?' })).toBeVisible();
}

/** One address with these files, each listed once chosen. */
async function addAddress(page: Page, files: string[]): Promise<void> {
  // The address's text box (its item's group bears the same name).
  await page.getByRole('textbox', { name: 'Address of post or page 1' }).fill('https://x.com/someone/status/1');
  await page.getByLabel('Screenshots for address 1').setInputFiles(files);
  for (const file of files) await expect(page.locator('ohr-report-form li').filter({ hasText: `${file.split('/').pop()}, ` })).toBeVisible();
}

async function checkAndSend(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Check your report' })).toBeVisible();
  await page.getByRole('button', { name: 'Send report' }).click();
}

/** Goes through the steps as a person would, with one address and one pngFile, and presses Send. */
async function fillAndSend(page: Page, pngFile: string, summary: string): Promise<void> {
  await fillToItems(page, summary);
  await addAddress(page, [pngFile]);
  await expect(page.getByText('screenshot.png, 1 KB')).toBeVisible();
  await checkAndSend(page);
}

/** The names of the page origin's IndexedDB databases. */
const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((info) => info.name));

/** Every computed font size of text in the widget's shadow roots, in px, smallest first. */
const textSizes = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('ohr-report-form, ohr-report-button')]
      .flatMap((host) => [...(host.shadowRoot?.querySelectorAll('p, label, legend, button, li, dt, dd, input, textarea, h2') ?? [])])
      .filter((element) => element.checkVisibility())
      .map((element) => parseFloat(getComputedStyle(element).fontSize))
      .sort((a, b) => a - b),
  );

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

test('on the demo page: a full report with a screenshot reaches the hub, and the receipt names the status page', async ({ page, widgetHub, pngFile }) => {
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
  // The status is read on the hub's status page, which the receipt names (the receipt no longer asks it itself).
  await expect(page.getByTestId('status-page')).toHaveAttribute('href', `${widgetHub.url}/status`);

  const [stored, ...others] = await reportsAt(widgetHub);
  expect(others).toHaveLength(0);
  expect(stored!.reference).toBe(reference);
  expect(stored!.body.incident.summary).toBe('Threats about my faith');
  expect(stored!.body.items).toEqual([
    expect.objectContaining({ url: 'https://x.com/someone/status/1', platform: 'x', captureMethod: 'widget_upload', evidence: [expect.objectContaining({ kind: 'upload' })] }),
  ]);
  expect(stored!.evidence).toBe(1);
  // Sent straight from memory: the site's storage was never touched, not even to create the widget's database.
  expect(await databases(page)).not.toContain('ohr-widget');
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
  expect((await textSizes(page))[0]).toBeGreaterThanOrEqual(16);
  await expectAccessible(page);

  await fillAndSend(page, pngFile, 'Abuse under our post');
  await expect(page.getByTestId('reference')).toHaveText(/^OHR-/);
  const stored = await reportsAt(widgetHub);
  expect(stored.map((report) => [report.body.incident.summary, report.evidence])).toEqual([['Abuse under our post', 1]]);
  expect(violations.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
});

test('offline → online: a report is kept in the browser only if the person asks, and then arrives exactly once when the page is opened again', async ({ page, widgetHub, pngFile }, testInfo) => {
  await page.goto(`${widgetHub.url}/`);
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  // The network drops before the send: every call to the hub's API fails as it would offline.
  await page.route(`${widgetHub.url}/api/**`, (route) => route.abort('internetdisconnected'));
  await fillAndSend(page, pngFile, 'Sent while offline');
  // Waiting, in this page's memory only: the site's storage is untouched until the person chooses.
  await expect(page.getByText('keep this page open until it is sent')).toBeVisible();
  expect(await databases(page)).not.toContain('ohr-widget');
  await expect(page.getByText('anyone who uses this browser, and this website, could read it')).toBeVisible();
  await expectAccessible(page);
  await page.locator('ohr-report-form').screenshot({ path: testInfo.outputPath('waiting.png') });
  await page.getByRole('button', { name: 'Keep it in this browser until it is sent' }).click();
  await expect(page.getByText('saved in this browser')).toBeVisible();
  expect(await databases(page)).toContain('ohr-widget');
  await page.locator('ohr-report-form').screenshot({ path: testInfo.outputPath('kept.png') });
  expect(await reportsAt(widgetHub)).toHaveLength(0);

  // The page is closed while the network is down (so its own retry timer cannot deliver first) and opened again with
  // the network back: the report goes on its way from IndexedDB under the same id.
  const context = page.context();
  await page.close();
  const again = await context.newPage();
  await again.goto(`${widgetHub.url}/`);
  await expect(again.getByTestId('reference')).toHaveText(/^OHR-/);
  const stored = await reportsAt(widgetHub);
  expect(stored.map((report) => [report.reference, report.body.incident.summary, report.evidence])).toEqual([
    [await again.getByTestId('reference').textContent(), 'Sent while offline', 1],
  ]);
  // Received and shown: nothing of it is left in the site's storage.
  const left = await again.evaluate(
    () =>
      new Promise<unknown[]>((resolve) => {
        const open = indexedDB.open('ohr-widget');
        open.onsuccess = () => {
          const all = open.result.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => (open.result.close(), resolve(all.result));
        };
      }),
  );
  expect(left).toEqual([]);
  // Shown once: opened again later, the page has nothing left to show or send.
  await again.reload();
  await expect(again.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  expect(await reportsAt(widgetHub)).toHaveLength(1);
});

test('photos reach the hub without their metadata: no EXIF, GPS, camera, time or comments, and the same picture', async ({ page, widgetHub, photos }, testInfo) => {
  await page.goto(`${widgetHub.url}/`);
  await fillToItems(page, 'Photos of the graffiti');
  await addAddress(page, photos);
  // The person is told, by each photo, that its hidden details were removed.
  await expect(page.getByText('Hidden details in the picture, such as where it was taken, were removed.')).toHaveCount(3);
  await expectAccessible(page);
  await page.locator('ohr-report-form').screenshot({ path: testInfo.outputPath('photos.png') });
  await checkAndSend(page);
  const reference = await page.getByTestId('reference').textContent();

  const evidence = await widgetHub.db.query<{ media_type: string; content: Uint8Array }>(
    `SELECT v.media_type, v.content FROM report_evidence re JOIN evidence_content v USING (sha256) WHERE re.reference = $1 ORDER BY v.media_type`,
    [reference],
  );
  expect(evidence.map((row) => row.media_type)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
  for (const { content } of evidence) {
    expect(findExif(content)).toBeUndefined();
    const text = Buffer.from(content).toString('latin1');
    for (const word of ['Exif', 'PhoneMaker', '2024:05:01', 'GPSLatitude', 'Sam Reporter', 'Example Road']) expect(text).not.toContain(word);
  }
  // The JPEG and the WebP are byte for byte the pictures before their metadata was added; the PNG keeps its image chunks.
  const [jpeg, png, webp] = evidence.map((row) => Buffer.from(row.content));
  expect(jpeg).toEqual(BASE_JPEG);
  expect(webp).toEqual(BASE_WEBP);
  // Each decodes, in Chromium, to exactly the pixels of the photo as it was chosen.
  const originals = [jpegWithGps(), pngWithGps(), webpWithGps()];
  const samePixels = await page.evaluate(
    async ([pairs]) => {
      const pixels = async (base64: string) => {
        // Not through fetch(data:), which the demo page's CSP (connect-src 'self') refuses.
        const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))]));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        return [bitmap.width, bitmap.height, ...context.getImageData(0, 0, bitmap.width, bitmap.height).data].join();
      };
      return Promise.all(pairs.map(async ([before, after]) => (await pixels(before!)) === (await pixels(after!))));
    },
    [originals.map((original, index) => [original.toString('base64'), [jpeg, png, webp][index]!.toString('base64')])] as const,
  );
  expect(samePixels).toEqual([true, true, true]);
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
  // By path, whatever the query the client adds (`?include=…`).
  await page.route((url) => url.origin === widgetHub.url && url.pathname === '/api/v1/reports', (route) =>
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

test('quick exit, inline: the button and Esc twice replace the page and its history entry with the organisation’s safe address', async ({ page, hostile, widgetHub }, testInfo) => {
  void widgetHub;
  const form = page.locator('ohr-report-form');
  // Arrived from somewhere else: Back after the exit must lead there, not to the form.
  await page.goto(`${hostile.origin}/safe.html?before`);
  await page.goto(`${hostile.origin}/exit.html`);
  await expect(form.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  // On a host whose own text is 10 px, the widget's is still 16 px or more.
  expect((await textSizes(page))[0]).toBeGreaterThanOrEqual(16);
  await expectAccessible(page);
  await form.screenshot({ path: testInfo.outputPath('exit-inline.png') });
  await form.getByRole('button', { name: 'Leave this page quickly' }).click();
  await expect(page).toHaveURL(`${hostile.origin}/safe.html`);
  await page.goBack();
  await expect(page).toHaveURL(`${hostile.origin}/safe.html?before`);

  // Esc twice, wherever the focus is, even in the middle of typing an answer; one Esc alone does nothing.
  await page.goto(`${hostile.origin}/exit.html`);
  await form.getByRole('button', { name: 'Next' }).click();
  await form.getByLabel('the person it was aimed at').focus();
  await page.keyboard.press('Escape');
  await page.waitForTimeout(1_700);
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(`${hostile.origin}/exit.html`);
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(`${hostile.origin}/safe.html`);
  await page.goBack();
  await expect(page).toHaveURL(`${hostile.origin}/safe.html?before`);
});

test('quick exit in the dialog: its button, and Esc twice (the first closes the dialog)', async ({ page, hostile, widgetHub }, testInfo) => {
  void widgetHub;
  await page.goto(`${hostile.origin}/button.html`);
  // Nothing happens on Esc until the form has been opened: the host page is not the widget's to leave.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(`${hostile.origin}/button.html`);
  await page.getByRole('button', { name: 'Report online hate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report online hate' });
  await expect(dialog.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('exit-dialog.png') });
  await dialog.getByRole('button', { name: 'Leave this page quickly' }).click();
  await expect(page).toHaveURL(`${hostile.origin}/safe.html`);

  await page.goto(`${hostile.origin}/button.html`);
  await page.getByRole('button', { name: 'Report online hate' }).click();
  await expect(dialog.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(`${hostile.origin}/safe.html`);
});

test('quick exit without exit-url goes to a weather page', async ({ page, widgetHub }) => {
  // The machine running the tests is offline: the weather page is answered here.
  await page.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
  await page.goto(`${widgetHub.url}/report`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Report online hate to');
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Leave this page quickly' }).click();
  await expect(page).toHaveURL('https://www.bbc.co.uk/weather');
});

test('a site the hub does not allow is told so in plain words, and its owner what to configure; an unreachable hub is told apart', async ({ page, stranger, hostile, widgetHub }, testInfo) => {
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(`${stranger.origin}/hostile.html`);
  const alert = page.locator('ohr-report-form').getByRole('alert');
  await expect(alert).toContainText(`This website is not set up to send reports to ${widgetHub.url}, so the form cannot be used here.`);
  await expect(alert).not.toContainText('Check your connection');
  expect(errors).toContainEqual(
    `OHR widget: ${widgetHub.url} refuses ${stranger.origin}: add it to the hub’s corsOrigins (OHR_CORS_ORIGINS).`,
  );
  await expectAccessible(page);
  await page.locator('ohr-report-form').screenshot({ path: testInfo.outputPath('not-allowed.png') });

  // A hub that is not there at all: the connection is the thing to check, and the site's owner is not blamed.
  errors.length = 0;
  await page.goto(`${hostile.origin}/dead.html`);
  await expect(page.locator('ohr-report-form').getByRole('alert')).toContainText('could not be reached. Check your connection and try again.');
  expect(errors.filter((text) => text.startsWith('OHR widget'))).toEqual([]);
});

test('in Welsh on a Welsh page: every step, the receipt with the support links that fit, and the email-updates consent reaching the hub', async ({ page, hostile, widgetHub }, testInfo) => {
  const packs: string[] = [];
  page.on('request', (request) => request.url().includes('/widget/lang/') && packs.push(request.url()));
  await page.goto(`${hostile.origin}/cymraeg.html`);
  const form = page.locator('ohr-report-form');
  await expect(form.getByRole('heading', { name: cy['urgency.title'] })).toBeVisible();
  // The element says its language and direction, for screen readers and layout; the pack came once, from the hub.
  expect(await form.evaluate((element) => [element.getAttribute('lang'), element.getAttribute('dir')])).toEqual(['cy', 'ltr']);
  expect(packs).toEqual([expect.stringMatching(new RegExp(`^${widgetHub.url}/widget/lang/cy\\.json\\?v=[0-9a-f]{12}$`))]);
  await expect(form.getByRole('button', { name: cy['quickExit.button'] })).toBeVisible();
  expect((await textSizes(page))[0]).toBeGreaterThanOrEqual(16);
  await expectAccessible(page);
  await form.screenshot({ path: testInfo.outputPath('welsh-urgency.png') });

  const next = form.getByRole('button', { name: cy['form.next'] });
  await next.click();
  await form.getByLabel(cy['who.victim']).check();
  await next.click();
  // The widget's own check, in Welsh.
  await next.click();
  await expect(form.getByText(cy['popup.summaryRequired']).first()).toBeVisible();
  await form.getByLabel(cy['what.summary']).fill('Bygythiadau am fy ffydd');
  await next.click();
  await form.getByLabel(cy['category.religion'], { exact: true }).check();
  await next.click();
  await form.getByLabel(cy['harm.threat'], { exact: true }).check();
  await next.click();
  for (const title of [cy['when.title'], cy['impact.title'], cy['prior.title']]) {
    await expect(form.getByRole('heading', { name: title })).toBeVisible();
    await next.click();
  }
  await expect(form.getByRole('heading', { name: cy['contact.title'] })).toBeVisible();
  await form.getByRole('group', { name: cy['contact.anonymous'] }).getByLabel(cy['form.no']).check();
  // The consent is offered only once there is an address to write to.
  await expect(form.getByLabel(cy['contact.consent.emailUpdates'])).toHaveCount(0);
  await form.getByLabel(cy['contact.email']).fill('sam@example.org');
  await form.getByLabel(cy['contact.consent.emailUpdates']).check();
  // The hub publishes a key: the details are locked, but the address for updates goes readable, and the form says so.
  await expect(form.getByText(cy['contact.sealedEmailUpdates'])).toBeVisible();
  await expectAccessible(page);
  await form.screenshot({ path: testInfo.outputPath('welsh-contact.png') });
  await next.click();
  await expect(form.getByRole('heading', { name: widgetCy['widget.items.title'] })).toBeVisible();
  await form.getByRole('textbox', { name: format(widgetCy['widget.items.url'], { number: 1 }) }).fill('https://x.com/someone/status/2');
  await next.click();
  await expect(form.getByRole('heading', { name: cy['check.title'] })).toBeVisible();
  // The person's own words are shown as written, never through the language pack.
  await expect(form.getByText('Bygythiadau am fy ffydd')).toBeVisible();
  await form.getByRole('button', { name: cy['check.send'] }).click();

  await expect(form.getByRole('heading', { name: cy['done.received'] })).toBeVisible();
  await expect(form.getByTestId('reference')).toHaveText(/^OHR-/);
  // The support links that fit a report about religion: CST, and Stop Hate UK (for everyone); not Galop.
  await expect(form.getByRole('heading', { name: cy['support.heading'] })).toBeVisible();
  expect(await form.getByRole('listitem').getByRole('link').allTextContents()).toEqual(['CST', 'Stop Hate UK']);
  await expectAccessible(page);
  await form.screenshot({ path: testInfo.outputPath('welsh-receipt.png') });

  const [stored] = await widgetHub.db.query<{ body: { reporter: { email?: string; anonymous: boolean; consents: Record<string, boolean> }; incident: { summary: string } } }>(
    'SELECT body FROM reports',
  );
  expect(stored!.body.incident.summary).toBe('Bygythiadau am fy ffydd');
  expect(stored!.body.reporter).toMatchObject({ anonymous: false, email: 'sam@example.org', consents: { emailUpdates: true } });
});

test('to a hub that publishes an encryption key: the name, email and phone leave the browser sealed, no table holds them in clear, and the organisation’s key opens them', async ({ page, widgetHub, organisation }, testInfo) => {
  const person = { name: 'Samira Okafor-Whitlock', email: 'samira.whitlock@example.org', phone: '07700 900461' };
  const modules: string[] = [];
  page.on('request', (request) => request.url().endsWith('/widget/seal.js') && modules.push(request.url()));
  await page.goto(`${widgetHub.url}/`);
  const form = page.locator('ohr-report-form');
  const next = form.getByRole('button', { name: 'Next' });
  await expect(form.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await next.click();
  await form.getByLabel('the person it was aimed at').check();
  await next.click();
  await form.getByLabel('In your own words, what happened?').fill('Threats about my faith, sealed');
  await next.click();
  await form.getByLabel('religion').check();
  await next.click();
  await form.getByLabel('a threat').check();
  await next.click();
  for (const title of ['When did it happen?', 'How has it affected you?', 'Have you reported it before?']) {
    await expect(form.getByRole('heading', { name: title })).toBeVisible();
    await next.click();
  }
  await expect(form.getByRole('heading', { name: 'Can they contact you?' })).toBeVisible();
  await form.getByRole('group', { name: 'Do you want to stay anonymous?' }).getByLabel('No').check();
  // Said before the first field: the hub publishes a key, so only its staff can read the details.
  await expect(form.getByText(/^Your name, email address, phone number and access needs are locked on this device before they are sent, so that only staff at .+ can read them\.$/)).toBeVisible();
  await form.getByLabel('Your name').fill(person.name);
  await form.getByLabel('Email address').fill(person.email);
  await form.getByLabel('Phone number').fill(person.phone);
  await next.click();
  await form.getByRole('textbox', { name: 'Address of post or page 1' }).fill('https://x.com/someone/status/3');
  await next.click();
  await expect(form.getByRole('heading', { name: 'Check your report' })).toBeVisible();
  // Nothing was fetched for sealing until there was something to seal.
  expect(modules).toEqual([]);

  // The sealing module cannot be had: the report is not sent, the person is told, and the form keeps everything.
  await page.route('**/widget/seal.js', (route) => route.abort());
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(form.getByRole('alert')).toHaveText(/could not be reached\. Check your connection and try again\.$/);
  await expect(form.getByRole('heading', { name: 'Check your report' })).toBeVisible();
  await expect(form.getByText('Threats about my faith, sealed')).toBeVisible();
  expect(await widgetHub.db.query('SELECT reference FROM reports')).toEqual([]);
  await expectAccessible(page);
  await form.screenshot({ path: testInfo.outputPath('sealing-failed.png') });

  await page.unroute('**/widget/seal.js');
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(form.getByTestId('reference')).toHaveText(/^OHR-/);
  expect(modules).toHaveLength(2);
  // The module comes with what lets any site load it, and a cache time.
  const served = await fetch(`${widgetHub.url}/widget/seal.js`);
  expect([served.status, served.headers.get('access-control-allow-origin'), served.headers.get('cache-control')]).toEqual([200, '*', 'public, max-age=300']);

  // Every row of every table of the hub's database, as text: none of the details in clear.
  const tables = await widgetHub.db.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const rows = await Promise.all(tables.map(({ name }) => widgetHub.db.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`)));
  const everything = rows.flat().map(({ row }) => row).join('\n').toLowerCase();
  expect(everything).toContain('threats about my faith, sealed');
  for (const value of [...Object.values(person), 'Okafor', 'whitlock', '900461']) expect(everything).not.toContain(value.toLowerCase());

  const [stored] = await widgetHub.db.query<{ body: Report }>('SELECT body FROM reports');
  expect(stored!.body.reporter).toMatchObject({ anonymous: false, sealed: { alg: SEAL_ALG, kid: organisation.key.kid } });
  const opening = { privateKey: organisation.keys.privateKey, publicJwk: organisation.key.jwk };
  expect(await openPersonal(opening, stored!.body.reporter.sealed!, stored!.body.id)).toEqual(person);
});

test('the first script stays within its budget, 15 KB gzipped (gzip level 9, as npm run bench:widget measures); other languages come apart', async () => {
  const gzipped = async (file: URL) => gzipSync(await readFile(file), { level: 9 }).byteLength;
  const script = await gzipped(WIDGET_SCRIPT);
  const welsh = await gzipped(new URL('cy.json', WIDGET_PACKS));
  console.log(`widget.js ${script} bytes gzipped (budget 15,360); the Welsh pack ${welsh}`);
  expect(script).toBeLessThanOrEqual(15 * 1024);
  // No Welsh in the first script: it comes with the pack.
  expect(await readFile(WIDGET_SCRIPT, 'utf8')).not.toContain(cy['urgency.title']);
});
