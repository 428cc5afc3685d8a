/**
 * Chromium with the test build of the extension, and handles on the extension inside it. Used by the Playwright
 * fixtures and by the soak benchmark, which runs outside the test runner.
 */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Worker } from '@playwright/test';
import { chromiumPath, E2E_EXTENSION_DIR } from './paths';

export interface Extension {
  id: string;
  page(path: string): string;
  /** The background's service worker as it runs now (a stopped worker comes back as a new one). */
  worker(): Promise<Worker>;
  /** Stops the service worker the way Chrome does when it idles or crashes (DevTools Protocol `stopWorker`). */
  stopWorker(): Promise<void>;
}

/** Headless Chromium without the extension, for pages it plays no part in: the console, the widget. */
export function launchPlainChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
}

/**
 * Playwright fixtures for plain Chromium: `chrome`, one browser per test, and `page`, a page in a fresh context of it
 * opened with `contextOptions`. Spread into `test.extend`.
 */
export function plainChromiumFixtures(contextOptions: BrowserContextOptions = {}) {
  return {
    chrome: async ({}, use: (browser: Browser) => Promise<void>) => {
      const browser = await launchPlainChromium();
      await use(browser);
      await browser.close();
    },
    page: async ({ chrome }: { chrome: Browser }, use: (page: Page) => Promise<void>) => {
      const context = await chrome.newContext(contextOptions);
      await use(await context.newPage());
      await context.close();
    },
  };
}

/**
 * The same for a spec whose tests need nothing of a browser but a fresh context: one `chrome` for all of the file's
 * tests (a worker fixture: started once, not once a test), and `page` in a new context of it for each test, with its
 * own storage, cookies, cache and service workers, as before. Spread into `test.extend<{ page: Page }, { chrome: Browser }>`.
 */
export function sharedChromiumFixtures(contextOptions: BrowserContextOptions = {}) {
  const chrome: [(args: object, use: (browser: Browser) => Promise<void>) => Promise<void>, { scope: 'worker' }] = [
    async ({}, use) => {
      const browser = await launchPlainChromium();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ];
  return { chrome, page: plainChromiumFixtures(contextOptions).page };
}

/** Chromium with the test build of the extension, on a profile that may already hold the extension's data. */
export async function launchWithExtension(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
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
}

export async function extensionIn(context: BrowserContext): Promise<Extension> {
  const first = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(first.url()).host;
  const page = (path: string) => `chrome-extension://${id}/${path}`;
  /** A page of the extension's own origin, for DevTools Protocol calls about its service worker. */
  let controlPage: Page | undefined;
  const control = async () => {
    if (!controlPage || controlPage.isClosed()) {
      controlPage = await context.newPage();
      await controlPage.goto(page('reports.html'));
    }
    return controlPage;
  };
  return {
    id,
    page,
    async worker() {
      // Playwright keeps a stopped worker's handle until it notices; waking the worker and taking the newest is safe.
      const workers = context.serviceWorkers().filter((worker) => worker.url().startsWith(`chrome-extension://${id}/`));
      return workers.at(-1) ?? context.waitForEvent('serviceworker');
    },
    async stopWorker() {
      const cdp = await context.newCDPSession(await control());
      const running = new Promise<string>((resolve) =>
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          const version = versions.find((candidate) => candidate.scriptURL.startsWith(`chrome-extension://${id}/`) && candidate.runningStatus === 'running');
          if (version) resolve(version.versionId);
        }),
      );
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopWorker', { versionId: await running });
      await cdp.detach();
    },
  };
}

