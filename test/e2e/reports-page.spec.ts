/**
 * The reports page never shows what the person wrote or captured until they ask: each report's title is when it was
 * made and where it went, with its reference; the words and pages are behind the same kind of warning as pictures.
 * An unsent report offers "Continue".
 */
import { addOrganisation, expect, expectAccessible, test } from './fixtures';
import { expectReadableText } from './readable';

const WORDS = 'They called me a vile name and said people like me should leave';

test('the reports page shows neutral titles and keeps what was written and captured behind a click', async ({ context, extension, hub, site, openPopupFor }) => {
  await addOrganisation(context, extension, hub.url);
  const post = await context.newPage();
  await post.goto(site.url('/post.html'));

  // One report sent…
  const popup = await openPopupFor(post);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  await popup.getByLabel('What happened?').fill(WORDS);
  await popup.getByRole('button', { name: 'Send report' }).click();
  await expect(popup.getByTestId('reference')).toHaveText(/^OHR-/);
  const reference = (await popup.getByTestId('reference').textContent())!;
  await popup.close();
  // …and one started and left unsent.
  const again = await openPopupFor(post);
  await again.getByRole('button', { name: 'Report this page' }).click();
  await expect(again.getByText('Saved on this computer')).toBeVisible();
  await again.close();

  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  const cards = reports.getByTestId('report');
  await expect(cards).toHaveCount(2);
  const sent = cards.filter({ has: reports.getByTestId('reference') });
  const draft = cards.filter({ hasNot: reports.getByTestId('reference') });
  await expect(sent.getByRole('heading', { level: 2 })).toHaveText(/^Report of .+ to OHR reference hub$/);
  await expect(sent.getByTestId('reference')).toHaveText(reference);
  await expect(draft.getByRole('heading', { level: 2 })).toHaveText(/^Report started .+, not sent yet$/);

  // Nothing the person wrote or captured is on the page, not even for a screen reader.
  const body = reports.locator('body');
  for (const captured of [WORDS, 'A hateful post', 'abusive post', site.url('/post.html')]) await expect(body).not.toContainText(captured);
  await expect(sent.getByText('What you wrote and captured may be upsetting to read.')).toBeVisible();
  await expectAccessible(reports);
  await expectReadableText(reports);
  await reports.screenshot({ path: test.info().outputPath('reports-hidden.png'), fullPage: true });

  const show = sent.getByRole('button', { name: 'Show what you wrote and captured' });
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  await show.click();
  await expect(sent.getByTestId('sensitive-content')).toContainText(WORDS);
  await expect(sent.getByTestId('sensitive-content')).toContainText('A hateful post — Example forum');
  await expect(sent.getByRole('button', { name: 'Hide what you wrote and captured' })).toHaveAttribute('aria-expanded', 'true');
  await expect(draft.getByTestId('sensitive-content')).toBeHidden();
  await expectAccessible(reports);
  await reports.screenshot({ path: test.info().outputPath('reports-shown.png'), fullPage: true });
  await sent.getByRole('button', { name: 'Hide what you wrote and captured' }).click();
  await expect(body).not.toContainText(WORDS);

  // The unsent report carries on in the full form.
  const opened = context.waitForEvent('page');
  await draft.getByRole('button', { name: 'Continue this report' }).click();
  const form = await opened;
  await expect(form).toHaveURL(/\/report\.html\?draft=[0-9a-f-]{36}$/);
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('First, are you safe?');
});
