/**
 * `npm run screenshots`: a PNG of every screen, to look at before and after a change to how OHR looks.
 *
 * Builds the widget and the test flavour of the extension (as the e2e tests do), starts a hub on an in-memory
 * database seeded with realistic reports (some sent by the real extension from the test site, with their evidence; the
 * rest through the intake API, as the widget or another extension would), creates an admin account with the hub's own
 * function, and walks every screen in Debian's Chromium (CHROMIUM_PATH overrides it): the popup at its real size in
 * each state, every report form step, the reports page, the settings, the welcome page, every console page, and the
 * widget inline, in its dialog and 375 px wide. The PNGs go to screenshots/ (ignored by git), emptied first.
 * It waits for what is on the screen, never for a time.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { WxtBrowser } from 'wxt/browser';
import { createModerator, NewModerator } from '../hub/console/auth/accounts';
import { referralsHref } from '../hub/console/shared/links';
import { startHub, type RunningHub } from '../hub/server';
import { cy } from '../lib/i18n/cy';
import type { Item, Report } from '../lib/schema';
import { extensionIn, launchPlainChromium, launchWithExtension, type Extension } from '../test/e2e/browser';
import { serveDirectory } from '../test/e2e/site-server';
import { pdqHash } from '../lib/pdq/pdq';
import { makePng } from '../test/fixtures/png';
import { decode, photo, resize, toJpeg } from '../test/fixtures/pdq';
import { sampleReport } from '../test/fixtures/report';
import { xSignedInHeader } from '../test/fixtures/signed-in';
import { fileSealedReport, orgKey } from '../test/fixtures/sealed';
import { writeFile } from 'node:fs/promises';

declare const chrome: WxtBrowser;

const OUT = fileURLToPath(new URL('../screenshots/', import.meta.url));
const ADMIN = { email: 'amira@hub.example', password: 'a long passphrase for the screenshots', role: 'admin' as const };
/** Chromium's largest popup. */
const POPUP_MAX = { width: 800, height: 600 };

function build(): void {
  execFileSync('npx', ['vite', 'build', '--config', 'widget/vite.config.ts'], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('npm', ['run', '--silent', 'build:app'], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, OHR_E2E: '1' } });
}

const written: string[] = [];
async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  // From the top, so the quick exit's sticky bar is where a person first sees it.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage, animations: 'disabled' });
  written.push(`${name}.png`);
}

/** Reports as people write them, filed through the intake API. */
const SEEDS: Array<{ summary: string; item: Partial<Item>; incident?: Partial<Report['incident']>; report?: Partial<Report> }> = [
  {
    summary: 'Someone keeps replying to my posts calling me a terrorist because I wear a hijab. Today they posted where I work.',
    item: { url: 'https://x.com/example/status/1790000000000000001', platform: 'x', kind: 'reply', pageTitle: 'Post on X' },
    incident: { targetedCharacteristics: ['religion', 'sex_gender'], harmTypes: ['harassment', 'hate_speech'], ongoing: true },
    report: { urgency: { immediateDanger: false, perpetratorIdentityKnown: true, relatesToFutureEvent: false } },
  },
  {
    summary: 'A video mocking disabled people, with comments telling us to die. It has been up for a week.',
    item: { url: 'https://www.youtube.com/watch?v=kf1Xa9', platform: 'youtube', kind: 'video', pageTitle: 'Funny compilation' },
    incident: { targetedCharacteristics: ['disability'], harmTypes: ['hate_speech', 'incitement'], ongoing: true },
  },
  {
    summary: 'The same video someone sent me in a group chat',
    item: { url: 'https://youtu.be/kf1Xa9?t=30', platform: 'youtube', kind: 'video', pageTitle: 'Funny compilation' },
    incident: { targetedCharacteristics: ['disability'], harmTypes: ['hate_speech'], ongoing: false },
  },
  {
    summary: 'Comments under our Pride event announcement saying they will turn up and “deal with” us.',
    item: { url: 'https://www.facebook.com/events/5551234/', platform: 'facebook', kind: 'comment', pageTitle: 'Pride picnic' },
    incident: { targetedCharacteristics: ['sexual_orientation', 'transgender_identity'], harmTypes: ['threat'], ongoing: false },
    report: { urgency: { immediateDanger: false, perpetratorIdentityKnown: false, relatesToFutureEvent: true } },
  },
  {
    summary: 'Racist abuse in a gaming subreddit aimed at my son, with his photo.',
    item: { url: 'https://www.reddit.com/r/example/comments/abc123/', platform: 'reddit', kind: 'comment', pageTitle: 'r/example' },
    incident: { targetedCharacteristics: ['race'], harmTypes: ['hate_speech', 'harassment'], ongoing: false },
  },
  {
    summary: 'An account posting my address and saying people should visit.',
    item: { url: 'https://bsky.app/profile/someone.example/post/3kq', platform: 'bluesky', kind: 'post', pageTitle: 'Bluesky' },
    incident: { targetedCharacteristics: ['race', 'religion'], harmTypes: ['doxxing', 'threat'], ongoing: true },
    report: { urgency: { immediateDanger: true, perpetratorIdentityKnown: false, relatesToFutureEvent: false } },
  },
];

async function fileReport(hub: RunningHub, seed: (typeof SEEDS)[number]): Promise<void> {
  const base = sampleReport(seed.report);
  const report: Report = {
    ...base,
    incident: { ...base.incident, ...seed.incident, summary: seed.summary },
    items: base.items.map((first) => ({ ...first, evidence: [], ...seed.item })),
  };
  const response = await fetch(`${hub.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(report),
  });
  if (response.status !== 201) throw new Error(`seeding a report: HTTP ${response.status} ${await response.text()}`);
}

/** The popup for `page`'s tab, opened as the toolbar button would, sized as Chromium sizes it: its content, up to 800×600. */
async function openPopup(context: BrowserContext, extension: Extension, page: Page): Promise<Page> {
  const worker = await extension.worker();
  const tabId = await worker.evaluate((url) => chrome.tabs.query({ url }).then((tabs) => tabs[0]?.id), page.url());
  const opened = context.waitForEvent('page');
  await worker.evaluate(
    (url) => chrome.windows.create({ url, type: 'popup', width: 400, height: 600 }).then(() => undefined),
    extension.page(`popup.html?tab=${tabId}`),
  );
  const popup = await opened;
  await popup.waitForLoadState();
  await expect(popup.getByRole('heading', { level: 1 })).toBeVisible();
  return popup;
}

/** What the person sees of the popup without scrolling: its own width and height, at most 800×600. */
async function popupShot(popup: Page, name: string): Promise<void> {
  await popup.setViewportSize(POPUP_MAX);
  const { width, height } = await popup.evaluate(() => {
    window.scrollTo(0, 0);
    const main = document.querySelector('main')!.getBoundingClientRect();
    return { width: Math.ceil(main.width), height: Math.ceil(main.bottom) };
  });
  await popup.setViewportSize({ width, height: Math.min(height, POPUP_MAX.height) });
  await shot(popup, name, false);
  await shot(popup, `${name}-whole`, true);
}

async function extensionScreens(hub: RunningHub, site: { url(path: string): string }): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), 'ohr-screenshots-'));
  const context = await launchWithExtension(profile);
  try {
    const extension = await extensionIn(context);
    const welcome = context.pages().find((page) => page.url() === extension.page('welcome.html')) ??
      (await context.waitForEvent('page', { predicate: (page) => page.url() === extension.page('welcome.html') }));
    await expect(welcome.getByRole('heading', { level: 1 })).toBeVisible();
    await shot(welcome, 'extension-welcome');
    await welcome.getByLabel('Address of the reporting service').fill(hub.url);
    await welcome.getByRole('button', { name: 'Look up' }).click();
    await expect(welcome.getByTestId('found')).toBeVisible();
    await shot(welcome, 'extension-welcome-found');
    await welcome.getByRole('button', { name: /^Add / }).click();
    await expect(welcome.getByRole('status')).toContainText('added');
    await shot(welcome, 'extension-welcome-added');
    await welcome.close();

    const options = await context.newPage();
    await options.goto(extension.page('options.html'));
    await expect(options.getByTestId('endpoint')).toBeVisible();
    await shot(options, 'extension-options');
    await options.close();

    // The popup, state by state.
    const post = context.pages()[0] ?? (await context.newPage());
    await post.goto(site.url('/post.html'));
    await post.bringToFront();
    let popup = await openPopup(context, extension, post);
    await popupShot(popup, 'popup-1-start');
    await popup.getByRole('button', { name: 'Report this page' }).click();
    await expect(popup.getByText('Saved on this computer')).toBeVisible();
    await popupShot(popup, 'popup-2-captured');
    await popup.emulateMedia({ colorScheme: 'dark' });
    await popupShot(popup, 'popup-2-captured-dark');
    await popup.emulateMedia({ colorScheme: 'light' });
    await popup.getByRole('button', { name: 'Send report' }).click();
    await expect(popup.locator('#summary-error')).toBeVisible();
    await popupShot(popup, 'popup-3-nothing-written');
    await popup.close();

    const other = await context.newPage();
    await other.goto(site.url('/platforms/bluesky/metascraper-thread-image-post.html'));
    popup = await openPopup(context, extension, other);
    await expect(popup.getByTestId('page-now')).toHaveAttribute('data-in-report', 'false');
    await popupShot(popup, 'popup-4-older-report');
    await popup.getByRole('button', { name: 'Add this page to this report' }).click();
    await expect(popup.getByTestId('captured-item')).toHaveCount(2);
    await popup.getByRole('group', { name: 'Are you or someone else in danger right now?' }).getByLabel('Yes').click();
    await expect(popup.getByTestId('urgent')).toBeVisible();
    await popupShot(popup, 'popup-5-danger');
    await popup.getByRole('group', { name: 'Are you or someone else in danger right now?' }).getByLabel('No').click();
    await popup.getByLabel('What happened?').fill('Threats against me on two sites, after I spoke at the council meeting');
    await popup.getByRole('button', { name: 'Send report' }).click();
    await expect(popup.getByTestId('reference')).toHaveText(/^OHR-/, { timeout: 20_000 });
    await popupShot(popup, 'popup-6-sent');
    await popup.close();

    // The report form, step by step, for a new report.
    await other.close();
    await post.bringToFront();
    popup = await openPopup(context, extension, post);
    await popup.getByRole('button', { name: 'Report this page' }).click();
    await expect(popup.getByText('Saved on this computer')).toBeVisible();
    const formOpened = context.waitForEvent('page');
    await popup.getByRole('button', { name: /^Add more details/ }).click();
    const form = await formOpened;
    await form.waitForLoadState();
    await form.setViewportSize({ width: 1280, height: 800 });
    await formSteps(form);
    await form.close();

    await hiddenAccountScreens(context, extension, site);

    const reports = await context.newPage();
    await reports.goto(extension.page('reports.html'));
    await expect(reports.getByTestId('report').first()).toBeVisible();
    await shot(reports, 'extension-reports');
    await reports.close();
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * An anonymous report from a page showing the person's own account (a saved X page with a signed-in header): the
 * popup's note, and the form's picture as it will be sent, with an area being marked. The report is left unsent.
 */
async function hiddenAccountScreens(context: BrowserContext, extension: Extension, site: { url(path: string): string }): Promise<void> {
  const page = await context.newPage();
  await page.goto(site.url('/platforms/x/mnemosyne-quote-tweet.html'));
  await page.evaluate((header) => document.body.insertAdjacentHTML('afterbegin', header), xSignedInHeader('cedar_xr'));
  await page.locator('article[data-testid="tweet"] [data-testid="tweetText"]').first().click({ button: 'right' });
  const worker = await extension.worker();
  await worker.evaluate(async (url) => {
    const hooks = Reflect.get(self, 'ohrTest') as { onMenuClick(info: object, tab: { id?: number }): Promise<unknown> };
    const [tab] = await chrome.tabs.query({ url });
    await hooks.onMenuClick({ menuItemId: 'report-post', frameId: 0 }, { id: tab!.id });
  }, page.url());
  const popup = await openPopup(context, extension, page);
  await expect(popup.getByTestId('account-hidden')).toBeVisible();
  await popupShot(popup, 'popup-7-account-hidden');
  const opened = context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Check the pictures, and hide anything else' }).click();
  const form = await opened;
  await form.waitForLoadState();
  await form.setViewportSize({ width: 1280, height: 800 });
  await expect(form.getByTestId('hide-areas')).toBeVisible();
  await shot(form, 'form-items-anonymous-hidden');
  await form.getByRole('button', { name: 'Mark an area to hide' }).click();
  await shot(form, 'form-items-anonymous-marking');
  await Promise.all([form.close(), popup.close(), page.close()]);
}

async function formSteps(form: Page): Promise<void> {
  let n = 0;
  const heading = form.getByRole('heading', { level: 2 });
  const step = async (title: string, fill: () => Promise<void> = async () => undefined) => {
    await expect(heading).toHaveText(title);
    await fill();
    n += 1;
    await shot(form, `form-${String(n).padStart(2, '0')}-${title.replace(/\W+/g, '-').replace(/-$/, '').toLowerCase()}`);
    await form.getByRole('button', { name: 'Next' }).click();
  };
  await expect(heading).toHaveText('First, are you safe?');
  await form.getByLabel('Language').selectOption('ar');
  await expect(form.locator('html')).toHaveAttribute('dir', 'rtl');
  await shot(form, 'form-00-arabic-first-step');
  await form.getByLabel('اللغة').selectOption('cy');
  await expect(form.locator('html')).toHaveAttribute('lang', 'cy');
  await shot(form, 'form-00-welsh-first-step');
  await form.getByLabel('Iaith').selectOption('en');
  await expect(heading).toHaveText('First, are you safe?');

  await step('First, are you safe?', () => form.getByRole('group', { name: 'Do you know who is doing this?' }).getByLabel('Yes').check());
  await step('Who are you in this?', () => form.getByLabel('the person it was aimed at').check());
  // Next with nothing written: the error summary at the top, linked to the field.
  await form.getByRole('button', { name: 'Next' }).click();
  await expect(form.getByTestId('error-summary')).toBeVisible();
  await shot(form, 'form-03-what-happened-error-summary');
  await step('What happened?', () => form.getByLabel('In your own words, what happened?').fill('Threats about my faith under my post, and a picture of my house.'));
  await step('Why do you think you were targeted?', () => form.getByLabel('religion').check());
  await step('What kind of harm was it?', () => form.getByLabel('a threat').check());
  await step('When did it happen?', () => form.getByRole('group', { name: 'Is it still happening?' }).getByLabel('Yes').check());
  await step('How has it affected you?');
  await step('Have you reported it before?');
  await step('Can they contact you?', async () => {
    await form.getByRole('group', { name: 'Do you want to stay anonymous?' }).getByLabel('No').check();
    await form.getByLabel('Email address').fill('sam@example.org');
    await form.getByLabel('By email').check();
  });
  await step('What you captured');
  await expect(heading).toHaveText('Check your report');
  await shot(form, `form-${String(n + 1).padStart(2, '0')}-check-your-report`);
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(heading).toHaveText(/Your report (is on its way|has arrived)/);
  await shot(form, `form-${String(n + 2).padStart(2, '0')}-sent`);
}

/**
 * The queue as a work list: reports received a while ago (so the time targets show), the filters open, the keyboard
 * help, rows chosen with the keyboard, newest first with a picture shown, and the moderator's own reports after
 * "Assign to me" on the chosen rows. Ends back on the queue.
 */
async function queueScreens(hub: RunningHub, page: Page): Promise<void> {
  // Received earlier, as a real queue's reports were: one urgent report past its 24 h target, one close to 72 h, one past it.
  const references = (await hub.db.query<{ reference: string; urgent: boolean }>('SELECT reference, urgent FROM reports ORDER BY received_at, reference')).map((row) => row.reference);
  for (const [at, hours] of [[0, 30], [1, 60], [2, 80]] as const) {
    if (references[at]) await hub.db.query(`UPDATE reports SET received_at = now() - make_interval(hours => $2) WHERE reference = $1`, [references[at], hours]);
  }
  if (references[0]) await hub.db.query('UPDATE reports SET urgent = true WHERE reference = $1', [references[0]]);
  await page.goto(`${hub.url}/console/queue`);
  await shot(page, 'console-queue-targets');
  await page.getByText('Filter the queue', { exact: true }).click();
  await shot(page, 'console-queue-filters');
  await page.goto(`${hub.url}/console/queue`);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toBeVisible();
  await shot(page, 'console-queue-keys', false);
  await page.keyboard.press('Escape');
  for (const key of ['j', 'x', 'j', 'x', 'j']) await page.keyboard.press(key);
  await shot(page, 'console-queue-chosen', false);
  await page.getByRole('group', { name: 'With the chosen reports' }).getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.getByText('2 reports changed.')).toBeVisible();
  await page.getByRole('link', { name: 'Mine', exact: true }).click();
  await shot(page, 'console-queue-mine');
  await page.goto(`${hub.url}/console/queue?sort=newest`);
  const reveal = page.getByRole('checkbox', { name: /^Show the picture of/ }).first();
  if (await reveal.count()) await reveal.check();
  await shot(page, 'console-queue-newest');
  await page.goto(`${hub.url}/console/queue`);
}

/**
 * The report view as a moderator first sees it on a wide screen (the decisions beside the content) and whole, its
 * keyboard shortcuts' list, the same report on a phone (one column), and the wellbeing settings: the moderator's own
 * and the organisation's defaults.
 */
async function reportViewScreens(hub: RunningHub, page: Page): Promise<void> {
  const report = page.url();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(report);
  await shot(page, 'console-report-wide', false);
  await shot(page, 'console-report-wide-whole');
  await page.locator('body').press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await shot(page, 'console-report-keys', false);
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'console-report-narrow');
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const [path, name] of [
    ['account/wellbeing', 'console-account-wellbeing'],
    ['admin/wellbeing', 'console-admin-wellbeing'],
  ] as const) {
    const response = await page.goto(`${hub.url}/console/${path}`);
    if (!response?.ok()) throw new Error(`/console/${path}: HTTP ${response?.status()}`);
    await shot(page, name);
  }
}

/**
 * Intimate-image abuse sent as fingerprints (issue 23): a photograph, then a re-saved copy and a resized one, each
 * reported with its PDQ hash only; the last one's related reports say it matches the earlier ones.
 */
async function imageMatchScreen(hub: RunningHub, page: Page): Promise<void> {
  const cat = photo('chelsea.png');
  let last = '';
  for (const pixels of [cat, decode(toJpeg(cat, 40)), resize(cat, 271, 180)]) {
    const base = sampleReport();
    const report: Report = {
      ...base,
      incident: { ...base.incident, summary: 'A private photo of me was posted without my consent.', targetedCharacteristics: ['sex_gender'], harmTypes: ['intimate_image_abuse'] },
      items: [{ ...base.items[0]!, url: `https://forum.example/t/${base.id}`, kind: 'image', evidence: [], perceptualHashes: [{ algorithm: 'pdq', ...pdqHash(pixels.data, pixels.width, pixels.height) }] }],
    };
    const response = await fetch(`${hub.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
      body: JSON.stringify(report),
    });
    if (response.status !== 201) throw new Error(`seeding a fingerprint report: HTTP ${response.status} ${await response.text()}`);
    last = ((await response.json()) as { reference: string }).reference;
  }
  await page.goto(`${hub.url}/console/clusters/${last}`);
  await expect(page.getByText('Matches 2 earlier reports of the same image.')).toBeVisible();
  await shot(page, 'console-cluster-same-image');
}

async function consoleScreens(hub: RunningHub): Promise<void> {
  const created = await createModerator(hub.db, NewModerator.parse(ADMIN), null);
  if (created.kind !== 'created') throw new Error(`the admin account was not created: ${created.kind}`);
  const browser = await launchPlainChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${hub.url}/console`);
    await expect(page.getByLabel('Email')).toBeVisible();
    await shot(page, 'console-sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/console\/queue/);
    await shot(page, 'console-queue');
    await queueScreens(hub, page);
    // The report the extension sent with its evidence: the second page's screenshot is in it.
    await page.getByRole('link', { name: /OHR-/ }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Report OHR-/);
    await shot(page, 'console-report');
    await reportViewScreens(hub, page);
    // The two reports about one video: a cluster, and the referral page for both.
    const video = (await hub.db.query<{ reference: string }>(`SELECT reference FROM reports WHERE body->'items'->0->>'platform' = 'youtube'`)).map((row) => row.reference);
    await page.goto(`${hub.url}/console/clusters/${video[0]}`);
    await shot(page, 'console-cluster');
    await imageMatchScreen(hub, page);
    await page.goto(`${hub.url}${referralsHref(video)}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await shot(page, 'console-referrals');
    for (const [path, name] of [
      ['dashboard', 'console-dashboard'],
      ['admin', 'console-admin'],
      ['account', 'console-account'],
      ['open-data', 'console-open-data'],
    ] as const) {
      const response = await page.goto(`${hub.url}/console/${path}`);
      if (!response?.ok()) throw new Error(`/console/${path}: HTTP ${response?.status()}`);
      await shot(page, name);
    }
    // The hub's own page (the organisation's, with the form) in each language, on a phone, and its privacy page.
    for (const [path, name, width] of [
      ['/', 'hub-home', 1280],
      ['/?lang=cy', 'hub-home-cy', 1280],
      ['/?lang=ar', 'hub-home-ar', 1280],
      ['/', 'hub-home-375', 375],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${hub.url}${path}`);
      await page.locator('ohr-report-form').scrollIntoViewIfNeeded();
      await expect(page.locator('ohr-report-form').getByRole('heading', { level: 2 })).toBeVisible();
      await shot(page, name);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${hub.url}/privacy`);
    await shot(page, 'hub-privacy');
    await page.setViewportSize({ width: 375, height: 900 });
    await page.goto(`${hub.url}/console/open-data`);
    await shot(page, 'console-open-data-375');
  } finally {
    await browser.close();
  }
}

/**
 * Sealed contact details (issue 23), on a hub of their own that publishes an encryption key: the report view's words
 * for them, the page that opens them (a wrong passphrase first, then the right one) and the page without its script,
 * and the referral page's choice to add them to the police case file, ticked.
 */
async function sealedContactScreens(): Promise<void> {
  const passphrase = 'screenshots organisation passphrase';
  const { key, file: keyFile } = await orgKey('org-2026-12-06-3f9c21ab', passphrase);
  const folder = await mkdtemp(join(tmpdir(), 'ohr-org-key-'));
  const keyPath = join(folder, 'ohr-org-key.json');
  await writeFile(keyPath, JSON.stringify(keyFile));
  const hub = await startHub({ port: 0, dataDir: 'memory://', config: { logLevel: 'warn', rateLimit: { enabled: false }, encryptionKey: key } });
  const browser = await launchPlainChromium();
  try {
    const created = await createModerator(hub.db, NewModerator.parse(ADMIN), null);
    if (created.kind !== 'created') throw new Error(`the admin account was not created: ${created.kind}`);
    const layla = { name: 'Layla Haddad', email: 'layla.haddad@example.org', phone: '+44 7700 900321', accessNeeds: 'Please write rather than call.' };
    const { reference } = await fileSealedReport(hub.url, key, layla, { summary: 'A group keeps posting my photo with slurs under it.' });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${hub.url}/console`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/console\/queue/);
    await page.goto(`${hub.url}/console/reports/${reference}`);
    await page.getByTestId('contact-sealed').scrollIntoViewIfNeeded();
    await shot(page, 'console-report-sealed-contact', false);
    await page.getByRole('link', { name: 'Open the contact details' }).click();
    await page.getByLabel('Your organisation’s key file').setInputFiles(keyPath);
    await page.getByLabel('Passphrase of the key file').fill('not the passphrase');
    await page.getByRole('button', { name: 'Open the contact details' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await shot(page, 'console-sealed-wrong-passphrase');
    await page.getByLabel('Passphrase of the key file').fill(passphrase);
    await page.getByRole('button', { name: 'Open the contact details' }).click();
    await expect(page.getByTestId('sealed-details')).toBeVisible();
    await shot(page, 'console-sealed-opened');
    await page.route('**/sealed-open.js', (route) => route.abort());
    await page.reload();
    await expect(page.getByTestId('needs-script')).toBeVisible();
    await shot(page, 'console-sealed-needs-script');
    // The police case file's choice to add them, ticked, with the key fields it shows.
    await page.goto(`${hub.url}${referralsHref([reference])}`);
    await page.getByLabel('Add the reporters’ sealed contact details (opened in your browser)').check();
    await page.getByLabel('Your organisation’s key file').setInputFiles(keyPath);
    await shot(page, 'console-referrals-sealed-contact');
  } finally {
    await browser.close();
    await hub.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Where the person gives contact details, said for an organisation that publishes an encryption key: the settings'
 * line for it, the form's contact and check steps with it and the seeded hub (which publishes none) chosen together,
 * the check step with it alone, and the widget's contact step on its own page. The report is left unsent.
 */
async function sealedNoteScreens(hub: RunningHub, site: { url(path: string): string }): Promise<void> {
  const { key } = await orgKey('org-2026-12-06-sealnote', 'screenshots organisation passphrase');
  const sealing = await startHub({ port: 0, dataDir: 'memory://', config: { logLevel: 'warn', rateLimit: { enabled: false }, name: 'Northside Hate Crime Hub', encryptionKey: key } });
  const profile = await mkdtemp(join(tmpdir(), 'ohr-screenshots-'));
  const context = await launchWithExtension(profile);
  const browser = await launchPlainChromium();
  try {
    const extension = await extensionIn(context);
    const welcome = context.pages().find((page) => page.url() === extension.page('welcome.html')) ??
      (await context.waitForEvent('page', { predicate: (page) => page.url() === extension.page('welcome.html') }));
    await welcome.getByLabel('Address of the reporting service').fill(sealing.url);
    await welcome.getByRole('button', { name: 'Look up' }).click();
    await welcome.getByRole('button', { name: /^Add / }).click();
    await expect(welcome.getByRole('status')).toContainText('added');
    await welcome.close();
    const options = await context.newPage();
    await options.goto(extension.page('options.html'));
    await options.getByLabel('Address of the reporting service').fill(hub.url);
    await options.getByRole('button', { name: 'Look up' }).click();
    await options.getByRole('button', { name: /^Add / }).click();
    await expect(options.getByTestId('endpoint')).toHaveCount(2);
    await shot(options, 'extension-options-sealed');
    await options.close();

    const post = context.pages()[0] ?? (await context.newPage());
    await post.goto(site.url('/post.html'));
    await post.bringToFront();
    const popup = await openPopup(context, extension, post);
    await popup.getByRole('button', { name: 'Report this page' }).click();
    await expect(popup.getByText('Saved on this computer')).toBeVisible();
    const formOpened = context.waitForEvent('page');
    await popup.getByRole('button', { name: /^Add more details/ }).click();
    const form = await formOpened;
    await form.waitForLoadState();
    await form.setViewportSize({ width: 1280, height: 800 });
    const heading = form.getByRole('heading', { level: 2 });
    const next = form.getByRole('button', { name: 'Next' });
    await expect(heading).toHaveText('First, are you safe?');
    await next.click();
    await form.getByLabel('the person it was aimed at').check();
    await next.click();
    await form.getByLabel('In your own words, what happened?').fill('Threats about my faith under my post.');
    for (const title of ['Why do you think you were targeted?', 'What kind of harm was it?', 'When did it happen?', 'How has it affected you?', 'Have you reported it before?']) {
      await next.click();
      await expect(heading).toHaveText(title);
    }
    await next.click();
    await expect(heading).toHaveText('Can they contact you?');
    await form.getByRole('group', { name: 'Do you want to stay anonymous?' }).getByLabel('No').check();
    await form.getByLabel('Your name').fill('Sam Doe');
    await form.getByLabel('Email address').fill('sam@example.org');
    await form.getByLabel(/^Email me when my report changes/).check();
    await expect(form.getByTestId('sealed-email-updates')).toBeVisible();
    await shot(form, 'form-contact-sealed-mixed');
    await next.click();
    await next.click();
    await expect(heading).toHaveText('Check your report');
    await expect(form.getByTestId('sealed-note')).toBeVisible();
    await shot(form, 'form-check-sealed-mixed');
    await form.getByLabel('OHR reference hub').uncheck();
    await expect(form.getByTestId('sealed-note')).not.toContainText('as you type');
    await shot(form, 'form-check-sealed');
    await Promise.all([form.close(), popup.close()]);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${sealing.url}/report`);
    const widget = page.locator('ohr-report-form');
    const widgetNext = widget.getByRole('button', { name: 'Next' });
    await expect(widget.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
    await widgetNext.click();
    await widget.getByLabel('the person it was aimed at').check();
    await widgetNext.click();
    await widget.getByLabel('In your own words, what happened?').fill('Threats about my faith under my post.');
    await widgetNext.click();
    await widget.getByLabel('religion').check();
    await widgetNext.click();
    await widget.getByLabel('a threat').check();
    for (const title of ['When did it happen?', 'How has it affected you?', 'Have you reported it before?', 'Can they contact you?']) {
      await widgetNext.click();
      await expect(widget.getByRole('heading', { name: title })).toBeVisible();
    }
    await widget.getByRole('group', { name: 'Do you want to stay anonymous?' }).getByLabel('No').check();
    await widget.getByLabel('Your name').fill('Sam Doe');
    await widget.getByLabel('Email address').fill('sam@example.org');
    await widget.getByLabel(/^Email me when my report changes/).check();
    await expect(widget.getByText('The email address for updates is sent readable')).toBeVisible();
    await shot(page, 'widget-contact-sealed');
  } finally {
    await browser.close();
    await context.close();
    await sealing.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/** A host page for the floating button, on an origin of its own as a real site would be. */
async function serveButtonPage(hubUrl: () => string): Promise<Server> {
  const body = () => '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Community centre</title><script src="${hubUrl()}/widget.js" async></script></head><body><main><h1>Community centre</h1>` +
    `<p>Opening times, events and news.</p></main><ohr-report-button endpoint="${hubUrl()}"></ohr-report-button></body></html>`;
  // The site's Welsh page at /cy, with the form inline: the widget follows the page's lang (its Welsh pack from the hub).
  const welsh = () => '<!doctype html><html lang="cy"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Canolfan gymunedol</title><script src="${hubUrl()}/widget.js" async></script></head><body><main><h1>Canolfan gymunedol</h1>` +
    `<ohr-report-form endpoint="${hubUrl()}"></ohr-report-form></main></body></html>`;
  const server = createServer((request, response) =>
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(request.url === '/cy' ? welsh() : body()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function widgetScreens(hub: RunningHub, host: Server): Promise<void> {
  const browser = await launchPlainChromium();
  try {
    for (const [width, name] of [[1280, 'widget-inline'], [375, 'widget-inline-375']] as const) {
      const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
      await page.goto(`${hub.url}/report`);
      const form = page.locator('ohr-report-form');
      await expect(form.getByRole('heading', { level: 2 })).toBeVisible();
      await shot(page, name);
      const first = await form.getByRole('heading', { level: 2 }).textContent();
      await form.getByRole('button', { name: 'Next' }).click();
      await expect(form.getByRole('heading', { level: 2 })).not.toHaveText(first ?? '');
      await shot(page, `${name}-step-2`);
      await page.context().close();
    }
    const address = host.address();
    if (address === null || typeof address === 'string') throw new Error('the host page has no port');
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`http://127.0.0.1:${address.port}/`);
    const button = page.locator('ohr-report-button').getByRole('button').first();
    await expect(button).toBeVisible();
    await shot(page, 'widget-button', false);
    await button.click();
    await expect(page.locator('ohr-report-button').getByRole('heading', { level: 2 })).toBeVisible();
    await shot(page, 'widget-dialog', false);
    // The widget in Welsh, on the site's Welsh page.
    await page.goto(`http://127.0.0.1:${address.port}/cy`);
    const welsh = page.locator('ohr-report-form');
    await expect(welsh.getByRole('heading', { level: 2 })).toHaveText(cy['urgency.title']);
    await shot(page, 'widget-cy');
    await welsh.getByRole('button', { name: cy['form.next'] }).click();
    await expect(welsh.getByRole('heading', { level: 2 })).toHaveText(cy['who.title']);
    await shot(page, 'widget-cy-step-2');
  } finally {
    await browser.close();
  }
}

/**
 * The report app (`/report`) on a 375 px phone: its first screen, what another app shared (a POST to the share target,
 * as Android makes it, answered by the app's service worker), and the form's address step filled from it.
 */
async function appScreens(hub: RunningHub): Promise<void> {
  const browser = await launchPlainChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(`${hub.url}/report`);
    await expect(page.getByRole('heading', { level: 2 })).toBeVisible();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await shot(page, 'app-375');
    // The share sheet's POST comes from outside the app (the app's own page allows no form to post anywhere).
    await page.close();
    const shared = await context.newPage();
    await shared.setContent(`<form method="post" enctype="multipart/form-data" action="${hub.url}/report/share">
      <textarea name="text">They said we should all be sent back https://x.com/someone/status/1790000000000000001</textarea>
      <input type="file" name="images"><button>Share</button></form>`);
    await shared.locator('input[type=file]').setInputFiles({ name: 'Screenshot_20240501.png', mimeType: 'image/png', buffer: Buffer.from(makePng(1080, 2400)) });
    await shared.getByRole('button', { name: 'Share' }).click();
    await expect(shared.getByRole('heading', { name: 'What you shared' })).toBeVisible();
    await shot(shared, 'app-shared-375');
    await shared.getByRole('button', { name: 'Start the report' }).click();
    const next = shared.getByRole('button', { name: 'Next' });
    await next.click();
    await shared.getByLabel('the person it was aimed at').check();
    await next.click();
    await shared.getByLabel('In your own words, what happened?').fill('Told to go back where I came from, under my post');
    await next.click();
    await shared.getByLabel('race').check();
    await next.click();
    await shared.getByLabel('hateful words').check();
    await next.click();
    for (const title of ['When did it happen?', 'How has it affected you?', 'Have you reported it before?', 'Can they contact you?']) {
      await expect(shared.getByRole('heading', { name: title })).toBeVisible();
      await next.click();
    }
    await expect(shared.getByRole('textbox', { name: 'Address of post or page 1' })).toHaveValue(/x\.com/);
    await shot(shared, 'app-shared-address-375');
  } finally {
    await browser.close();
  }
}

/**
 * Moderators' own access to sealed contact details (issue 23), on a hub of its own that publishes an encryption key:
 * a moderator's account section and the page where they set up their key (before and after), the admin's list of who
 * has access, the page where the admin gives it with the key file, and the sealed-contact page opened with the
 * moderator's own passphrase.
 */
async function keyAccessScreens(): Promise<void> {
  const orgPassphrase = 'screenshots organisation passphrase';
  const ownPassphrase = 'screenshots own passphrase';
  const { key, file: keyFile } = await orgKey('org-2026-12-06-7d41e0c2', orgPassphrase);
  const folder = await mkdtemp(join(tmpdir(), 'ohr-org-key-'));
  const keyPath = join(folder, 'ohr-org-key.json');
  await writeFile(keyPath, JSON.stringify(keyFile));
  const hub = await startHub({ port: 0, dataDir: 'memory://', config: { logLevel: 'warn', rateLimit: { enabled: false }, encryptionKey: key } });
  const browser = await launchPlainChromium();
  const moderator = { email: 'sam@hub.example', password: 'another long passphrase for screenshots', role: 'moderator' as const };
  try {
    for (const account of [ADMIN, moderator]) {
      const created = await createModerator(hub.db, NewModerator.parse(account), null);
      if (created.kind !== 'created') throw new Error(`the account was not created: ${created.kind}`);
    }
    const { reference } = await fileSealedReport(hub.url, key, { name: 'Kofi Mensah', email: 'kofi.m@example.org' });
    const signIn = async (account: { email: string; password: string }) => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${hub.url}/console`);
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill(account.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/console\/queue/);
      return page;
    };
    const page = await signIn(moderator);
    await page.goto(`${hub.url}/console/account`);
    await page.getByRole('heading', { name: 'Access to sealed contact details' }).scrollIntoViewIfNeeded();
    await shot(page, 'console-account-key-access', false);
    await page.getByRole('link', { name: 'Set up your key' }).click();
    await expect(page.getByTestId('needs-script')).toBeHidden();
    await shot(page, 'console-own-key-setup');
    await page.getByLabel('Your passphrase for sealed contact details').fill(ownPassphrase);
    await page.getByLabel('The same passphrase again').fill(ownPassphrase);
    await page.getByRole('button', { name: 'Set up your key' }).click();
    await expect(page.getByText('Your key is set up.')).toBeVisible();
    await shot(page, 'console-own-key-set');
    const admin = await signIn(ADMIN);
    await admin.goto(`${hub.url}/console/admin/sealed-access`);
    await shot(admin, 'console-key-access-list');
    await admin.getByRole('link', { name: `Give ${moderator.email} access to key ${key.kid}` }).click();
    await expect(admin.getByTestId('needs-script')).toBeHidden();
    await admin.getByLabel('Your organisation’s key file').setInputFiles(keyPath);
    await shot(admin, 'console-key-access-give');
    await admin.getByLabel('Passphrase of the key file').fill(orgPassphrase);
    await admin.getByRole('button', { name: `Give ${moderator.email} access` }).click();
    await expect(admin.getByText('Access given.')).toBeVisible();
    await shot(admin, 'console-key-access-given');
    await page.goto(`${hub.url}/console/reports/${reference}/sealed`);
    await page.getByLabel('Your passphrase', { exact: true }).fill(ownPassphrase);
    await page.getByRole('button', { name: 'Open the contact details' }).click();
    await expect(page.getByTestId('sealed-details')).toBeVisible();
    await shot(page, 'console-sealed-own-passphrase');
  } finally {
    await browser.close();
    await hub.close();
    await rm(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  build();
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  let hubUrl = '';
  const host = await serveButtonPage(() => hubUrl);
  const hostAddress = host.address();
  if (hostAddress === null || typeof hostAddress === 'string') throw new Error('the host page has no port');
  const corsOrigins = [`http://127.0.0.1:${hostAddress.port}`];
  const hub = await startHub({ port: 0, dataDir: 'memory://', config: { logLevel: 'warn', corsOrigins, rateLimit: { enabled: false } } });
  hubUrl = hub.url;
  const siteServer = await serveDirectory(new URL('../test/e2e/site/', import.meta.url));
  const siteAddress = siteServer.address();
  if (siteAddress === null || typeof siteAddress === 'string') throw new Error('the test site has no port');
  const site = { url: (path: string) => new URL(path, `http://127.0.0.1:${siteAddress.port}`).href };
  try {
    for (const seed of SEEDS) await fileReport(hub, seed);
    await extensionScreens(hub, site);
    await consoleScreens(hub);
    await sealedContactScreens();
    await keyAccessScreens();
    await sealedNoteScreens(hub, site);
    await widgetScreens(hub, host);
    await appScreens(hub);
  } finally {
    host.closeAllConnections();
    await new Promise((resolve) => host.close(resolve));
    siteServer.closeAllConnections();
    await new Promise((resolve) => siteServer.close(resolve));
    await hub.close();
  }
  console.log(`${written.length} screenshots in ${OUT}:\n${written.map((name) => `  ${name}`).join('\n')}`);
}

await main();
