import { browser } from 'wxt/browser';
import { failureBadge, progressBadge, type Badge } from '@/extension/background/badge';
import { browserName, UNKNOWN_BROWSER, type NavigatorLike } from '@/extension/background/browser-name';
import { createBackground } from '@/extension/background/handlers';
import { MENU_DOCUMENT_PATTERNS, MENU_ENTRIES, triggerFromCommand, triggerFromMenu, type MenuClick, type Trigger } from '@/extension/background/menus';
import { syncRightClickListener, type ListenerApis } from '@/extension/background/right-click';
import { browserCanvasKit } from '@/extension/capture/screenshot/pixels';
import { pageMetricsInPage, scrollInPage } from '@/extension/capture/trigger/full-page';
import { readPageViaScripting, type ScriptingApi } from '@/extension/capture/trigger/inject';
import { paced } from '@/extension/capture/trigger/pacer';
import { extensionClient } from '@/extension/client';
import { openOhrDatabase, type OhrDatabase } from '@/extension/db';
import { loadSettings } from '@/extension/settings';
import { forgetInstallKey } from '@/extension/signing-key';
import { t } from '@/lib/i18n';

const SWEEP_ALARM = 'outbox-sweep';
const WAKE_ALARM = 'outbox-wake';

type Injection = Parameters<typeof browser.scripting.executeScript>[0];

export default defineBackground(() => {
  let database: Promise<OhrDatabase> | undefined;
  const scripting: ScriptingApi = { executeScript: (injection) => browser.scripting.executeScript(injection as Injection) };
  const inTop = async <T,>(tabId: number, func: (...args: never[]) => T, args: unknown[] = []): Promise<Awaited<T>> =>
    (await browser.scripting.executeScript({ target: { tabId }, func, args } as Injection))[0]?.result as Awaited<T>;
  // Firefox's MV2 build has `browserAction` where MV3 has `action`; a badge must never break a capture.
  const button = browser.action ?? browser.browserAction;
  const setBadge = ({ text, title }: Badge) => {
    void button?.setBadgeText?.({ text })?.catch(() => undefined);
    void button?.setTitle?.({ title })?.catch(() => undefined);
  };
  // Firefox for Android has no context menus, keyboard shortcuts or windows: there the toolbar popup's "Report this
  // page" is the way in (docs/extension.md, "Firefox for Android"). Missing APIs are skipped, never called.
  const menus = browser.contextMenus as typeof browser.contextMenus | undefined;
  const commands = browser.commands as typeof browser.commands | undefined;
  // Firefox asks the person's consent for technical data: until it is given, signed capture records name no browser.
  let namedBrowser = browserName(navigator as NavigatorLike);
  const syncBrowserName = () =>
    void mayNameBrowser().then((allowed) => {
      namedBrowser = allowed ? browserName(navigator as NavigatorLike) : UNKNOWN_BROWSER;
    });

  const background = createBackground({
    getTab: (tabId) => browser.tabs.get(tabId),
    // One pacer for every screenshot: Chromium allows 2 captureVisibleTab calls a second.
    captureVisibleTab: paced((windowId: number) => browser.tabs.captureVisibleTab(windowId, { format: 'png' })),
    database: () => (database ??= openOhrDatabase()),
    fetch: (input, init) => fetch(input, init),
    timeoutMs: __OHR_REQUEST_TIMEOUT_MS__,
    client: extensionClient(browser),
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
    scheduleWake: (at) => {
      if (at === undefined) void browser.alarms.clear(WAKE_ALARM);
      else void browser.alarms.create(WAKE_ALARM, { when: Math.max(at, Date.now() + 1_000) });
    },
    loadSettings: () => loadSettings(browser.storage.local),
    capture: {
      readPage: (target, request) => readPageViaScripting(scripting, target, request),
      kit: browserCanvasKit(),
      pageMetrics: (tabId) => inTop(tabId, pageMetricsInPage),
      scrollTo: (tabId, y) => inTop(tabId, scrollInPage, [y]),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
    // Family and major version only: the full user-agent string would be the same fingerprint in every report.
    get browser() {
      return namedBrowser;
    },
    showProgress: (count) => setBadge(progressBadge(count)),
  });

  /** A menu click or the shortcut: capture into the report being built; a failure shows on the badge. */
  async function captureOn(tabId: number | undefined, trigger: Trigger | undefined) {
    if (tabId === undefined || tabId < 0 || !trigger) return undefined;
    const result = await background.captureFrom(tabId, trigger);
    if (!result.ok) setBadge(failureBadge(result.problem));
    return result;
  }
  const onMenuClick = (info: MenuClick, tab?: { id?: number }) => captureOn(tab?.id, triggerFromMenu(info));
  const onCommand = async (command: string, tab?: { id?: number }) =>
    captureOn(tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id, triggerFromCommand(command));
  const syncListener = () => void syncRightClickListener(browser as unknown as ListenerApis).catch(() => undefined);

  // Every listener is registered synchronously at the top level: the worker may have been woken by this very event.
  browser.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    void background.handle(message).then(sendResponse);
    return true;
  });
  menus?.onClicked.addListener((info, tab) => void onMenuClick(info, tab));
  commands?.onCommand.addListener((command, tab) => void onCommand(command, tab));
  browser.runtime.onInstalled.addListener(({ reason }) => {
    // Once, at install: what OHR does and keeps, and the first organisation to send reports to.
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
    void menus?.removeAll().then(() => {
      for (const entry of MENU_ENTRIES) {
        menus.create({ id: entry.id, title: t(entry.title), contexts: entry.contexts, documentUrlPatterns: MENU_DOCUMENT_PATTERNS });
      }
    });
    syncListener();
  });
  browser.permissions.onAdded.addListener(syncListener);
  browser.permissions.onRemoved.addListener(syncListener);
  browser.permissions.onAdded.addListener(syncBrowserName);
  browser.permissions.onRemoved.addListener(syncBrowserName);
  syncBrowserName();
  browser.alarms.onAlarm.addListener(() => void background.kick());
  browser.runtime.onStartup.addListener(() => void background.kick());
  self.addEventListener('online', () => void background.kick());
  // The end-to-end tests cannot click browser menus or press browser shortcuts: they call these same two listeners.
  if (__OHR_E2E__) Reflect.set(self, 'ohrTest', { onMenuClick, onCommand });
  // Re-created at every start: alarms can be lost when the browser updates or the extension reloads.
  void browser.alarms.create(SWEEP_ALARM, { periodInMinutes: 1 });
  void background.start();
  void forgetInstallKey();
});

/**
 * Whether the signed capture records may name the browser. Firefox (from 140) asks the person for "technical data" as
 * an optional data collection (wxt.config.ts); Chromium has no such consent and refuses the `data_collection` key.
 */
async function mayNameBrowser(): Promise<boolean> {
  if (import.meta.env.BROWSER !== 'firefox') return true;
  try {
    return await browser.permissions.contains({ data_collection: ['technicalAndInteraction'] } as Parameters<typeof browser.permissions.contains>[0]);
  } catch {
    // Not expected from Firefox 140 on (the manifest's minimum); without an answer, the browser is not named.
    return false;
  }
}
