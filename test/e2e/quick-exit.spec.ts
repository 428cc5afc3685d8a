/**
 * "Leave this page quickly" on every extension page: the button and Esc twice replace the page and its history entry
 * with a neutral one, so Back does not bring it back. From the toolbar popup, the page being reported is replaced
 * and the popup closes.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';

const NEUTRAL = 'https://www.bbc.co.uk/weather';

/** The neutral page, served here: the test machine has no way out to the internet. */
async function serveNeutralPage(context: BrowserContext): Promise<void> {
  await context.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title><p>Sunny</p>' }));
}

async function leaves(page: Page, how: 'button' | 'escape'): Promise<void> {
  if (how === 'button') await page.getByRole('button', { name: 'Leave this page quickly' }).click();
  else {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  }
  await expect(page).toHaveURL(NEUTRAL);
  await expect(page.getByText('Sunny')).toBeVisible();
  // The entry was replaced, not added to: Back goes to where the tab was before the extension page, not to it.
  await page.goBack();
  await expect(page).toHaveURL('about:blank');
}

for (const [name, path] of [
  ['the reports page', 'reports.html'],
  ['the settings', 'options.html'],
  ['the report form', 'report.html'],
  ['the welcome page', 'welcome.html'],
] as const) {
  for (const how of ['button', 'escape'] as const) {
    test(`${name}: ${how === 'button' ? 'the quick exit button' : 'Esc twice'} replaces the page and its history entry`, async ({ context, extension }) => {
      await serveNeutralPage(context);
      const page = await context.newPage();
      await page.goto(extension.page(path));
      await expect(page.getByRole('button', { name: 'Leave this page quickly' })).toBeVisible();
      await expect(page.getByText('Or press Esc twice.')).toBeVisible();
      if (how === 'button') {
        await expectAccessible(page);
        await expectReadableText(page);
        await page.screenshot({ path: test.info().outputPath(`${path.replace('.html', '')}.png`) });
      }
      await leaves(page, how);
    });
  }
}

test('a single Esc does nothing: only two in quick succession leave', async ({ context, extension }) => {
  await serveNeutralPage(context);
  const page = await context.newPage();
  await page.goto(extension.page('reports.html'));
  await page.keyboard.press('Escape');
  await page.keyboard.press('a');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  await expect(page).toHaveURL(extension.page('reports.html'));
});

for (const how of ['button', 'escape'] as const) {
  test(`the popup: ${how === 'button' ? 'the quick exit button' : 'Esc twice'} replaces the page being reported and closes the popup`, async ({ context, site, openPopupFor }) => {
    await serveNeutralPage(context);
    const post = await context.newPage();
    await post.goto(site.url('/post.html'));
    const popup = await openPopupFor(post);
    await expect(popup.getByRole('button', { name: 'Leave this page quickly' })).toBeVisible();
    if (how === 'button') {
      await expectAccessible(popup);
      await expectReadableText(popup);
      await popup.screenshot({ path: test.info().outputPath('popup.png') });
    }
    const closed = popup.waitForEvent('close');
    if (how === 'button') await popup.getByRole('button', { name: 'Leave this page quickly' }).click();
    else {
      await popup.keyboard.press('Escape');
      // The popup can close between the second Esc going down and coming up.
      await popup.keyboard.press('Escape').catch((error: Error) => expect(error.message).toContain('closed'));
    }
    await closed;
    await expect(post).toHaveURL(NEUTRAL);
    await expect(post.getByText('Sunny')).toBeVisible();
    await post.goBack();
    await expect(post).toHaveURL('about:blank');
  });
}
