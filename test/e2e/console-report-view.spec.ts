/**
 * The report view laid out for deciding and moderator wellbeing (issue 19 items 4 and 5) in real Chromium against a
 * real hub: reports filed through the intake API over HTTP (one with a real photo as evidence), an admin signs in, names
 * themselves, and opens a report from the queue. The decisions sit in a side panel beside the content on a wide
 * window and under it on a narrow one; "Move to" starts on "Choose…" and refuses to move without a choice, in words;
 * the audit trail names people in sentences; the keyboard shortcuts and their `?` list work; and the moderator's
 * wellbeing settings (greyscale, blur, captured words hidden) change what the page shows. axe-core at 0 violations and
 * body text of at least 16 px on every page; screenshots to scratch/ to be looked at.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createModerator, NewModerator } from '../../hub/console/auth/accounts';
import { setDisplayName } from '../../hub/domain/people';
import type { RunningHub } from '../../hub/server';
import type { Item, Report } from '../../lib/schema';
import { sampleReport } from '../fixtures/report';
import { consoleTest, signIn, type ConsoleAccount } from './console-fixtures';
import { expect, expectAccessible } from './fixtures';
import { expectReadableText } from './readable';

const ACCOUNT: ConsoleAccount = { email: 'amira@hub.example', password: 'a long passphrase for the report view', role: 'admin' };
const test = consoleTest(ACCOUNT, { viewport: { width: 1440, height: 900 } });
const SHOTS = new URL('../../scratch/', import.meta.url);

/** Files a report through the intake API, with `photo` as its evidence when given; returns its reference. */
async function fileReport(hub: RunningHub, summary: string, item: Partial<Item>, photo?: Uint8Array<ArrayBuffer>): Promise<string> {
  const base = sampleReport();
  const evidence: Item['evidence'] = [];
  if (photo) {
    const sha256 = createHash('sha256').update(photo).digest('hex');
    const put = await fetch(`${hub.url}/api/v1/evidence/${sha256}`, { method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, body: photo });
    expect(put.status).toBe(201);
    evidence.push({ sha256, mediaType: 'image/jpeg', bytes: photo.byteLength, kind: 'screenshot' });
  }
  const report: Report = { ...base, incident: { ...base.incident, summary }, items: base.items.map((first) => ({ ...first, ...item, evidence })) };
  const response = await fetch(`${hub.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': report.id },
    body: JSON.stringify(report),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
}

test('a moderator decides from the side panel, reads the trail in sentences and sets how captured content is shown', async ({ consoleHub, page }) => {
  test.setTimeout(180_000); // a dozen pages, each checked by axe-core, on a small shared machine
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => void dialogs.push(dialog.message()).valueOf());
  const photo = new Uint8Array(await readFile(new URL('../fixtures/pdq/rocket.jpg', import.meta.url)));
  const item: Partial<Item> = {
    url: 'https://www.reddit.com/r/example/comments/abc123/',
    platform: 'reddit',
    kind: 'post',
    captureMethod: 'manual',
    title: 'People like her should not be allowed here',
    text: 'Go back where you came from. We know where you live.',
    author: { handle: 'u/example_poster', displayName: 'example_poster' },
    context: { parent: { text: 'Our community iftar is on Saturday, everyone welcome.' } },
  };
  const first = await fileReport(consoleHub, 'Abuse under our mosque’s event post, with a threat about where I live.', item, photo);
  const second = await fileReport(consoleHub, 'The same post, seen by my sister', { ...item, text: 'Go back where you came from.' });
  const colleague = await createModerator(consoleHub.db, NewModerator.parse({ email: 'sam@hub.example', password: 'another long passphrase here', role: 'moderator' }), null);
  if (colleague.kind !== 'created') throw new Error('the colleague was not created');
  await setDisplayName(consoleHub.db, colleague.moderator.id, 'Sam Patel');

  await page.goto(`${consoleHub.url}/console/queue`);
  await signIn(page, ACCOUNT);
  await page.goto(`${consoleHub.url}/console/account`);
  await page.getByLabel('Name', { exact: true }).fill('Amira Haddad');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('status')).toHaveText('Your name was saved.');

  // Opened from the queue with a filter: next and previous follow it.
  await page.goto(`${consoleHub.url}/console/reports/${first}?queue=${encodeURIComponent('platform=reddit')}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report ${first}`);

  // Wide: content on the left, the decisions beside it.
  const content = page.locator('.report-content');
  const panel = page.getByTestId('decide-panel');
  const [contentBox, panelBox] = [await content.boundingBox(), await panel.boundingBox()];
  expect(panelBox!.x).toBeGreaterThan(contentBox!.x + contentBox!.width - 1);
  expect(panelBox!.y).toBeLessThan(contentBox!.y + 50);
  await expect(panel.getByRole('heading', { name: 'Decide' })).toBeVisible();
  await expect(panel.getByTestId('related')).toContainText(second);
  await expect(page.getByTestId('item-title')).toContainText('Title');

  // Every protection on by default: the photo blurred and grey, the captured words and title behind "Show".
  const image = page.getByTestId('evidence-image');
  await expect(image).toHaveCSS('filter', 'blur(24px) grayscale(1)');
  await expect(page.getByText('We know where you live.')).toBeHidden();
  await expectAccessible(page);
  await expectReadableText(page);
  await page.screenshot({ path: new URL('report-view-wide.png', SHOTS).pathname, fullPage: true });

  // "Move to" starts on "Choose…"; sent as it is, the page refuses in words and nothing changes.
  const moveTo = page.getByLabel('Move to');
  await expect(moveTo).toHaveValue('');
  await expect(moveTo.locator('option:checked')).toHaveText('Choose…');
  await page.getByRole('button', { name: 'Change status' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose where to move the report; nothing was changed.');
  await expect(page.getByTestId('status')).toHaveText('received');
  await expect(page).toHaveURL(/queue=platform%3Dreddit/);
  await page.getByLabel('Move to').selectOption({ label: 'being reviewed' });
  await page.getByRole('button', { name: 'Change status' }).click();
  await expect(page.getByTestId('status')).toHaveText('being reviewed');
  await expect(page.getByLabel('Move to')).toHaveValue('');

  // The trail in sentences, with people's names.
  await page.getByLabel('Assigned to').selectOption({ label: 'Sam Patel (sam@hub.example)' });
  await page.getByRole('button', { name: 'Save assignment' }).click();
  const trail = page.getByTestId('audit-row');
  await expect(trail.filter({ hasText: 'Amira Haddad assigned this report to Sam Patel.' })).toHaveCount(1);
  await expect(trail.filter({ hasText: 'Amira Haddad changed the status from received to being reviewed.' })).toHaveCount(1);
  await expect(page.locator('ol.trail-sentences')).not.toContainText('{');

  // The shortcuts: "?" lists them, Esc closes the list, "j" opens the next report of this queue.
  await page.locator('body').press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expectAccessible(page);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await page.keyboard.press('j');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report ${second}`);
  await expect(page).toHaveURL(/queue=platform%3Dreddit/);
  await page.keyboard.press('k');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report ${first}`);

  // After a long stretch in the queue (its start set back in the database: no waiting), a calm reminder to take a break.
  await consoleHub.db.query(`UPDATE moderator_wellbeing SET stint_started_at = now() - interval '50 minutes' WHERE moderator_id = (SELECT id FROM moderators WHERE email = $1)`, [ACCOUNT.email]);
  await page.reload();
  const reminder = page.getByTestId('break-reminder');
  await expect(reminder).toContainText('You have been working in the queue for 45 minutes.');
  await expectAccessible(page);
  await page.screenshot({ path: new URL('report-view-break.png', SHOTS).pathname });
  await reminder.getByRole('button', { name: 'Carry on for now' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report ${first}`);
  await expect(page.getByTestId('break-reminder')).toHaveCount(0);

  // Narrow: one column; what was reported first, then the decisions, then the rest of the report.
  await page.setViewportSize({ width: 600, height: 900 });
  const items = page.locator('section', { has: page.locator('#items-heading') });
  const [itemsBox, narrowPanel, trailBox] = [await items.boundingBox(), await panel.boundingBox(), await page.locator('#trail-heading').boundingBox()];
  expect(narrowPanel!.y).toBeGreaterThan(itemsBox!.y + itemsBox!.height - 1);
  expect(narrowPanel!.y + narrowPanel!.height).toBeLessThan(trailBox!.y);
  await expectAccessible(page);
  await expectReadableText(page);
  await page.screenshot({ path: new URL('report-view-narrow.png', SHOTS).pathname, fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Wellbeing: this moderator turns blur and hidden words off for themselves; greyscale stays, as the organisation has it.
  await page.goto(`${consoleHub.url}/console/account`);
  await page.getByRole('link', { name: 'Wellbeing: how captured content is shown to you' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wellbeing');
  await expectAccessible(page);
  await expectReadableText(page);
  await page.getByTestId('wellbeing-blurMedia').getByLabel('Off').check();
  await page.getByTestId('wellbeing-hideText').getByLabel('Off').check();
  await page.getByRole('button', { name: 'Save my settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Your settings were saved.');
  await page.screenshot({ path: new URL('account-wellbeing.png', SHOTS).pathname, fullPage: true });
  await page.goto(`${consoleHub.url}/console/reports/${first}`);
  await expect(image).toHaveCSS('filter', 'grayscale(1)');
  await expect(page.getByText('We know where you live.')).toBeVisible();
  await page.getByLabel('Show').check();
  await expect(image).toHaveCSS('filter', 'none');

  // The admin turns greyscale off for everyone: the picture is shown as it is, with no "Show" to tick.
  await page.goto(`${consoleHub.url}/console/admin`);
  await page.getByRole('link', { name: 'Wellbeing defaults for everyone' }).click();
  await expectAccessible(page);
  await page.getByLabel('Show captured pictures in grey until a moderator chooses to see them').uncheck();
  await page.getByRole('button', { name: 'Save the defaults' }).click();
  await expect(page.getByRole('status')).toContainText('The defaults were saved.');
  await page.getByLabel('Remind moderators to take a break after this many minutes in the queue').fill('soon');
  await page.getByRole('button', { name: 'Save the defaults' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter a whole number of minutes from 0 to 480.');
  await expectAccessible(page);
  await page.goto(`${consoleHub.url}/console/reports/${first}`);
  await expect(image).toHaveCSS('filter', 'none');
  await expect(page.getByLabel('Show')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
