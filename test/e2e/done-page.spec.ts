/**
 * The report form's last page: each organisation's reference as soon as it arrives (the page says "received", no
 * longer "on its way"), and the support services the organisation lists in its discovery document.
 */
import type { Page } from '@playwright/test';
import { addOrganisation, expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';

test.use({ hubConfig: { supportLinks: [{ label: 'Victim Support: free and confidential help', url: 'https://www.victimsupport.org.uk/' }] } });

/** Through the form's steps to "Check your report", answering only what is asked for. */
async function fillTheForm(form: Page, summary: string): Promise<void> {
  const heading = form.getByRole('heading', { level: 2 });
  for (let step = 0; step < 15; step++) {
    const title = await heading.textContent();
    if (title === 'Check your report') return;
    if (title === 'What happened?') await form.getByLabel('In your own words, what happened?').fill(summary);
    if (title === 'How has it affected you?') await form.getByLabel('I would like to hear about support services').check();
    await form.getByRole('button', { name: 'Next' }).click();
    await expect(heading).not.toHaveText(title!);
  }
  throw new Error('the form never reached its check step');
}

test('the done page shows the reference when it arrives, and the organisation’s support links', async ({ context, extension, hub, site, openPopupFor }) => {
  await addOrganisation(context, extension, hub.url);
  const post = await context.newPage();
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  const opened = context.waitForEvent('page');
  await popup.getByRole('button', { name: /^Add more details/ }).click();
  const form = await opened;
  await popup.close();

  await fillTheForm(form, 'Abuse under my post');
  await expect(form.locator('dl.check')).toContainText('Captured items: 1');
  await expect(form.locator('main')).not.toContainText('item(s)');
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('Your report has been received', { timeout: 15_000 });
  const [stored] = await hub.query<{ reference: string }>('SELECT reference FROM reports');
  await expect(form.getByTestId('reference')).toHaveText(stored!.reference);
  await expect(form.getByTestId('delivery')).toContainText('OHR reference hub');

  const support = form.getByTestId('support');
  await expect(support).toContainText('You asked to hear about support services');
  const link = support.getByRole('link', { name: 'Victim Support: free and confidential help' });
  await expect(link).toHaveAttribute('href', 'https://www.victimsupport.org.uk/');
  await expect(link).toHaveAttribute('target', '_blank');
  await expectAccessible(form);
  await expectReadableText(form);
  await form.screenshot({ path: test.info().outputPath('done.png'), fullPage: true });

  // The same page in Arabic, right to left.
  await form.getByLabel('Language').selectOption('ar');
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('تم استلام بلاغك');
  await expectAccessible(form);
  await form.screenshot({ path: test.info().outputPath('done-ar.png'), fullPage: true });
});
