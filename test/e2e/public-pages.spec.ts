/**
 * The hub's public pages in real Chromium against a real hub (issue 19 item 6): the organisation's own page at `/`
 * (its name, what it takes reports about, the report form embedded as any site embeds it, the links, the quick exit)
 * in English, Welsh and Arabic; the built-in privacy page; and open data's public page, whose chart labels are never
 * cut short and whose empty months are folded. axe-core at 0 violations and the 16 px rule on each; screenshots in
 * scratch/public-pages/ for a person to look at. One hub and one browser for the file.
 */
import type { Browser, Page } from '@playwright/test';
import { startHub, type RunningHub } from '../../hub/server';
import { sampleReport } from '../fixtures/report';
import { launchPlainChromium } from './browser';
import { expect, expectAccessible, test as base } from './fixtures';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';
import { bodyFontSize, expectReadableText } from './readable';

const ORGANISATION = 'Hate Crime Support Wales';
/** Months before this one that each seeded report was received in: gaps between them, none after the last. */
const MONTHS_AGO = [0, 0, 1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 9];

const test = base.extend<{ page: Page }, { publicHub: RunningHub; chrome: Browser }>({
  publicHub: [
    async ({}, use) => {
      const dataDir = await hubFolder();
      const hub = await startHub({
        port: 0,
        dataDir,
        config: { ...TEST_HUB_CONFIG, name: ORGANISATION, area: 'Wales', categories: ['race', 'religion', 'disability'], rateLimit: { enabled: false } },
      });
      for (const [index, monthsAgo] of MONTHS_AGO.entries()) {
        const base = sampleReport();
        const report = {
          ...base,
          items: base.items.map((item) => ({ ...item, evidence: [] })),
          incident: { ...base.incident, targetedCharacteristics: index % 2 ? ['religion'] : ['race'], harmTypes: index % 3 ? ['doxxing'] : ['hate_speech'] },
        };
        const response = await fetch(`${hub.url}/api/v1/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id }, body: JSON.stringify(report) });
        if (response.status !== 201) throw new Error(`seeding: HTTP ${response.status} ${await response.text()}`);
        const { reference } = (await response.json()) as { reference: string };
        await hub.db.query(`UPDATE reports SET received_at = received_at - make_interval(months => $1::int) WHERE reference = $2`, [monthsAgo, reference]);
      }
      await use(hub);
      await hub.close();
      await removeHubFolder(dataDir);
    },
    { scope: 'worker' },
  ],
  chrome: [
    async ({}, use) => {
      const browser = await launchPlainChromium();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  page: async ({ chrome }, use) => {
    const context = await chrome.newContext({ viewport: { width: 1100, height: 900 } });
    await use(await context.newPage());
    await context.close();
  },
});

test.describe.configure({ timeout: 120_000 });

/** axe-core, the 16 px rule, and a full-page screenshot to look at. */
async function look(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await expectAccessible(page);
  await expectReadableText(page);
  await page.screenshot({ path: `scratch/public-pages/${name}.png`, fullPage: true });
}

/** The widget draws itself once it scrolls into view. */
async function formShown(page: Page): Promise<void> {
  await page.locator('ohr-report-form').scrollIntoViewIfNeeded();
  await expect(page.locator('ohr-report-form').getByRole('heading', { level: 2 })).toBeVisible();
}

test('the organisation’s page: its name, what it takes, the form, the links and the quick exit, in three languages', async ({ page, publicHub }) => {
  await page.goto(`${publicHub.url}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report online hate to ${ORGANISATION}`);
  await expect(page.locator('.service')).toHaveText(ORGANISATION);
  await expect(page.getByRole('list').filter({ hasText: 'religion' }).getByRole('listitem')).toHaveText(['race', 'religion', 'disability']);
  await expect(page.getByText('We take reports about people in Wales.')).toBeVisible();
  await formShown(page);
  await expect(page.locator('ohr-report-form').getByRole('heading', { name: 'First, are you safe?' })).toBeVisible();
  for (const [name, path] of [
    ['Check your report', '/status?lang=en'],
    ['How we use your information', '/privacy?lang=en'],
    ['Published data about reports', '/console/open-data'],
    ['Install the report form on your phone', '/report'],
    ['Staff sign-in', '/console'],
  ] as const) {
    await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute('href', path);
  }
  await expect(page.getByRole('link', { name: 'Quick exit' })).toBeVisible();
  expect(await bodyFontSize(page)).toBeGreaterThanOrEqual(16);
  await look(page, 'home');

  // Welsh and Arabic through the switcher; Arabic right to left.
  await page.getByRole('link', { name: 'Cymraeg' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Rhoi gwybod i ${ORGANISATION} am gasineb ar-lein`);
  await formShown(page);
  await look(page, 'home-cy');
  await page.getByRole('link', { name: 'العربية' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('link', { name: 'دخول الموظفين' })).toBeVisible();
  await formShown(page);
  await look(page, 'home-ar');

  // Staff sign-in leads to the console's sign-in.
  await page.goto(`${publicHub.url}/`);
  await page.getByRole('link', { name: 'Staff sign-in' }).click();
  await expect(page).toHaveURL(/\/console\/login/);
});

test('a phone-sized organisation’s page and the privacy page', async ({ page, publicHub }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${publicHub.url}/`);
  await formShown(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await look(page, 'home-375');
  await page.getByRole('link', { name: 'How we use your information' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What this service keeps');
  await expect(page.getByText('If you withdraw your report, what you sent is erased at once.')).toBeVisible();
  await look(page, 'privacy-375');
});

test('open data in public: the organisation’s name, labels whole, empty months folded', async ({ page, publicHub }) => {
  for (const width of [1100, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${publicHub.url}/console/open-data`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Published data');
    await expect(page.locator('header .brand')).toHaveText(ORGANISATION);
    await expect(page.getByText('Triage console')).toHaveCount(0);
    await expect(page.getByRole('link', { name: `Report online hate to ${ORGANISATION}` })).toHaveAttribute('href', '/');
    // Every label of every chart whole: nothing wider than its box, the longest one included.
    const labels = page.locator('table.bars th.label');
    await expect(labels.filter({ hasText: 'publishing private information (doxxing)' })).toBeVisible();
    const clipped = await labels.evaluateAll((cells) =>
      cells.filter((cell) => cell.scrollWidth > cell.clientWidth || cell.scrollHeight > cell.clientHeight).map((cell) => cell.textContent),
    );
    expect(clipped).toEqual([]);
    expect(await labels.count()).toBeGreaterThan(20);
    // Months by month received: the first is nine months ago, then one line for each run of empty months, none after.
    const months = page.locator('section[aria-labelledby="month-heading"] tbody tr');
    const rows = await months.evaluateAll((trs) => trs.map((tr) => tr.textContent?.trim() ?? ''));
    expect(rows).toHaveLength(6);
    expect(rows[1]).toMatch(/^No reports from \w+ \d{4} to \w+ \d{4}$/);
    expect(rows[3]).toMatch(/^No reports from \w+ \d{4} to \w+ \d{4}$/);
    expect(await months.locator('.count').allTextContents()).not.toContain('0');
    await look(page, `open-data-${width}`);
  }
});
