/**
 * Stock Firefox (Debian's firefox-esr) with the e2e build of the extension, driven by puppeteer-core over WebDriver
 * BiDi: Playwright drives only its own patched Firefox. What this works around is Firefox's, and written down in
 * test/README.md ("Firefox"): extension pages send no BiDi load events, and are reachable only with system access.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../wxt.config';

export const FIREFOX_E2E_DIR = fileURLToPath(new URL('../../.output/firefox-mv3-e2e', import.meta.url));

/** Debian's Firefox ESR by default; FIREFOX_PATH points elsewhere (another distribution's Firefox, a Nightly). */
export function firefoxPath(): string {
  const path = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(path)) {
    throw new Error(`No Firefox at ${path}. Install it (Debian/Ubuntu: apt-get install firefox-esr) or set FIREFOX_PATH to a Firefox binary.`);
  }
  return path;
}

export interface FirefoxWithExtension {
  browser: Browser;
  /** `moz-extension://<uuid>/<path>`: the UUID is fixed through a pref keyed on the gecko id. */
  page(path: string): string;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(): Promise<FirefoxWithExtension> {
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    protocol: 'webDriverBiDi',
    // Without it, Firefox refuses BiDi navigation to moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      // Optional permissions (the technical-data consent) are granted without a prompt that no driver can answer.
      'extensions.webextOptionalPermissionPrompts': false,
      // The network here is closed: no update, telemetry or safe-browsing requests to outside hosts.
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
    },
  });
  try {
    await browser.installExtension(FIREFOX_E2E_DIR);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return { browser, page: (path) => `moz-extension://${uuid}/${path}`, close: () => browser.close() };
}

/**
 * Opens an extension page. `page.goto` never settles there (Firefox sends no BiDi load events for extension contexts,
 * Mozilla bug 1755014), so the navigation is started and the document polled until it is complete.
 */
export async function openExtensionPage(page: Page, url: string): Promise<void> {
  void page.goto(url).catch(() => undefined);
  await page.waitForFunction((wanted) => location.href === wanted && document.readyState === 'complete', { polling: 100 }, url);
}

/** The form control a <label> names (its text starts with `label`), as a person finds it. */
export async function byLabel(page: Page, label: string): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (text) => [...document.querySelectorAll('label')].find((each) => each.textContent?.trim().startsWith(text))?.control ?? null,
    { polling: 100 },
    label,
  );
  return handle as ElementHandle<Element>;
}

/** A button whose text matches `name`, once it is on the page. */
export async function button(page: Page, name: string | RegExp): Promise<ElementHandle<Element>> {
  const source = typeof name === 'string' ? `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : name.source;
  const handle = await page.waitForFunction(
    (pattern) => [...document.querySelectorAll('button')].find((each) => new RegExp(pattern).test(each.textContent?.trim() ?? '')) ?? null,
    { polling: 100 },
    source,
  );
  return handle as ElementHandle<Element>;
}

/** Waits until `selector`'s text matches `pattern`, and returns it. */
export async function textOf(page: Page, selector: string, pattern: RegExp): Promise<string> {
  const handle = await page.waitForFunction(
    (css, source) => {
      const text = document.querySelector(css)?.textContent?.trim() ?? '';
      return new RegExp(source).test(text) ? text : null;
    },
    { polling: 100 },
    selector,
    pattern.source,
  );
  return (await handle.jsonValue()) as string;
}
