/**
 * Playwright fixtures for the whole path: a hub with its own database, a local site with test pages, and
 * Chromium with the built extension loaded. Each test gets fresh ones, so no test can lean on another's state.
 */
import { test as base, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WxtBrowser } from 'wxt/browser';
import type { HubConfigInput } from '../../hub/config';
import type { Item } from '../../lib/schema';
import { startHub, type RunningHub } from '../../hub/server';
import { extensionIn, launchWithExtension, type Extension } from './browser';
import { hubFolder, removeHubFolder, TEST_HUB_CONFIG } from './hub-folder';
import { PLATFORM_FIXTURES, serveDirectory } from './site-server';

/** The extension APIs inside `worker.evaluate` callbacks, which run in the service worker, not here. */
declare const chrome: WxtBrowser;

/** A hub that keeps its port and data folder across `stop()` and `start()`, like a server that goes down and up. */
export interface HubControl {
  readonly url: string;
  readonly running: RunningHub;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SQL against the hub's database (the hub must be running). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

interface Fixtures {
  /** Leave the welcome page the install opens (`test.use({ keepWelcomePage: true })`); closed otherwise. */
  keepWelcomePage: boolean;
  /** What the test's hub is configured with, over the defaults (`test.use({ hubConfig: … })`). */
  hubConfig: HubConfigInput;
  hub: HubControl;
  site: { origin: string; url(path: string): string };
  profileDir: string;
  context: BrowserContext;
  extension: Extension;
  /** Opens the toolbar popup for `page` in its own window, as a click on the toolbar button would. */
  openPopupFor(page: Page): Promise<Page>;
}

export const test = base.extend<Fixtures>({
  hubConfig: [{}, { option: true }],
  hub: async ({ hubConfig }, use) => {
    const dataDir = await hubFolder();
    const config: HubConfigInput = { ...TEST_HUB_CONFIG, ...hubConfig, logLevel: TEST_HUB_CONFIG.logLevel };
    let running = await startHub({ port: 0, dataDir, config });
    const port = running.port;
    let up = true;
    const control: HubControl = {
      url: running.url,
      get running() {
        return running;
      },
      async stop() {
        if (up) await running.close();
        up = false;
      },
      async start() {
        if (!up) running = await startHub({ port, dataDir, config });
        up = true;
      },
      query: (sql, params) => running.db.query(sql, params),
    };
    await use(control);
    await control.stop();
    await removeHubFolder(dataDir);
  },

  site: async ({}, use) => {
    const server = await serveDirectory(new URL('./site/', import.meta.url));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('test site has no port');
    const origin = `http://127.0.0.1:${address.port}`;
    await use({ origin, url: (path) => new URL(path, origin).href });
    // Chromium keeps connections alive; close them so the server can stop now rather than at their time-out.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  },

  profileDir: async ({}, use) => {
    const profile = await mkdtemp(join(tmpdir(), 'ohr-e2e-profile-'));
    await use(profile);
    await rm(profile, { recursive: true, force: true });
  },

  context: async ({ profileDir }, use) => {
    const context = await launchWithExtension(profileDir);
    await use(context);
    await context.close();
  },

  keepWelcomePage: [false, { option: true }],
  extension: async ({ context, keepWelcomePage }, use) => {
    const extension = await extensionIn(context);
    // A fresh profile installs the extension, which opens its welcome page in a new, active tab. Wait for it here, so
    // that no test's "wait for the next page" catches it instead, and close it (unless the test looks at it,
    // test/e2e/welcome.spec.ts), so the page a test captures is the one showing in the window.
    const isWelcome = (page: Page) => page.url() === extension.page('welcome.html');
    const welcome =
      context.pages().find(isWelcome) ??
      (await context.waitForEvent('page', { predicate: isWelcome, timeout: 10_000 }).catch(() => undefined));
    if (welcome && !keepWelcomePage) {
      await welcome.close();
      await context.pages()[0]?.bringToFront();
    }
    await use(extension);
  },

  openPopupFor: async ({ context, extension }, use) => {
    await use(async (page) => {
      const worker = await extension.worker();
      const tabId = await worker.evaluate((url) => chrome.tabs.query({ url }).then((tabs) => tabs[0]?.id), page.url());
      if (tabId === undefined) throw new Error(`no tab shows ${page.url()}`);
      const opened = context.waitForEvent('page');
      await worker.evaluate(
        (url) => chrome.windows.create({ url, type: 'popup', width: 400, height: 640 }).then(() => undefined),
        extension.page(`popup.html?tab=${tabId}`),
      );
      const popup = await opened;
      await popup.waitForLoadState();
      return popup;
    });
  },
});

export { expect, extensionIn, launchWithExtension, PLATFORM_FIXTURES, type Extension };

/** Adds an organisation through the real settings page, as a person would. */
export async function addOrganisation(context: BrowserContext, extension: Extension, url: string): Promise<void> {
  const options = await context.newPage();
  await options.goto(extension.page('options.html'));
  await options.getByLabel('Address of the reporting service').fill(url);
  await options.getByRole('button', { name: 'Look up' }).click();
  await options.getByRole('button', { name: /^Add / }).click();
  await expect(options.getByRole('status')).toContainText('added');
  await options.close();
}

/** Captures `page` from the popup and sends it with `summary` to the organisations ticked by default. */
export async function reportPage(popup: Page, summary: string): Promise<void> {
  await popup.getByRole('button', { name: 'Report this page' }).click();
  await expect(popup.getByText('Saved on this computer')).toBeVisible();
  await popup.getByLabel('What happened?').fill(summary);
  await popup.getByRole('button', { name: 'Send report' }).click();
  await expect(popup.getByText('will be sent to each organisation')).toBeVisible();
}

/** WCAG 2.2 AA through axe-core: every page the tests open is checked with this. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze();
  expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

/** What the e2e build of the background exposes as `self.ohrTest`: its own context-menu and shortcut listeners. */
interface TestHooks {
  onMenuClick(info: { menuItemId: string; frameId?: number }, tab: { id?: number }): Promise<{ ok: boolean; draftId?: string }>;
  onCommand(command: string, tab?: { id?: number }): Promise<{ ok: boolean; draftId?: string }>;
}

/**
 * Calls the background's own context-menu (`menuItemId`) or shortcut (`command`) listener for the tab showing `page`,
 * as choosing the menu item or pressing the keys would (Playwright can do neither), and expects a capture in a draft.
 */
export async function trigger(worker: Worker, page: Page, how: { menuItemId: string } | { command: string }): Promise<void> {
  const result = await worker.evaluate(async ({ url, how }) => {
    const hooks = Reflect.get(self, 'ohrTest') as TestHooks;
    const [tab] = await chrome.tabs.query({ url });
    if ('command' in how) return hooks.onCommand(how.command, { id: tab!.id });
    return hooks.onMenuClick({ menuItemId: how.menuItemId, frameId: 0 }, { id: tab!.id });
  }, { url: page.url(), how });
  expect(result).toEqual({ ok: true, draftId: expect.any(String) });
}

/** A report as the extension keeps it in its IndexedDB, being built (`draft`) or sent. */
export interface StoredDraft {
  items: Item[];
  status: string;
}

/** Every report the extension keeps, and every evidence file's bytes (base64) by hash, read in its service worker. */
export async function storedDrafts(worker: Worker): Promise<{ drafts: StoredDraft[]; artefacts: Record<string, string> }> {
  return worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('ohr');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error);
      });
    const drafts = await all<StoredDraft>('drafts');
    const artefacts = await all<{ sha256: string; bytes: Uint8Array }>('artefacts');
    db.close();
    const base64 = (bytes: Uint8Array) => {
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    };
    return { drafts, artefacts: Object.fromEntries(artefacts.map((artefact) => [artefact.sha256, base64(artefact.bytes)])) };
  });
}
