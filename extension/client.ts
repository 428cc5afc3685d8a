import type { WxtBrowser as Browser } from 'wxt/browser';
import type { ClientInfo } from '@/lib/report/from-answers';

/** How the extension names itself in every report (and its evidence packs): the one place this is built. */
export function extensionClient(browser: Browser): ClientInfo {
  return { app: 'ohr-extension', version: browser.runtime.getManifest().version };
}
