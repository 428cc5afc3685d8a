/**
 * The privacy policy ships inside the extension (docs/privacy.md rendered at build time) and the settings link to it:
 * a store reviewer, or the person, reads what is kept and sent without leaving the extension.
 */
import { expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';

test('the settings link to the privacy policy shipped in the extension, readable and accessible', async ({ context, extension }) => {
  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  await options.getByRole('link', { name: 'What this extension keeps and sends (privacy policy, in English)' }).click();
  await expect(options).toHaveURL(extension.page('privacy.html'));
  await expect(options.getByRole('heading', { level: 1 })).toHaveText('Privacy policy: Online Harms Reporter browser extension');
  await expect(options.getByRole('heading', { level: 2, name: 'What is sent, and to whom' })).toBeVisible();
  await expect(options.locator('main')).toContainText('no analytics, no telemetry');
  await expectAccessible(options);
  await expectReadableText(options);
  await options.screenshot({ path: test.info().outputPath('privacy-page.png'), fullPage: true });
});
