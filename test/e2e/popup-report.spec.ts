/**
 * The popup always says which report the person is adding to (when it was started, what it holds) and whether the
 * page open now is in it, so an older page is never sent by mistake; and it asks the first urgency question.
 */
import { addOrganisation, expect, expectAccessible, test } from './fixtures';
import { expectOnFirstScreen, expectReadableText } from './readable';

test('the popup names the report being built and the page open now, and asks whether anyone is in danger', async ({ context, extension, hub, site, openPopupFor }) => {
  await addOrganisation(context, extension, hub.url);
  const first = await context.newPage();
  await first.goto(site.url('/post.html'));
  let popup = await openPopupFor(first);
  await popup.getByRole('button', { name: 'Report this page' }).click();
  let which = popup.getByTestId('which-report');
  await expect(which.getByRole('heading', { level: 2 })).toHaveText(/^Report started .+, not sent yet$/);
  await expect(which.getByRole('status')).toHaveText('Saved on this computer: a new report with this page. Nothing has been sent yet.');
  await expect(popup.getByTestId('page-now')).toHaveText('The page open now, “A hateful post — Example forum”, is in this report.');
  await expect(popup.getByRole('heading', { name: 'Captured items: 1' })).toBeVisible();
  await expect(popup.locator('body')).not.toContainText('item(s)');
  // The page's screenshot and a post's picture are both "pictures", shown or blurred with the same words.
  await expect(popup.getByRole('button', { name: 'Show picture' })).toHaveCount(1);
  await expect(popup.getByText('This picture may show upsetting content.')).toBeVisible();
  await expect(popup.locator('body')).not.toContainText('screenshot');
  // At Chromium's largest popup, 800×600: which page this is, "What happened?" and Send without scrolling; the
  // picture a small blurred thumbnail below them.
  await popup.setViewportSize({ width: 800, height: 600 });
  await expectOnFirstScreen(popup, [popup.getByTestId('page-now'), popup.getByLabel('What happened?'), popup.getByRole('button', { name: 'Send report' })]);
  const thumbnail = popup.getByTestId('screenshot');
  await expect(thumbnail).toHaveCSS('filter', /blur/);
  expect((await thumbnail.boundingBox())!.width).toBeLessThanOrEqual(120);
  await expectReadableText(popup);
  await popup.close();

  // Another page, later: the popup opens on the waiting report and says this page is not in it.
  const second = await context.newPage();
  await second.goto(site.url('/platforms/bluesky/metascraper-thread-image-post.html'));
  popup = await openPopupFor(second);
  which = popup.getByTestId('which-report');
  await expect(which.getByRole('status')).toHaveText(/^You have not sent this report yet\./);
  const pageNow = popup.getByTestId('page-now');
  await expect(pageNow).toHaveAttribute('data-in-report', 'false');
  await expect(pageNow).toContainText('is not in this report. Add it, or start a new report with it.');
  await expect(popup.getByTestId('captured-item')).toHaveCount(1);
  await expectAccessible(popup);
  await expectReadableText(popup);
  await popup.screenshot({ path: test.info().outputPath('popup-older-report.png'), fullPage: true });

  await popup.getByRole('button', { name: 'Add this page to this report' }).click();
  await expect(which.getByRole('status')).toHaveText('Saved on this computer: this page is now in the report below. Nothing has been sent yet.');
  await expect(popup.getByTestId('captured-item')).toHaveCount(2);
  await expect(pageNow).toHaveAttribute('data-in-report', 'true');

  // The quick send asks the first urgency question, and a yes says what to do now.
  const danger = popup.getByRole('group', { name: 'Are you or someone else in danger right now?' });
  await danger.getByLabel('Yes').check();
  await expect(popup.getByTestId('urgent')).toContainText('Call 999 now.');
  await expectAccessible(popup);
  await popup.screenshot({ path: test.info().outputPath('popup-danger.png'), fullPage: true });
  await popup.getByLabel('What happened?').fill('Threats against me on two sites');
  await popup.getByRole('button', { name: 'Send report' }).click();
  await expect(popup.getByTestId('reference')).toHaveText(/^OHR-/, { timeout: 15_000 });
  const [stored] = await hub.query<{ urgent: boolean; body: { urgency: Record<string, boolean>; items: unknown[] } }>('SELECT urgent, body FROM reports');
  expect(stored!.urgent).toBe(true);
  expect(stored!.body.urgency).toEqual({ immediateDanger: true, perpetratorIdentityKnown: false, relatesToFutureEvent: false });
  expect(stored!.body.items).toHaveLength(2);
});
