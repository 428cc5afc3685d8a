/**
 * Playwright fixtures for the whole path: a hub with its own database, a local site with test pages, and
 * Chromium with the built extension loaded. Each test gets fresh ones, so no test can lean on another's state.
 */
import { test as base, chromium, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '../../hub/server';
import type { WxtBrowser } from 'wxt/browser';
import { chromiumPath, E2E_EXTENSION_DIR } from './paths';

/** The extension APIs inside `worker.evaluate` callbacks, which run in the service worker, not here. */
declare const chrome: WxtBrowser;

type Hub = Awaited<ReturnType<typeof startHub>>;

interface Fixtures {
  hub: Hub;
  site: { origin: string; url(path: string): string };
  context: BrowserContext;
  extension: { id: string; worker: Worker; page(path: string): string };
  /** Opens the toolbar popup for `page` in its own window, as a click on the toolbar button would. */
  openPopupFor(page: Page): Promise<Page>;
}

export const test = base.extend<Fixtures>({
  hub: async ({}, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ohr-e2e-hub-'));
    const hub = await startHub({ port: 0, dataDir });
    await use(hub);
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
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

  context: async ({}, use) => {
    const profile = await mkdtemp(join(tmpdir(), 'ohr-e2e-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      viewport: { width: 1280, height: 720 },
      args: [
        `--disable-extensions-except=${E2E_EXTENSION_DIR}`,
        `--load-extension=${E2E_EXTENSION_DIR}`,
        '--no-sandbox',
        '--no-first-run',
        // The network here is closed: without these Chromium keeps trying to reach outside hosts.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await use(context);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  },

  extension: async ({ context }, use) => {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const id = new URL(worker.url()).host;
    await use({ id, worker, page: (path) => `chrome-extension://${id}/${path}` });
  },

  openPopupFor: async ({ context, extension }, use) => {
    await use(async (page) => {
      const tabId = await extension.worker.evaluate(
        (url) => chrome.tabs.query({ url }).then((tabs) => tabs[0]?.id),
        page.url(),
      );
      if (tabId === undefined) throw new Error(`no tab shows ${page.url()}`);
      const opened = context.waitForEvent('page');
      await extension.worker.evaluate(
        (url) => chrome.windows.create({ url, type: 'popup', width: 400, height: 640 }).then(() => undefined),
        extension.page(`popup.html?tab=${tabId}`),
      );
      const popup = await opened;
      await popup.waitForLoadState();
      return popup;
    });
  },
});

export { expect };

/** WCAG 2.2 AA through axe-core: every page the tests open is checked with this. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze();
  expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

async function serveDirectory(root: URL): Promise<Server> {
  const server = createServer(async (request, response) => {
    const name = new URL(request.url ?? '/', 'http://site').pathname.replace(/^\/+/, '') || 'post.html';
    if (!/^[\w-]+\.html$/.test(name)) return void response.writeHead(404).end();
    try {
      const body = await readFile(new URL(name, root));
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
