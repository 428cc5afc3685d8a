import { browser } from 'wxt/browser';
import { createBackground } from '@/lib/background/handlers';
import { openOhrDatabase, type OhrDatabase } from '@/lib/store/db';

const SWEEP_ALARM = 'outbox-sweep';
const WAKE_ALARM = 'outbox-wake';

export default defineBackground(() => {
  let database: Promise<OhrDatabase> | undefined;
  const background = createBackground({
    getTab: (tabId) => browser.tabs.get(tabId),
    captureVisibleTab: (windowId) => browser.tabs.captureVisibleTab(windowId, { format: 'png' }),
    database: () => (database ??= openOhrDatabase()),
    fetch: (input, init) => fetch(input, init),
    timeoutMs: __OHR_REQUEST_TIMEOUT_MS__,
    client: { app: 'ohr-extension', version: browser.runtime.getManifest().version },
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
    scheduleWake: (at) => {
      if (at === undefined) void browser.alarms.clear(WAKE_ALARM);
      else void browser.alarms.create(WAKE_ALARM, { when: Math.max(at, Date.now() + 1_000) });
    },
  });

  // Every listener is registered synchronously at the top level: the worker may have been woken by this very event.
  browser.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    void background.handle(message).then(sendResponse);
    return true;
  });
  browser.alarms.onAlarm.addListener(() => void background.kick());
  browser.runtime.onStartup.addListener(() => void background.kick());
  self.addEventListener('online', () => void background.kick());
  // Re-created at every start: alarms can be lost when the browser updates or the extension reloads.
  void browser.alarms.create(SWEEP_ALARM, { periodInMinutes: 1 });
  void background.start();
});
