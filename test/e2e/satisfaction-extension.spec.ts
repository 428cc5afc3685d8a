/**
 * Satisfaction and monitoring in the extension, against a real hub: after sending, the done page offers the optional
 * monitoring questions (why, aggregate only, each with "prefer not to say"); the answers reach the hub apart from the
 * report. Once the organisation closes the report, the reports page asks the satisfaction question; the answer reaches
 * the hub and the question turns into thanks. axe at 0 violations on both.
 */
import type { Page } from '@playwright/test';
import { addOrganisation, expect, expectAccessible, test } from './fixtures';

/** Through the form's steps to "Check your report", answering only what is asked for. */
async function fillTheForm(form: Page, summary: string): Promise<void> {
  const heading = form.getByRole('heading', { level: 2 });
  for (let step = 0; step < 15; step++) {
    const title = await heading.textContent();
    if (title === 'Check your report') return;
    if (title === 'What happened?') await form.getByLabel('In your own words, what happened?').fill(summary);
    await form.getByRole('button', { name: 'Next' }).click();
    await expect(heading).not.toHaveText(title!);
  }
  throw new Error('the form never reached its check step');
}

test('monitoring after sending, then the satisfaction question once the report is closed', async ({ context, extension, hub, site, openPopupFor }) => {
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
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(form.getByRole('heading', { level: 2 })).toHaveText('Your report has been received', { timeout: 15_000 });

  const monitoring = form.getByTestId('monitoring');
  await expect(monitoring).toContainText('used only in counts of many people');
  await expect(monitoring.getByRole('radio', { name: 'Prefer not to say' })).toHaveCount(6);
  await expect(monitoring.getByRole('group', { name: 'Asian, Asian British or Asian Welsh' }).getByRole('radio')).toHaveCount(5);
  await expectAccessible(form);
  await form.screenshot({ path: 'scratch/monitoring-done-page.png', fullPage: true });
  await monitoring.getByRole('group', { name: 'What is your ethnic group?' }).getByRole('radio', { name: 'Caribbean', exact: true }).check();
  await monitoring.getByRole('group', { name: 'What is your religion?' }).getByRole('radio', { name: 'Prefer not to say' }).check();
  await monitoring.getByRole('button', { name: 'Send my answers' }).click();
  await expect(form.getByTestId('monitoring-done')).toHaveText('Thank you. Your answers were sent.');
  const [reference] = await hub.query<{ reference: string }>('SELECT reference FROM reports');
  const rows = await hub.query<Record<string, unknown>>('SELECT * FROM monitoring_answers');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ ethnic_group: 'black_caribbean', ethnic_group_broad: 'black', religion: 'prefer_not_to_say', age_band: null });
  expect(JSON.stringify(rows)).not.toContain(reference!.reference);

  // The organisation closes the report (the console's part, tested elsewhere).
  await hub.query(`UPDATE reports SET status = 'closed', outcome = 'actioned', updated_at = now() WHERE reference = $1`, [reference!.reference]);
  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  const question = reports.getByRole('group', { name: 'How satisfied are you with how your report was handled?' });
  await expect(question).toBeVisible({ timeout: 20_000 });
  await expectAccessible(reports);
  await reports.screenshot({ path: 'scratch/satisfaction-reports-page.png', fullPage: true });
  await question.getByRole('radio', { name: 'Very satisfied' }).check();
  await reports.getByLabel(/Is there anything you want to tell us/).fill('Kind and quick.');
  await reports.getByRole('button', { name: 'Send my answer' }).click();
  await expect(reports.getByText('You have answered this question. Thank you.')).toBeVisible();
  await expect(reports.getByRole('radio', { name: 'Very satisfied' })).toHaveCount(0);
  expect(await hub.query('SELECT score, comment FROM satisfaction_answers')).toEqual([{ score: 5, comment: 'Kind and quick.' }]);
  await expectAccessible(reports);
});
