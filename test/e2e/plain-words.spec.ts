/**
 * Plain words for the problems a person meets while reporting: an empty "What happened?", one too long, a service
 * that cannot be reached. Never the browser's words ("Failed to fetch") or the extension's internals.
 */
import type { Page } from '@playwright/test';
import { addOrganisation, expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';

const MACHINE_WORDS = /Failed to fetch|TypeError|NetworkError|ERR_[A-Z_]+|HTTP \d{3}|does not understand/;

async function expectNoMachineWords(page: Page): Promise<void> {
  expect(await page.locator('body').innerText()).not.toMatch(MACHINE_WORDS);
}

test('the popup says what is wrong with "What happened?" and never cuts it', async ({ context, extension, hub, site, openPopupFor }) => {
  await addOrganisation(context, extension, hub.url);
  const post = await context.newPage();
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  const summary = popup.getByLabel('What happened?');

  await summary.fill('     ');
  await popup.getByRole('button', { name: 'Send report' }).click();
  await expect(popup.locator('#summary-error')).toHaveText('Say in a few words what happened');
  await expect(summary).toBeFocused();
  await expect(summary).toHaveAttribute('aria-invalid', 'true');
  await expectNoMachineWords(popup);
  await expectAccessible(popup);
  await expectReadableText(popup);
  await popup.screenshot({ path: test.info().outputPath('popup-empty.png'), fullPage: true });

  const long = 'x'.repeat(5_010);
  await summary.fill(long);
  await expect(popup.locator('#summary-error')).toHaveText('This is 10 characters over the limit of 5000. Shorten it to send it.');
  await expect(summary).toHaveValue(long);
  await popup.getByRole('button', { name: 'Send report' }).click();
  await expect(summary).toBeFocused();
  expect(await hub.query('SELECT reference FROM reports')).toHaveLength(0);
  await expectAccessible(popup);
  await popup.screenshot({ path: test.info().outputPath('popup-too-long.png'), fullPage: true });

  await summary.fill('x'.repeat(5_000));
  await expect(popup.locator('#summary-error')).toHaveCount(0);
  await popup.getByRole('button', { name: 'Send report' }).click();
  await expect(popup.getByTestId('reference')).toHaveText(/^OHR-/);
});

test('a service that cannot be reached is said in words, on one line each, on the popup and the reports page', async ({ context, extension, hub, site, openPopupFor }) => {
  await addOrganisation(context, extension, hub.url);
  await hub.stop();
  const post = await context.newPage();
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  await popup.getByLabel('What happened?').fill('Abuse under my post');
  await popup.getByRole('button', { name: 'Send report' }).click();
  const delivery = popup.getByTestId('delivery');
  await expect(delivery).toContainText('The last try could not reach the organisation’s service.', { timeout: 15_000 });
  await expect(delivery.locator('p').first()).toHaveText('OHR reference hub');
  await expect(delivery.locator('p').nth(1)).toHaveText('Waiting to send. It will be tried again automatically.');
  await expectNoMachineWords(popup);
  await expectAccessible(popup);
  await popup.screenshot({ path: test.info().outputPath('popup-unreachable.png'), fullPage: true });

  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  await expect(reports.getByTestId('delivery')).toContainText('The last try could not reach the organisation’s service.');
  await expectNoMachineWords(reports);
  await expectAccessible(reports);
  await reports.screenshot({ path: test.info().outputPath('reports-unreachable.png'), fullPage: true });
});
