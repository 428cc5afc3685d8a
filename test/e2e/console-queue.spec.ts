/**
 * The triage queue in real Chromium against a real hub: reports filed through the intake API over HTTP, a moderator
 * signs in, filters, searches, pages forwards and back, opens a cluster of reports about one video and closes two of
 * them as duplicates of the first. Then the queue as a work list: sorting, the built-in and saved views, a picture
 * blurred until shown, the keyboard shortcuts (j/k, x, a, Enter, ?) and the actions on chosen rows. axe-core checks
 * every state and the body text is at least 16 px; a dialog (a script that ran) fails the test.
 */
import type { RunningHub } from '../../hub/server';
import { sha256Hex } from '../../lib/hash';
import type { Item, Report } from '../../lib/schema';
import { makePng } from '../fixtures/png';
import { sampleReport } from '../fixtures/report';
import { consoleTest, signIn, type ConsoleAccount } from './console-fixtures';
import { expect, expectAccessible } from './fixtures';
import { expectReadableText } from './readable';

const ACCOUNT: ConsoleAccount = { email: 'queue@hub.example', password: 'a long enough passphrase for the queue', role: 'moderator' };
const FILLERS = 52;

const test = consoleTest(ACCOUNT, { viewport: { width: 1200, height: 900 } });

/** Files a report through the intake API, as the extension or the widget would; returns its reference. */
async function fileReport(hub: RunningHub, summary: string, item: Partial<Item>, overrides: Partial<Report> = {}): Promise<string> {
  const base = sampleReport(overrides);
  const report: Report = { ...base, incident: { ...base.incident, summary }, items: base.items.map((first) => ({ ...first, evidence: [], ...item })) };
  const response = await fetch(`${hub.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(report),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
}

/** Files a report with one captured screenshot (its bytes uploaded first, as the extension does). */
async function filePictureReport(hub: RunningHub, summary: string): Promise<string> {
  const png = makePng(64, 48);
  const sha256 = await sha256Hex(png);
  const put = await fetch(`${hub.url}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png });
  expect(put.status).toBe(201);
  const evidence = [{ sha256, mediaType: 'image/png' as const, bytes: png.byteLength, kind: 'screenshot' as const }];
  return fileReport(hub, summary, { url: 'https://www.tiktok.com/@someone/video/7', platform: 'tiktok', evidence });
}

test('a moderator filters, searches and pages the queue, opens a cluster and closes duplicates', async ({ consoleHub, page }) => {
  // Fifty-six reports filed over HTTP and axe-core over a fifty-row table, eight times, on a small shared machine.
  test.setTimeout(240_000);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => void dialogs.push(dialog.message()).valueOf());
  for (let i = 0; i < FILLERS; i++) {
    await fileReport(consoleHub, `Filler report number ${i} <script>alert(1)</script>`, { url: `https://www.reddit.com/r/example/comments/${i}/`, platform: 'reddit' });
  }
  const video = await fileReport(consoleHub, 'A kingfisher video with threats in it', { url: 'https://www.youtube.com/watch?v=kf1&si=share', platform: 'youtube' });
  const short = await fileReport(consoleHub, 'The same video, shared', { url: 'https://youtu.be/kf1?t=30', platform: 'youtube' });
  const mobile = await fileReport(consoleHub, 'Seen on my phone', { url: 'https://m.youtube.com/watch?v=kf1', platform: 'youtube' });
  const urgent = await fileReport(consoleHub, 'They said they will come tonight', { url: 'https://x.com/someone/status/9', platform: 'x' }, {
    urgency: { immediateDanger: true, perpetratorIdentityKnown: false, relatesToFutureEvent: false },
  });

  await page.goto(`${consoleHub.url}/console/queue`);
  await signIn(page, ACCOUNT);
  await expect(page).toHaveURL(/\/console\/queue$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Queue');
  await expect(page.getByText(`${FILLERS + 4} reports match.`)).toBeVisible();
  const rows = page.locator('table.queue tbody tr');
  await expect(rows).toHaveCount(50);
  await expect(rows.first().getByRole('rowheader')).toContainText(urgent);
  await expect(rows.first().getByText('Urgent', { exact: true })).toBeVisible();
  await expectAccessible(page);

  // Filter by platform: only the three reports about the video, each with its cluster badge. The filters are folded
  // away until asked for, and stay open while any is in use.
  await page.getByText('Filter the queue', { exact: true }).click();
  await page.getByLabel('Platform').selectOption({ label: 'YouTube' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows).toHaveCount(3);
  await expect(rows.getByRole('link', { name: '2 related' })).toHaveCount(3);
  await expect(page.getByLabel('Platform')).toHaveValue('youtube');
  await expectAccessible(page);

  // Search: a hit, then a miss (the empty state).
  await page.getByLabel('Platform').selectOption({ label: 'any' });
  await page.getByLabel('Search summaries and captured text').fill('kingfisher');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByRole('rowheader')).toContainText(video);
  await page.getByLabel('Search summaries and captured text').fill('"no such words anywhere"');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('No reports match these filters.')).toBeVisible();
  await expectAccessible(page);

  // A bad value in the address is answered with words, not an error page.
  const bad = await page.goto(`${consoleHub.url}/console/queue?from=2026-02-30`);
  expect(bad?.status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Use a date such as 2026-01-31');
  await expectAccessible(page);

  // Pages: forwards to the last six, back to the first fifty.
  await page.getByRole('link', { name: 'Clear filters' }).click();
  const firstPage = await rows.getByRole('rowheader').allTextContents();
  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(rows).toHaveCount(FILLERS + 4 - 50);
  const secondPage = await rows.getByRole('rowheader').allTextContents();
  expect(new Set([...firstPage, ...secondPage]).size).toBe(FILLERS + 4);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Previous page' }).click();
  await expect(rows).toHaveCount(50);
  expect(await rows.getByRole('rowheader').allTextContents()).toEqual(firstPage);

  // The cluster: the three reports about one video, whatever address each was captured from.
  await page.goto(`${consoleHub.url}/console/queue?platform=youtube`);
  await rows.filter({ hasText: video }).getByRole('link', { name: '2 related' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Related reports of ${video}`);
  await expect(page.getByText('https://youtube.com/watch?v=kf1', { exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('checkbox', { name: `Act on ${short}` }).check();
  await page.getByRole('checkbox', { name: `Act on ${mobile}` }).check();
  await expect(page.getByRole('radio', { name: `${video} is the original` })).toBeChecked();
  await page.getByRole('button', { name: 'Close the chosen reports as duplicates of the original' }).click();
  await expect(page.getByRole('status')).toHaveText('2 reports changed.');
  await expect(page.getByText(`duplicate of ${video}`)).toHaveCount(2);
  await expectAccessible(page);

  // Back in the queue (open reports only), the two duplicates are gone.
  await page.goto(`${consoleHub.url}/console/queue?platform=youtube`);
  await expect(rows).toHaveCount(1);

  // The work list: each row's summary as text, newest first, and the text at 16 px or more.
  const pictured = await filePictureReport(consoleHub, 'A video mocking my son’s wheelchair');
  await page.goto(`${consoleHub.url}/console/queue`);
  await page.getByLabel('Sort').selectOption({ label: 'newest first' });
  await page.getByRole('button', { name: 'Sort', exact: true }).click();
  await expect(page).toHaveURL(/sort=newest/);
  await expect(page.getByRole('table')).toHaveAccessibleName('Reports, newest first');
  await expect(rows.first().getByRole('rowheader')).toContainText(pictured);
  await expect(rows.first()).toContainText('A video mocking my son’s wheelchair');
  await expect(rows.filter({ hasText: urgent })).toContainText('They said they will come tonight');
  await expectReadableText(page);
  await expectAccessible(page);

  // Its picture is small and blurred until "Show" is ticked.
  const thumbnail = rows.first().getByRole('img', { name: `The first picture captured for ${pictured}` });
  await expect(thumbnail).toBeVisible();
  expect(await thumbnail.evaluate((image) => getComputedStyle(image).filter)).toContain('blur');
  await rows.first().getByRole('checkbox', { name: `Show the picture of ${pictured}` }).check();
  expect(await thumbnail.evaluate((image) => getComputedStyle(image).filter)).toBe('none');
  const box = await thumbnail.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(100);

  // Keyboard: "?" lists the shortcuts, j/k move between rows, x chooses, "Assign to me" acts on the chosen rows.
  await page.goto(`${consoleHub.url}/console/queue?platform=reddit`);
  await expect(page.getByText('Keyboard: press ? for shortcuts.')).toBeVisible();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts in the queue' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Assign the report to me');
  await expectAccessible(page);
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  const [first, second, third] = await rows.getByRole('rowheader').getByRole('link').allTextContents();
  await page.keyboard.press('j');
  await expect(rows.nth(0)).toHaveClass(/current/);
  await expect(rows.nth(0).getByRole('link', { name: first })).toBeFocused();
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(rows.nth(1)).toHaveClass(/current/);
  await expect(rows.nth(0)).not.toHaveClass(/current/);
  await page.keyboard.press('x');
  await expect(page.getByRole('checkbox', { name: `Choose ${first}` })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: `Choose ${second}` })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: `Choose ${third}` })).not.toBeChecked();
  await page.getByRole('group', { name: 'With the chosen reports' }).getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'changed' })).toHaveText('2 reports changed.');
  await expect(page).toHaveURL(/platform=reddit/);
  await expect(rows.filter({ hasText: first! })).toContainText(ACCOUNT.email);
  await expect(rows.filter({ hasText: second! })).toContainText(ACCOUNT.email);

  // "a" takes the row the keyboard is on; Enter opens it.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(rows.nth(2)).toHaveClass(/current/);
  await page.keyboard.press('a');
  await expect(page.getByRole('status').filter({ hasText: 'changed' })).toHaveText('1 report changed.');
  await expect(rows.filter({ hasText: third! })).toContainText(ACCOUNT.email);
  await expectReadableText(page);
  await expectAccessible(page);

  // The built-in view "Mine" shows the three, and a view of one's own is kept.
  await page.getByRole('link', { name: 'Mine', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Mine', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(rows).toHaveCount(3);
  await page.getByText('Filter the queue (1 filter in use)', { exact: true }).click();
  await page.getByLabel('Name of the view').fill('My Reddit reports');
  await page.getByRole('button', { name: 'Save these filters as a view' }).click();
  await expect(page.getByText('The view was saved.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'My Reddit reports' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/console\/reports\/OHR-/);
  expect(dialogs).toEqual([]);
});
