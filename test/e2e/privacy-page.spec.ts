/**
 * The privacy policy ships inside the extension (docs/privacy.md rendered at build time) and the settings link to it:
 * a store reviewer, or the person, reads what is kept and sent without leaving the extension.
 */
import { expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';

test('the settings link to the privacy policy shipped in the extension, readable and accessible', async ({ context, extension }) => {
  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  await options.screenshot({ path: test.info().outputPath('options-privacy-link.png'), fullPage: true });
  await options.getByRole('link', { name: 'What this extension keeps and sends (privacy policy, in English)' }).click();
  await expect(options).toHaveURL(extension.page('privacy.html'));
  await expect(options.getByRole('heading', { level: 1 })).toHaveText('Privacy policy: Online Harms Reporter browser extension');
  await expect(options.getByRole('heading', { level: 2, name: 'What is sent, and to whom' })).toBeVisible();
  await expect(options.locator('main')).toContainText('no analytics, no telemetry');
  await expect(options.getByRole('button', { name: 'Leave this page quickly' })).toBeVisible();
  await expectAccessible(options);
  await expectReadableText(options);
  await options.screenshot({ path: test.info().outputPath('privacy-page.png'), fullPage: true });
  // The same quick exit as every extension page: the page and its history entry are replaced.
  await context.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title><p>Sunny</p>' }));
  await options.getByRole('button', { name: 'Leave this page quickly' }).click();
  await expect(options).toHaveTitle('Weather');
  await options.goBack();
  await expect(options).toHaveURL(extension.page('options.html'));
});
