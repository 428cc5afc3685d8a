/**
 * The narrow interface extension pages use to reach the background, storage and tabs. Components depend on
 * `ExtensionApi`, not on `browser`, so they render in tests and could be reused by the widget with another adapter.
 */
import type { WxtBrowser as Browser } from 'wxt/browser';
import { CaptureResponse, SendResponse, type BackgroundRequest } from '../background/messages';
import { DraftStore } from '../drafts';
import { loadSettings, saveSettings, type SaveResult, type Settings } from '../settings';

export interface ExtensionApi {
  captureActiveTab(): Promise<CaptureResponse>;
  sendDraft(draftId: string, summary: string): Promise<SendResponse>;
  screenshotOf(draftId: string): Promise<Blob | undefined>;
  loadSettings(): Promise<Settings>;
  saveSettings(input: unknown): Promise<SaveResult>;
  openSettings(): void;
}

export function extensionApi(browser: Browser): ExtensionApi {
  const request = (message: BackgroundRequest): Promise<unknown> => browser.runtime.sendMessage(message);
  return {
    async captureActiveTab() {
      const tabId = await targetTabId(browser);
      if (tabId === undefined) return { ok: false, problem: { key: 'error.noTab' } };
      return CaptureResponse.parse(await request({ type: 'capture-tab', tabId }));
    },
    async sendDraft(draftId, summary) {
      return SendResponse.parse(await request({ type: 'send-draft', draftId, summary }));
    },
    async screenshotOf(draftId) {
      const store = await DraftStore.open();
      try {
        const draft = await store.get(draftId);
        const [artefact] = draft ? await store.artefactsFor(draft) : [];
        return artefact && new Blob([artefact.bytes], { type: artefact.mediaType });
      } finally {
        store.close();
      }
    },
    loadSettings: () => loadSettings(browser.storage.local),
    saveSettings: (input) => saveSettings(browser.storage.local, input),
    openSettings: () => void browser.runtime.openOptionsPage(),
  };
}

/**
 * The tab to capture: the one named by `?tab=` when the page was opened for a given tab (the end-to-end tests
 * open the popup in its own window this way, since no tool can click the toolbar), otherwise the active tab of
 * the window the toolbar popup belongs to.
 */
async function targetTabId(browser: Browser): Promise<number | undefined> {
  const named = Number(new URLSearchParams(location.search).get('tab') ?? Number.NaN);
  if (Number.isSafeInteger(named) && named >= 0) return named;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}
