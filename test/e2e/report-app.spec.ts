/**
 * The report app at `/report` (issue 22 item 3) in Chromium emulating a phone (Playwright's Pixel 7), against one real
 * hub for the whole file:
 * - installable as Chromium and Lighthouse judge it: the manifest is found, parses, and has the fields an install needs
 *   (name, short_name, start_url inside scope, display standalone, theme and background colours, 192 and 512 px PNG
 *   icons, maskable ones too, the share target); every icon is reachable and a PNG of its stated size; the service
 *   worker is registered and controls the page; Chromium's own check (`Page.getInstallabilityErrors`) finds nothing;
 * - a post shared from another app (the POST Android makes to the share target) opens a new report with the link and
 *   the post's words, and the screenshot as evidence without its metadata; nothing reaches the hub until Send;
 * - offline, the app still opens (from its worker), and a report written there and kept on the phone reaches the hub
 *   exactly once when the phone is back online: sent by the open app, or, with the app closed, by the worker on a
 *   Background Sync event;
 * - each screen passes axe-core (WCAG 2.2 AA) with body text of 16 px or more; screenshots go to the test's output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, devices, type BrowserContext, type Page } from '@playwright/test';
import { imageSize } from 'image-size';
import { z } from 'zod';
import { startHub, type RunningHub } from '../../hub/server';
import { findExif, jpegWithGps } from '../fixtures/image-metadata';
import { makePng } from '../fixtures/png';
import { expect, expectAccessible, test as base } from './fixtures';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';
import { chromiumPath } from './paths';
import { expectReadableText } from './readable';

/** What an install needs of a manifest (Chromium's installability criteria, Lighthouse's "installable manifest"). */
const InstallableManifest = z.object({
  name: z.string().min(1),
  short_name: z.string().min(1).max(12),
  start_url: z.string().min(1),
  scope: z.string().min(1),
  display: z.enum(['standalone', 'fullscreen', 'minimal-ui']),
  theme_color: z.string().regex(/^#[0-9a-f]{6}$/i),
  background_color: z.string().regex(/^#[0-9a-f]{6}$/i),
  icons: z.array(z.object({ src: z.string(), sizes: z.string(), type: z.literal('image/png'), purpose: z.enum(['any', 'maskable']) })),
  share_target: z.object({
    action: z.string(),
    method: z.literal('POST'),
    enctype: z.literal('multipart/form-data'),
    params: z.object({ title: z.string(), text: z.string(), url: z.string(), files: z.array(z.object({ name: z.string(), accept: z.array(z.string()) })) }),
  }),
});

const test = base.extend<{ phoneLocale: string; phone: BrowserContext }, { appHub: RunningHub }>({
  phoneLocale: ['en-GB', { option: true }],
  appHub: [
    async ({}, use) => {
      const dataDir = await hubFolder();
      const hub = await startHub({ port: 0, dataDir, config: { ...TEST_HUB_CONFIG, rateLimit: { enabled: false } } });
      await use(hub);
      await hub.close();
      await removeHubFolder(dataDir);
    },
    { scope: 'worker' },
  ],
  // A phone: Pixel 7's screen, touch and user agent, on a profile of its own for each test (a fresh service worker).
  // A profile on disk, not an incognito context: Chromium never offers to install an app in incognito.
  phone: async ({ phoneLocale }, use) => {
    const profile = await mkdtemp(join(tmpdir(), 'ohr-phone-'));
    const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
    const context = await chromium.launchPersistentContext(profile, { ...pixel, locale: phoneLocale, executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
    // The machine running the tests is offline: the quick exit's weather page is answered here.
    await context.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
    await use(context);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  },
});

test.describe.configure({ timeout: 150_000 });

/** Opens the app and waits until its service worker controls the page (it claims the page once it is active). */
async function openApp(phone: BrowserContext, hub: RunningHub): Promise<Page> {
  const page = await phone.newPage();
  await page.goto(`${hub.url}/report`);
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page;
}

/** The steps as a person goes through them, up to "Where did you see it?". */
async function toWhereStep(page: Page, summary: string): Promise<void> {
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

async function checkAndSend(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Check your report' })).toBeVisible();
  await page.getByRole('button', { name: 'Send report' }).click();
}

/** axe-core and the 16 px rule, on the page and inside the form's shadow root. */
async function expectGoodScreen(page: Page): Promise<void> {
  await expectAccessible(page);
  await expectReadableText(page);
  const sizes = await page.evaluate(() =>
    [...(document.querySelector('ohr-report-form')?.shadowRoot?.querySelectorAll('p, label, legend, button, li, dt, dd, input, textarea, blockquote, code') ?? [])]
      .filter((element) => element.checkVisibility())
      .map((element) => parseFloat(getComputedStyle(element).fontSize)),
  );
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(16);
}

interface StoredItem {
  url: string;
  text?: string;
  evidence: Array<{ sha256: string; mediaType: string }>;
}

/** The reports the hub holds with this summary, with their items and their evidence's bytes. */
async function reportsSaying(hub: RunningHub, summary: string) {
  const reports = await hub.db.query<{ reference: string; items: StoredItem[] }>(
    `SELECT reference, body->'items' AS items FROM reports WHERE body->'incident'->>'summary' = $1`,
    [summary],
  );
  return Promise.all(
    reports.map(async (report) => ({
      ...report,
      evidence: await hub.db.query<{ media_type: string; content: Uint8Array }>(
        'SELECT v.media_type, v.content FROM report_evidence re JOIN evidence_content v USING (sha256) WHERE re.reference = $1',
        [report.reference],
      ),
    })),
  );
}

const evidenceCount = async (hub: RunningHub) => (await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence_content'))[0]!.n;

test('installable: a manifest with what an install needs, PNG icons of their sizes, a service worker in control', async ({ phone, appHub }, testInfo) => {
  const page = await openApp(phone, appHub);
  const base = `${appHub.url}/report`;

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await page.request.get(new URL(href!, page.url()).href);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/manifest+json');
  const manifest = InstallableManifest.parse(await response.json());
  expect(manifest.display).toBe('standalone');
  expect(manifest.theme_color).toBe('#4a2a8c');
  expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(manifest.theme_color);
  // start_url inside scope, both on the app's own page; the share target inside it too.
  const scope = new URL(manifest.scope, base).href;
  expect(new URL(manifest.start_url, base).href.startsWith(scope)).toBe(true);
  expect(new URL(manifest.share_target.action, base).href.startsWith(scope)).toBe(true);
  expect(manifest.share_target.params.files[0]!.accept).toEqual(['image/png', 'image/jpeg', 'image/webp']);

  const icons = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose}`);
  expect(icons).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '192x192 maskable', '512x512 maskable']));
  for (const icon of [...manifest.icons, { src: await page.locator('link[rel="apple-touch-icon"]').getAttribute('href'), sizes: '180x180' }]) {
    const picture = await page.request.get(new URL(icon.src!, base).href);
    expect(picture.status(), icon.src!).toBe(200);
    expect(picture.headers()['content-type']).toBe('image/png');
    const bytes = await picture.body();
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const { width, height } = imageSize(bytes);
    expect(`${width}x${height}`).toBe(icon.sizes);
  }

  // The worker: registered for the app's scope, active, and controlling the page.
  const worker = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return { scope: registration?.scope, active: registration?.active?.scriptURL, controller: navigator.serviceWorker.controller?.scriptURL };
  });
  expect(worker).toEqual({ scope, active: `${base}/sw.js`, controller: `${base}/sw.js` });

  // Chromium's own verdict on the install criteria, and its reading of the manifest.
  const cdp = await phone.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  const parsed = await cdp.send('Page.getAppManifest');
  expect(parsed.errors).toEqual([]);

  // The page around the form: the quick exit and the status page are on it.
  await expect(page.getByRole('button', { name: 'Leave this page quickly' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Check on a report you sent' })).toHaveAttribute('href', '/status');
  await expectGoodScreen(page);
  await page.screenshot({ path: testInfo.outputPath('app.png'), fullPage: true });
  await page.getByRole('link', { name: 'Check on a report you sent' }).click();
  await expect(page).toHaveURL(`${appHub.url}/status`);
  await page.goBack();
  await page.getByRole('button', { name: 'Leave this page quickly' }).click();
  await expect(page).toHaveURL('https://www.bbc.co.uk/weather');
});

test('a post shared from another app opens a new report with its link, words and screenshot, the picture’s metadata gone', async ({ phone, appHub }, testInfo) => {
  await (await openApp(phone, appHub)).close();
  const evidenceBefore = await evidenceCount(appHub);

  // What Android does when the person picks the app in the share sheet: a POST of the shared post to the share target.
  // The X app puts the link inside the text, after words of its own.
  const shared = await phone.newPage();
  await shared.setContent(`<form method="post" enctype="multipart/form-data" action="${appHub.url}/report/share">
    <input name="title" value="Post by @someone"><textarea name="text">They said we should all be sent back https://x.com/someone/status/42?s=20</textarea>
    <input name="url" value=""><input type="file" name="images"><button>Share</button></form>`);
  await shared.locator('input[type=file]').setInputFiles({ name: 'Screenshot_20240501.jpg', mimeType: 'image/jpeg', buffer: jpegWithGps() });
  await shared.getByRole('button', { name: 'Share' }).click();

  await expect(shared).toHaveURL(`${appHub.url}/report`);
  await expect(shared.getByRole('heading', { name: 'What you shared' })).toBeVisible();
  await expect(shared.locator('ohr-report-form code')).toHaveText('https://x.com/someone/status/42?s=20');
  await expect(shared.locator('ohr-report-form blockquote')).toHaveText('They said we should all be sent back');
  await expect(shared.getByText('Screenshot_20240501.jpg, ')).toBeVisible();
  await expect(shared.getByText('Hidden details in the picture, such as where it was taken, were removed.')).toBeVisible();
  await expect(shared.getByRole('button', { name: 'Leave this page quickly' })).toBeVisible();
  await expectGoodScreen(shared);
  await shared.screenshot({ path: testInfo.outputPath('shared.png'), fullPage: true });
  // Kept on the phone: nothing of it has reached the hub.
  expect(await evidenceCount(appHub)).toBe(evidenceBefore);

  await shared.getByRole('button', { name: 'Start the report' }).click();
  await toWhereStep(shared, 'Shared from the X app');
  await expect(shared.getByRole('textbox', { name: 'Address of post or page 1' })).toHaveValue('https://x.com/someone/status/42?s=20');
  await expect(shared.getByText('Screenshot_20240501.jpg, ')).toBeVisible();
  await expectGoodScreen(shared);
  expect(await evidenceCount(appHub)).toBe(evidenceBefore);
  await checkAndSend(shared);
  await expect(shared.getByTestId('reference')).toHaveText(/^OHR-/);

  const [report, ...others] = await reportsSaying(appHub, 'Shared from the X app');
  expect(others).toHaveLength(0);
  expect(report!.items).toEqual([
    expect.objectContaining({ url: 'https://x.com/someone/status/42?s=20', platform: 'x', text: 'They said we should all be sent back', evidence: [expect.objectContaining({ mediaType: 'image/jpeg' })] }),
  ]);
  expect(report!.evidence).toHaveLength(1);
  const picture = report!.evidence[0]!.content;
  expect(findExif(picture)).toBeUndefined();
  for (const word of ['Exif', 'GPSLatitude', 'PhoneMaker']) expect(Buffer.from(picture).toString('latin1')).not.toContain(word);
});

test('offline: the app opens from its worker, and a report kept on the phone reaches the hub exactly once when back online', async ({ phone, appHub }, testInfo) => {
  const page = await openApp(phone, appHub);
  await phone.setOffline(true);
  // Opened again with no network: the page, its script and the hub's discovery come from the worker's cache.
  await page.reload();
  await toWhereStep(page, 'Written on the bus with no signal');
  await page.getByRole('textbox', { name: 'Address of post or page 1' }).fill('https://www.tiktok.com/@someone/video/7');
  await page.getByLabel('Screenshots for address 1').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: Buffer.from(makePng(40, 30)) });
  await checkAndSend(page);
  await expect(page.getByText('keep this page open until it is sent')).toBeVisible();
  await page.getByRole('button', { name: 'Keep it in this browser until it is sent' }).click();
  await expect(page.getByText('saved in this browser')).toBeVisible();
  await expectGoodScreen(page);
  await page.screenshot({ path: testInfo.outputPath('offline-kept.png'), fullPage: true });
  expect(await reportsSaying(appHub, 'Written on the bus with no signal')).toHaveLength(0);

  await phone.setOffline(false);
  // The next try after the network is back (the outbox's backoff, a few seconds at most here).
  await expect(page.getByTestId('reference')).toHaveText(/^OHR-/, { timeout: 60_000 });
  const reference = await page.getByTestId('reference').textContent();
  const stored = await reportsSaying(appHub, 'Written on the bus with no signal');
  expect(stored.map((report) => [report.reference, report.items[0]!.url, report.evidence.length])).toEqual([[reference, 'https://www.tiktok.com/@someone/video/7', 1]]);
  // Opened again: the receipt was shown once, nothing is waiting, nothing is sent twice.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await expect(page.getByTestId('reference')).toHaveCount(0);
  expect(await reportsSaying(appHub, 'Written on the bus with no signal')).toHaveLength(1);

  // Background Sync: a report kept on the phone while offline, the app closed, the phone back online. The browser
  // wakes the worker with a sync event (dispatched here through DevTools, as Chromium does when it sees the network
  // come back), and the worker sends the report with no page open; the app shows its receipt when opened next.
  await phone.setOffline(true);
  await toWhereStep(page, 'Kept on the phone, sent by the worker');
  await page.getByRole('textbox', { name: 'Address of post or page 1' }).fill('https://www.instagram.com/p/Cx1/');
  await checkAndSend(page);
  await page.getByRole('button', { name: 'Keep it in this browser until it is sent' }).click();
  await expect(page.getByText('saved in this browser')).toBeVisible();
  await page.close();
  expect(await reportsSaying(appHub, 'Kept on the phone, sent by the worker')).toHaveLength(0);
  // With no page open, only the worker can send it now. Chromium may wake it by itself on seeing the network back,
  // before the DevTools sync below; either way it must arrive exactly once.
  await phone.setOffline(false);
  const devtools = await phone.newCDPSession(await phone.newPage());
  const registration = new Promise<string>((resolve) =>
    devtools.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const found = registrations.find((candidate) => candidate.scopeURL === `${appHub.url}/report` && !candidate.isDeleted);
      if (found) resolve(found.registrationId);
    }),
  );
  await devtools.send('ServiceWorker.enable');
  await devtools.send('ServiceWorker.dispatchSyncEvent', { origin: appHub.url, registrationId: await registration, tag: 'ohr-outbox', lastChance: false });
  await expect.poll(async () => (await reportsSaying(appHub, 'Kept on the phone, sent by the worker')).length, { timeout: 60_000 }).toBe(1);
  const reopened = await phone.newPage();
  await reopened.goto(`${appHub.url}/report`);
  const [sent] = await reportsSaying(appHub, 'Kept on the phone, sent by the worker');
  await expect(reopened.getByTestId('reference')).toHaveText(sent!.reference);
  await reopened.reload();
  await expect(reopened.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  expect(await reportsSaying(appHub, 'Kept on the phone, sent by the worker')).toHaveLength(1);
});

test.describe('on a phone set to Welsh', () => {
  test.use({ phoneLocale: 'cy-GB' });

  test('the form is in Welsh, online and offline (the worker keeps the language pack)', async ({ phone, appHub }) => {
    const page = await phone.newPage();
    await page.goto(`${appHub.url}/report`);
    const heading = page.getByRole('heading', { name: 'Yn gyntaf, ydych chi’n ddiogel?' });
    await expect(heading).toBeVisible();
    await expect(page.locator('ohr-report-form')).toHaveAttribute('lang', 'cy');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await expectAccessible(page);
    await phone.setOffline(true);
    await page.reload();
    await expect(heading).toBeVisible();
  });
});
