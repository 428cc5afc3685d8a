/**
 * A new organisation's first hour with the console, in real Chromium against a hub started by the real command line
 * (`main`, as `npm run hub` runs it): the hub prints its console address and a one-time setup link; the hub's own page
 * links to the console; the first admin is made in the browser, signs in and changes their password; they add a
 * moderator, make a reset link for them, the moderator chooses a new password with it, and the admin disables the
 * account after a confirmation page. axe-core checks every new page, text is at least 16 px, and a screenshot of each
 * new page goes to scratch/ for a person to look at.
 */
import type { Browser, Page } from '@playwright/test';
import { main } from '../../hub/cli';
import type { RunningHub } from '../../hub/server';
import { plainChromiumFixtures } from './browser';
import { expect, expectAccessible, test as base } from './fixtures';
import { expectReadableText } from './readable';

const ADMIN = { email: 'first.admin@centre.example', password: 'the first admin chose this', changed: 'and later changed it to this' };
const MODERATOR = { email: 'new.moderator@centre.example', password: 'given by the admin at first', chosen: 'chosen with the reset link' };

interface FirstRunFixtures {
  /** A hub started by the command line, with what it printed. */
  started: { hub: RunningHub; banner: string[] };
  chrome: Browser;
  page: Page;
}

const test = base.extend<FirstRunFixtures>({
  started: async ({}, use) => {
    const banner: string[] = [];
    const io = { log: (line: string) => void banner.push(line), error: (line: string) => void banner.push(line) };
    const result = await main(['--port', '0', '--data', 'memory://'], { OHR_LOG_LEVEL: 'warn', OHR_RATE_LIMIT: 'false', OHR_SHUTDOWN_GRACE_MS: '0' }, io);
    if (!('hub' in result)) throw new Error(`the hub did not start:\n${banner.join('\n')}`);
    await use({ hub: result.hub, banner });
    await result.hub.close();
  },
  ...plainChromiumFixtures({ viewport: { width: 1100, height: 900 } }),
});

/** axe-core, the 16 px rule, and a full-page screenshot in scratch/ to look at. */
async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page);
  await expectReadableText(page);
  await page.screenshot({ path: `scratch/first-run-${name}.png`, fullPage: true });
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a fresh hub prints a setup link; the first admin is made in the browser and runs the accounts', async ({ started, page, chrome }) => {
  test.setTimeout(180_000); // a dozen pages, each checked by axe-core, on a small shared machine
  const { hub, banner } = started;
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => void dialogs.push(dialog.message()).valueOf());

  // What the terminal says: where the hub and its console are, and the one-time link.
  expect(banner[0]).toContain(`OHR hub listening on ${hub.url}`);
  expect(banner).toContain(`Triage console: ${hub.url}/console`);
  const setupLink = banner.map((line) => line.trim()).find((line) => line.startsWith(`${hub.url}/console/setup?token=`));
  expect(setupLink, banner.join('\n')).toBeDefined();

  // The hub’s own page links staff to the console, which asks them to sign in.
  await page.goto(`${hub.url}/`);
  await page.getByRole('link', { name: 'Staff sign-in' }).click();
  await expect(page).toHaveURL(/\/console\/login/);

  // The setup page: a weak password is refused in words, then the first admin is made.
  await page.goto(setupLink!);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up the first admin account');
  await checkPage(page, 'setup');
  await page.getByLabel('Your email').fill(ADMIN.email);
  await page.getByLabel('Choose a password').fill('password1234');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('alert')).toHaveText('The account was not created: see below.');
  await expect(page.getByText('This password is on the list of the most common ones')).toBeVisible();
  await checkPage(page, 'setup-problem');
  await page.getByLabel('Choose a password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Admin account created');
  await checkPage(page, 'setup-done');

  // The link is spent: opening it again says so and points to sign-in.
  await page.goto(setupLink!);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This hub is already set up');
  await checkPage(page, 'setup-used');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/console\/queue/);

  // Change the password: the wrong current one is refused, then the change is confirmed.
  await page.getByRole('link', { name: 'Your account' }).click();
  await page.getByLabel('Current password').fill('not the password');
  await page.getByLabel('New password').fill(ADMIN.changed);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('That password is not right').first()).toBeVisible();
  await page.getByLabel('Current password').fill(ADMIN.password);
  await page.getByLabel('New password').fill(ADMIN.changed);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your password is changed. Every other session of your account has ended.');
  await checkPage(page, 'account-password');

  // Add a moderator and make a reset link for them.
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByLabel('Email').fill(MODERATOR.email);
  await page.getByLabel('Password', { exact: true }).fill(MODERATOR.password);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('status')).toHaveText('Account added.');
  await page.getByRole('button', { name: `Make a password reset link for ${MODERATOR.email}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Password reset link for ${MODERATOR.email}`);
  await expect(page.getByText('no mail server is set')).toBeVisible();
  await checkPage(page, 'reset-link');
  const resetLink = await page.getByLabel('Reset link').inputValue();
  expect(resetLink).toMatch(new RegExp(`^${hub.url}/console/reset\\?token=`));

  // The moderator, in a browser of their own, chooses a new password with the link and signs in with it.
  const theirs = await (await chrome.newContext()).newPage();
  await theirs.goto(resetLink);
  await expect(theirs.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  await expect(theirs.getByText(MODERATOR.email)).toBeVisible();
  await checkPage(theirs, 'reset');
  await theirs.getByLabel('New password').fill(MODERATOR.chosen);
  await theirs.getByRole('button', { name: 'Save new password' }).click();
  await expect(theirs.getByRole('heading', { level: 1 })).toHaveText('Password changed');
  await checkPage(theirs, 'reset-done');
  await theirs.goto(resetLink);
  await expect(theirs.getByRole('heading', { level: 1 })).toHaveText('This reset link does not work');
  await checkPage(theirs, 'reset-used');
  await theirs.goto(`${hub.url}/console`);
  await signIn(theirs, MODERATOR.email, MODERATOR.chosen);
  await expect(theirs).toHaveURL(/\/console\/queue/);

  // The admin disables the account: a confirmation page first, then the moderator's session is gone.
  await page.getByRole('link', { name: 'Back to the accounts' }).click();
  await page.getByRole('link', { name: `Disable ${MODERATOR.email}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Disable ${MODERATOR.email}?`);
  await checkPage(page, 'disable-confirm');
  await page.getByRole('button', { name: `Yes, disable ${MODERATOR.email}` }).click();
  await expect(page.getByRole('status')).toHaveText('Account disabled. Its sessions have ended.');
  await expect(page.getByTestId('moderator').filter({ hasText: MODERATOR.email })).toContainText('disabled');
  await checkPage(page, 'admin-after-disable');
  await theirs.reload();
  await expect(theirs).toHaveURL(/\/console\/login/);

  // The admin's new password is the one that works now.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole('alert')).toContainText('The email or password is wrong');
  await signIn(page, ADMIN.email, ADMIN.changed);
  await expect(page).toHaveURL(/\/console\/queue/);
  expect(dialogs).toEqual([]);
});
