/**
 * The status page (/status) end to end, in real Chromium against a real hub (issue 20, "the same through /status for
 * a widget report"): a person reports through the widget on the hub's report page and keeps the reference and code;
 * a moderator asks a question in the console; the person opens the status page from the receipt's link, types the
 * code as they wrote it down (lower case, spaces), reads the question and answers it; the moderator sees the answer.
 * A wrong code gets the generic words. Each state passes axe-core (WCAG 2.2 AA) and the 16 px rule, in English and
 * Arabic (right to left), and is screenshotted into scratch/ for a person to look at.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { createModerator, NewModerator } from '../../hub/console/auth/accounts';
import { startHub, type RunningHub } from '../../hub/server';
import { makePng } from '../fixtures/png';
import { plainChromiumFixtures } from './browser';
import { signIn, type ConsoleAccount } from './console-fixtures';
import { expect, expectAccessible, test as base } from './fixtures';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';
import { expectReadableText } from './readable';

const MODERATOR: ConsoleAccount = { email: 'status-page@example.org', password: 'a long enough passphrase for e2e', role: 'moderator' };

const test = base.extend<{ statusHub: RunningHub; chrome: Browser; page: Page; pngFile: string }>({
  statusHub: async ({}, use) => {
    const dataDir = await hubFolder();
    const hub = await startHub({ port: 0, dataDir, config: { ...TEST_HUB_CONFIG, rateLimit: { enabled: false } } });
    const created = await createModerator(hub.db, NewModerator.parse(MODERATOR), null);
    if (created.kind !== 'created') throw new Error(`moderator not created: ${created.kind}`);
    await use(hub);
    await hub.close();
    await removeHubFolder(dataDir);
  },
  ...plainChromiumFixtures({ viewport: { width: 1000, height: 900 } }),
  pngFile: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'ohr-status-'));
    const file = join(dir, 'screenshot.png');
    await writeFile(file, makePng(40, 30));
    await use(file);
    await rm(dir, { recursive: true, force: true });
  },
});

test.describe.configure({ timeout: 150_000 });

/** The widget's steps as a person goes through them, with one address and one screenshot, then Send. */
async function reportThroughWidget(page: Page, pngFile: string): Promise<void> {
  const next = page.getByRole('button', { name: 'Next' });
  await expect(page.getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  await next.click();
  await page.getByLabel('the person it was aimed at').check();
  await next.click();
  await page.getByLabel('In your own words, what happened?').fill('Threats in replies to my posts');
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
  await page.getByRole('textbox', { name: 'Address of post or page 1' }).fill('https://x.com/someone/status/1');
  await page.getByLabel('Screenshots for address 1').setInputFiles([pngFile]);
  await expect(page.getByText('screenshot.png, 1 KB')).toBeVisible();
  await next.click();
  await expect(page.getByRole('heading', { name: 'Check your report' })).toBeVisible();
  await page.getByRole('button', { name: 'Send report' }).click();
}

/** axe-core, the 16 px rule, and a full-page screenshot in scratch/. */
async function look(page: Page, name: string): Promise<void> {
  await expectAccessible(page);
  await expectReadableText(page);
  await page.screenshot({ path: `scratch/status-${name}.png`, fullPage: true });
}

test('a widget report: the moderator asks, the reporter answers on /status, the moderator sees the answer', async ({ page, statusHub, pngFile, chrome }) => {
  await page.goto(`${statusHub.url}/report`);
  await reportThroughWidget(page, pngFile);
  const reference = (await page.getByTestId('reference').textContent()) ?? '';
  const code = (await page.getByTestId('token').textContent()) ?? '';
  expect(reference).toMatch(/^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  const link = page.getByTestId('status-page');
  await expect(link).toHaveText(`${statusHub.url}/status`);
  await expectAccessible(page);
  await page.locator('ohr-report-form').screenshot({ path: 'scratch/status-widget-receipt.png' });

  // The moderator, in their own browser, asks a question in the console.
  const desk = await (await chrome.newContext()).newPage();
  await desk.goto(`${statusHub.url}/console/queue`);
  await signIn(desk, MODERATOR);
  await desk.goto(`${statusHub.url}/console/reports/${reference}`);
  await desk.getByLabel('Ask the reporter a question').fill('Which account sent the threat on the 3rd?');
  await desk.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(desk.getByTestId('question')).toContainText('Which account sent the threat on the 3rd?');

  // The reporter follows the receipt's link (a new tab) and types the code as written down: lower case, spaces.
  const [status] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await status.waitForLoadState();
  await expect(status.getByRole('heading', { level: 1, name: 'Check your report' })).toBeVisible();
  expect(status.url()).toBe(`${statusHub.url}/status`);
  await look(status, 'lookup-en');

  await status.getByLabel('Reference number').fill(reference.toLowerCase());
  await status.getByLabel('Status code').fill('ZZZZ ZZZZ ZZZZ ZZZZ');
  await status.getByRole('button', { name: 'Show my report' }).click();
  await expect(status.getByRole('alert')).toHaveText('There is no report with this reference number and status code. Check both and try again.');
  await look(status, 'not-found-en');

  await status.getByLabel('Status code').fill(code.toLowerCase().replaceAll('-', ' '));
  await status.getByRole('button', { name: 'Show my report' }).click();
  await expect(status.getByRole('heading', { level: 1 })).toHaveText(`Your report ${reference}`);
  await expect(status.getByTestId('status')).toHaveText('more information needed');
  await expect(status.getByText('Which account sent the threat on the 3rd?')).toBeVisible();
  // Neither the reference nor the code is ever in the address.
  expect(status.url()).toBe(`${statusHub.url}/status`);
  await look(status, 'question-en');

  await status.getByLabel('Your answer').fill('The account @example_sender, in a reply at 21:40');
  await status.getByRole('button', { name: 'Send my answer' }).click();
  await expect(status.getByRole('status')).toHaveText('Thank you: your answer has been sent to the team.');
  await expect(status.getByText('The account @example_sender, in a reply at 21:40')).toBeVisible();
  await expect(status.getByRole('button', { name: 'Send my answer' })).toHaveCount(0);
  await look(status, 'answered-en');

  // The moderator sees the answer in the report's view.
  await desk.reload();
  await expect(desk.getByTestId('answer')).toContainText('The account @example_sender, in a reply at 21:40');

  // The same report in Arabic, right to left.
  await status.goto(`${statusHub.url}/status?lang=ar`);
  await expect(status.locator('html')).toHaveAttribute('dir', 'rtl');
  await status.getByLabel('الرقم المرجعي').fill(reference);
  await status.getByLabel('رمز الحالة').fill(code);
  await status.getByRole('button', { name: 'اعرض بلاغي' }).click();
  await expect(status.getByText('The account @example_sender, in a reply at 21:40')).toBeVisible();
  await look(status, 'answered-ar');

  // Quick exit: Esc twice replaces the page (and its history entry) with the neutral one.
  await status.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title><h1>Weather</h1>' }));
  await status.keyboard.press('Escape');
  await status.keyboard.press('Escape');
  await expect(status).toHaveURL(/^https:\/\/www\.bbc\.co\.uk\/weather/);
  // Back leads to the empty form before it, not to the report: its entry was replaced.
  await status.goBack();
  await expect(status.getByRole('heading', { level: 1 })).toHaveText('تحقّق من بلاغك');
});
