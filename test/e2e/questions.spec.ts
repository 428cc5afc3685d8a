/**
 * Questions and answers end to end in real Chromium with the built extension and a real hub: a moderator asks the
 * reporter a question from the console (a form, no script; the report moves to "more information needed"); the
 * reporter sees it on the extension's reports page, answers, and is told the answer was sent; the moderator sees the
 * answer in the report view and the report back in review. axe-core on each new screen; screenshots into scratch/.
 */
import { createModeratorCommand } from '../../hub/console/auth/cli';
import { addOrganisation, expect, expectAccessible, reportPage, test } from './fixtures';
import { expectReadableText } from './readable';

const EMAIL = 'asker@example.org';
const PASSWORD = 'correct horse battery stable';
const QUESTION = 'Do you know which account sent the second message?';
const ANSWER = 'Yes, it was the account called @neighbour_99. It also posted about me yesterday.';
const SHOTS = new URL('../../scratch/', import.meta.url).pathname;

test('a moderator asks a question; the reporter answers from the extension; the moderator sees the answer', async ({ context, extension, hub, site, openPopupFor }) => {
  test.setTimeout(180_000);
  await addOrganisation(context, extension, hub.url);
  const post = context.pages()[0] ?? (await context.newPage());
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await reportPage(popup, 'Abuse aimed at my religion');
  const reference = (await popup.getByTestId('reference').textContent())!;
  await popup.close();

  const output: string[] = [];
  const created = await createModeratorCommand([EMAIL], { OHR_MODERATOR_PASSWORD: PASSWORD }, { log: (line) => output.push(line), error: (line) => output.push(line) }, { db: hub.running.db });
  expect(created, output.join('\n')).toBe(0);

  // The moderator asks.
  const consolePage = await context.newPage();
  await consolePage.goto(`${hub.url}/console/reports/${reference}`);
  await consolePage.getByLabel('Email').fill(EMAIL);
  await consolePage.getByLabel('Password').fill(PASSWORD);
  await consolePage.getByRole('button', { name: 'Sign in' }).click();
  await expect(consolePage.getByRole('heading', { level: 1 })).toHaveText(`Report ${reference}`);
  await consolePage.getByRole('textbox', { name: 'Ask the reporter a question' }).fill(QUESTION);
  await consolePage.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(consolePage.getByRole('status')).toContainText('Question asked');
  await expect(consolePage.getByTestId('status')).toHaveText('more information needed');
  await expect(consolePage.getByTestId('question')).toContainText(QUESTION);
  await expect(consolePage.getByTestId('question')).toContainText('Not answered yet.');
  await expectAccessible(consolePage);
  await consolePage.locator('#questions-heading').scrollIntoViewIfNeeded();
  await consolePage.screenshot({ path: `${SHOTS}questions-console-asked.png` });

  // The reporter captures one more page with the usual "Report this page", then answers on the reports page.
  await post.bringToFront();
  const more = await openPopupFor(post);
  await more.getByRole('button', { name: 'Report this page' }).click();
  await expect(more.getByText('Saved on this computer')).toBeVisible();
  await more.close();
  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  await reports.getByRole('button', { name: 'Check for updates' }).click();
  const question = reports.getByTestId('question');
  await expect(question).toContainText(QUESTION);
  await expect(question.getByRole('heading', { level: 3 })).toHaveText('OHR reference hub asked you a question');
  await expectAccessible(reports);
  await expectReadableText(reports);
  await reports.evaluate(() => window.scrollTo(0, 0));
  await reports.screenshot({ path: `${SHOTS}questions-extension-asked.png`, fullPage: true });

  // An empty answer is caught in words; then the answer goes.
  await question.getByRole('button', { name: 'Send your answer' }).click();
  await expect(question.getByText('Write your answer first.')).toBeVisible();
  await expectAccessible(reports);
  await question.getByRole('textbox', { name: 'Your answer' }).fill(ANSWER);
  await question.getByRole('checkbox', { name: /^Add the pages you captured in the report started .+ \(pages: 1\)$/ }).check();
  await question.getByRole('button', { name: 'Send your answer' }).click();
  await expect(question.getByTestId('answer-state')).toHaveText('Your answer was sent to OHR reference hub.');
  await expect(question).toContainText(ANSWER);
  // The page's next status check carries the hub's copy of the answer; still one answer, still shown as sent, and
  // the report back in review.
  await reports.getByRole('button', { name: 'Check for updates' }).click();
  await expect(reports.getByText('Status: being reviewed')).toBeVisible();
  await expect(question.getByTestId('answer-state')).toHaveText('Your answer was sent to OHR reference hub.');
  await expectAccessible(reports);
  await reports.evaluate(() => window.scrollTo(0, 0));
  await reports.screenshot({ path: `${SHOTS}questions-extension-sent.png`, fullPage: true });
  await expect(question.getByText('Pages added with your answer: 1')).toBeVisible();
  const stored = await hub.query<{ body: string; items: Array<{ url: string }> }>('SELECT body, items FROM report_answers');
  expect(stored).toEqual([{ body: ANSWER, items: [expect.objectContaining({ url: site.url('/post.html') })] }]);
  // The unsent report whose capture went with the answer is gone from the list: it was not a report of its own.
  await expect(reports.getByTestId('report')).toHaveCount(1);

  // The moderator sees the answer, and the report is back in review.
  await consolePage.reload();
  await expect(consolePage.getByTestId('status')).toHaveText('being reviewed');
  await expect(consolePage.getByTestId('answer')).toContainText(ANSWER);
  const added = consolePage.getByTestId('answer');
  await expect(added.getByRole('heading', { name: 'Items the reporter added (1)' })).toBeVisible();
  const picture = added.getByTestId('evidence-image').first();
  await expect(picture).toHaveCSS('filter', /blur/);
  await added.getByLabel('Show').first().check();
  await expect(picture).toHaveCSS('filter', 'none');
  expect(await picture.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBeGreaterThan(0);
  await expect(consolePage.getByTestId('audit-row').filter({ hasText: 'The reporter answered a question and added 1 captured item.' })).toHaveCount(1);
  await expectAccessible(consolePage);
  await consolePage.locator('#questions-heading').scrollIntoViewIfNeeded();
  await consolePage.screenshot({ path: `${SHOTS}questions-console-answered.png` });
});
