/**
 * On install, a welcome page: what OHR does and keeps in three sentences, and the first organisation chosen there.
 */
import { expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';

test.use({ keepWelcomePage: true });

test('installing opens the welcome page, which says what OHR does and keeps and adds the first organisation', async ({ context, extension, hub }) => {
  const welcome = context.pages().find((page) => page.url() === extension.page('welcome.html'));
  expect(welcome, 'a welcome tab opened at install').toBeDefined();
  const page = welcome!;
  await expect(page).toHaveTitle('Welcome to Online Harms Reporter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome to Online Harms Reporter');
  // The three sentences, right under the heading.
  const sentences = page.locator('h1 ~ p');
  await expect(sentences.nth(0)).toHaveText(/keeps a copy of it as evidence .* sends your report to the organisations you choose\.$/);
  await expect(sentences.nth(1)).toHaveText(/^Your reports stay on this computer until you delete them/);
  await expect(sentences.nth(2)).toHaveText(/^To send a report you need at least one organisation/);
  await expect(page.getByRole('button', { name: 'Leave this page quickly' })).toBeVisible();
  await expectAccessible(page);
  await expectReadableText(page);
  await page.screenshot({ path: test.info().outputPath('welcome.png'), fullPage: true });

  // The first organisation, chosen here: typed without http://, looked up, shown, added.
  await page.getByLabel('Address of the reporting service').fill(new URL(hub.url).host);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.getByTestId('found')).toContainText('Found: OHR reference hub');
  await page.getByRole('button', { name: 'Add OHR reference hub' }).click();
  await expect(page.getByRole('status')).toContainText('OHR reference hub added. When you see online hate, use the toolbar button');
  await expectAccessible(page);
  await page.screenshot({ path: test.info().outputPath('welcome-added.png'), fullPage: true });

  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  await expect(options.getByTestId('endpoint')).toContainText('OHR reference hub');
});
