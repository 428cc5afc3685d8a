import { browser } from 'wxt/browser';
import { handleRequest, type BackgroundDeps } from '@/lib/background/handlers';
import { DraftStore } from '@/lib/drafts';
import { loadSettings } from '@/lib/settings';

export default defineBackground(() => {
  let store: Promise<DraftStore> | undefined;
  const deps: BackgroundDeps = {
    getTab: (tabId) => browser.tabs.get(tabId),
    captureVisibleTab: (windowId) => browser.tabs.captureVisibleTab(windowId, { format: 'png' }),
    drafts: () => (store ??= DraftStore.open()),
    settings: () => loadSettings(browser.storage.local),
    fetch: (input, init) => fetch(input, init),
    client: { app: 'ohr-extension', version: browser.runtime.getManifest().version },
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
  };

  // Registered synchronously at the top level: the service worker may have been woken by this very message.
  browser.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    void handleRequest(message, deps).then(sendResponse);
    return true;
  });
});
