/**
 * Fixtures for the triage console's end-to-end tests: a hub of its own (PGlite, hub-folder.ts) with one moderator account,
 * and plain Chromium (the console needs no extension). Each spec names its account, so a failure says whose it was.
 */
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import { createModerator, NewModerator } from '../../hub/console/auth/accounts';
import { startHub, type RunningHub } from '../../hub/server';
import { plainChromiumFixtures } from './browser';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';
import { expect, test as base } from './fixtures';

export interface ConsoleAccount {
  email: string;
  password: string;
  role: 'moderator' | 'admin';
}

interface ConsoleFixtures {
  consoleHub: RunningHub;
  chrome: Browser;
  /** A page in a fresh context of `chrome`, with the options given to `consoleTest`. */
  page: Page;
}

/** A `test` whose hub has `account` as its one moderator, and whose pages open with `contextOptions`. */
export function consoleTest(account: ConsoleAccount, contextOptions: BrowserContextOptions = {}) {
  return base.extend<ConsoleFixtures>({
    consoleHub: async ({}, use) => {
      const dataDir = await hubFolder();
      const hub = await startHub({ port: 0, dataDir, config: { ...TEST_HUB_CONFIG, rateLimit: { enabled: false } } });
      const created = await createModerator(hub.db, NewModerator.parse(account), null);
      if (created.kind !== 'created') throw new Error(`moderator ${account.email} not created: ${created.kind}`);
      await use(hub);
      await hub.close();
      await removeHubFolder(dataDir);
    },
    ...plainChromiumFixtures(contextOptions),
  });
}

/** Signs `account` in on the page the console sent `page` to (the sign-in form), and waits for the queue. */
export async function signIn(page: Page, account: ConsoleAccount): Promise<void> {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console\/queue/);
}
