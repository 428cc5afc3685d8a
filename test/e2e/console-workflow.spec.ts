/**
 * The triage workflow end to end in real Chromium: the reporter's extension sends a report to a real hub; a moderator
 * made with the create-moderator command signs in to the consolePage, opens the report from the queue, looks at the
 * blurred evidence, moves the report to "in review", writes a note for the reporter and closes it with an outcome; the
 * extension's reports page then shows the new status and the note. axe-core checks every console page on the way.
 */
import { createModeratorCommand } from '../../hub/console/auth/cli';
import { addOrganisation, expect, expectAccessible, reportPage, test } from './fixtures';

const EMAIL = 'moderator@example.org';
const PASSWORD = 'correct horse battery stable';

test('a moderator reviews, answers and closes a report sent by the extension; the reporter sees the outcome', async ({ context, extension, hub, site, openPopupFor }) => {
  test.setTimeout(180_000); // the extension's capture and send, then a dozen console pages each checked by axe-core
  await addOrganisation(context, extension, hub.url);
  const post = context.pages()[0] ?? (await context.newPage());
  await post.goto(site.url('/post.html'));
  const popup = await openPopupFor(post);
  await reportPage(popup, 'Abuse aimed at my religion');
  const reference = (await popup.getByTestId('reference').textContent())!;
  expect(reference).toMatch(/^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await popup.close();

  const output: string[] = [];
  const created = await createModeratorCommand([EMAIL, '--admin'], { OHR_MODERATOR_PASSWORD: PASSWORD }, { log: (line) => output.push(line), error: (line) => output.push(line) }, { db: hub.running.db });
  expect(created, output.join('\n')).toBe(0);

  const consolePage = await context.newPage();
  const executed: string[] = [];
  consolePage.on('dialog', (dialog) => void executed.push(`dialog: ${dialog.message()}`).valueOf());
  await consolePage.goto(`${hub.url}/console`);
  await expect(consolePage).toHaveURL(/\/console\/login\?next=/);
  await expectAccessible(consolePage);
  await consolePage.getByLabel('Email').fill(EMAIL);
  await consolePage.getByLabel('Password').fill('a wrong password entirely');
  await consolePage.getByRole('button', { name: 'Sign in' }).click();
  await expect(consolePage.getByRole('alert')).toContainText('The email or password is wrong');
  await expectAccessible(consolePage);
  await consolePage.getByLabel('Email').fill(EMAIL);
  await consolePage.getByLabel('Password').fill(PASSWORD);
  await consolePage.getByRole('button', { name: 'Sign in' }).click();
  await expect(consolePage).toHaveURL(/\/console\/queue/);
  // Chromium keeps a Secure, __Host- cookie for http://127.0.0.1: loopback counts as a secure context.
  const [cookie] = (await context.cookies(hub.url)).filter((entry) => entry.name === '__Host-ohr_session');
  expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
  await expectAccessible(consolePage);
  await consolePage.getByRole('link', { name: new RegExp(reference) }).first().click();
  await expect(consolePage.getByRole('heading', { level: 1 })).toHaveText(`Report ${reference}`);
  await expect(consolePage.getByText('Abuse aimed at my religion')).toBeVisible();
  await expect(consolePage.getByTestId('integrity')).toContainText('Evidence verified');
  const image = consolePage.getByTestId('evidence-image');
  await expect(image).toHaveCSS('filter', /blur/);
  await consolePage.getByLabel('Show').check();
  await expect(image).toHaveCSS('filter', 'none');
  expect(await image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBeGreaterThan(0);
  await expectAccessible(consolePage);

  await consolePage.getByLabel('Move to').selectOption({ label: 'being reviewed' });
  await consolePage.getByRole('button', { name: 'Change status' }).click();
  await expect(consolePage.getByRole('status')).toHaveText('Status changed.');
  await expect(consolePage.getByTestId('status')).toHaveText('being reviewed');

  await consolePage.getByRole('textbox', { name: 'Note the reporter sees' }).fill('We have referred this to the police hate crime unit.');
  await consolePage.getByRole('button', { name: 'Save note for the reporter' }).click();
  await expect(consolePage.getByTestId('public-note')).toHaveText('We have referred this to the police hate crime unit.');

  await consolePage.getByLabel('Move to').selectOption({ label: 'closed' });
  await consolePage.getByRole('button', { name: 'Change status' }).click();
  await expect(consolePage.getByRole('alert')).toContainText('Choose an outcome');
  await expectAccessible(consolePage);
  await consolePage.getByLabel('Move to').selectOption({ label: 'closed' });
  await consolePage.getByLabel('Outcome (only when closing)').selectOption({ label: 'referred to the police' });
  await consolePage.getByRole('button', { name: 'Change status' }).click();
  await expect(consolePage.getByTestId('status')).toHaveText('closed');
  // The trail in sentences, naming the moderator (by email: they gave no name): each change, and their opening of the picture.
  const trail = consolePage.getByTestId('audit-row');
  await expect(trail).toHaveCount(4);
  for (const sentence of [
    `${EMAIL} opened a piece of evidence.`,
    `${EMAIL} changed the status from received to being reviewed.`,
    `${EMAIL} wrote a note for the reporter.`,
    `${EMAIL} closed the report as “referred to the police” (it was being reviewed).`,
  ]) {
    await expect(trail.filter({ hasText: sentence })).toHaveCount(1);
  }
  await expectAccessible(consolePage);

  await consolePage.getByRole('link', { name: 'Admin' }).click();
  await expect(consolePage.getByTestId('moderator')).toHaveCount(1);
  await expectAccessible(consolePage);
  await consolePage.getByRole('link', { name: 'Your account' }).click();
  await expect(consolePage.getByTestId('totp-state')).toContainText('Two-step sign-in is off');
  await expect(consolePage.getByRole('img', { name: 'QR code to add this account to an authenticator app' })).toBeVisible();
  await expectAccessible(consolePage);
  await consolePage.getByRole('button', { name: 'Sign out' }).click();
  await expect(consolePage).toHaveURL(/\/console\/login$/);
  expect((await context.cookies(hub.url)).filter((entry) => entry.name === '__Host-ohr_session')).toEqual([]);
  expect(executed).toEqual([]);

  const reports = await context.newPage();
  await reports.goto(extension.page('reports.html'));
  await reports.getByRole('button', { name: 'Check for updates' }).click();
  const remote = reports.getByTestId('remote-status');
  await expect(remote).toContainText('Status: closed');
  await expect(remote).toContainText('referred to the police');
  await expect(remote).toContainText('We have referred this to the police hate crime unit.');
});
