/**
 * The background entrypoint where the browser lacks APIs: Firefox for Android has no context menus and no keyboard
 * commands (docs/extension.md, "What degrades on Firefox for Android"). The real entrypoint runs against a browser
 * object of that shape, and against a desktop one, and must register everything it can without throwing.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { MENU_ENTRIES } from '../../../extension/background/menus';

type Listener = (...args: unknown[]) => unknown;

/** A browser with the APIs the background calls; `desktop` adds context menus and commands. */
function fakeBrowser(desktop: boolean) {
  const listeners = new Map<string, Listener[]>();
  const event = (name: string) => ({ addListener: (listener: Listener) => void listeners.set(name, [...(listeners.get(name) ?? []), listener]) });
  const menuEntries: unknown[] = [];
  const api = {
    runtime: {
      onMessage: event('runtime.onMessage'),
      onInstalled: event('runtime.onInstalled'),
      onStartup: event('runtime.onStartup'),
      getURL: (path: string) => `moz-extension://test${path}`,
      getManifest: () => ({ version: '0.1.0' }),
    },
    tabs: { create: async () => ({}), get: async () => ({}), query: async () => [] },
    alarms: { create: async () => undefined, clear: async () => true, onAlarm: event('alarms.onAlarm') },
    permissions: { onAdded: event('permissions.onAdded'), onRemoved: event('permissions.onRemoved'), contains: async () => false },
    scripting: { executeScript: async () => [], getRegisteredContentScripts: async () => [], registerContentScripts: async () => undefined, unregisterContentScripts: async () => undefined },
    storage: { local: { get: async () => ({}), set: async () => undefined } },
    action: { setBadgeText: async () => undefined, setTitle: async () => undefined },
    ...(desktop
      ? {
          contextMenus: { onClicked: event('contextMenus.onClicked'), removeAll: async () => undefined, create: (entry: unknown) => void menuEntries.push(entry) },
          commands: { onCommand: event('commands.onCommand') },
        }
      : {}),
  };
  return { api, listeners, menuEntries };
}

let current: ReturnType<typeof fakeBrowser>['api'];
vi.mock('wxt/browser', () => ({
  get browser() {
    return current;
  },
}));

beforeEach(() => {
  // What WXT and wxt.config.ts give the entrypoint at build time.
  vi.stubGlobal('defineBackground', (main: () => void) => main);
  vi.stubGlobal('__OHR_REQUEST_TIMEOUT_MS__', 1_000);
  vi.stubGlobal('__OHR_E2E__', false);
  // A service worker's (or event page's) globals, which Node 20 lacks.
  vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0' });
  vi.stubGlobal('self', new EventTarget());
});
afterEach(() => vi.unstubAllGlobals());

async function runBackground(fake: ReturnType<typeof fakeBrowser>) {
  current = fake.api;
  const { default: main } = (await import('../../../entrypoints/background')) as unknown as { default: () => void };
  main();
  for (const listener of fake.listeners.get('runtime.onInstalled') ?? []) listener({ reason: 'update' });
  // Let the installed handler's removeAll().then(create…) run.
  await new Promise((resolve) => setTimeout(resolve, 0));
}

test('without context menus and commands (Firefox for Android) the background starts and keeps its other ways in', async () => {
  const android = fakeBrowser(false);
  await expect(runBackground(android)).resolves.toBeUndefined();
  expect([...android.listeners.keys()].sort()).toEqual([
    'alarms.onAlarm',
    'permissions.onAdded',
    'permissions.onRemoved',
    'runtime.onInstalled',
    'runtime.onMessage',
    'runtime.onStartup',
  ]);
});

test('with them (desktop) the same background adds the menu entries and the shortcut', async () => {
  const desktop = fakeBrowser(true);
  await runBackground(desktop);
  expect(desktop.listeners.has('contextMenus.onClicked')).toBe(true);
  expect(desktop.listeners.has('commands.onCommand')).toBe(true);
  expect(desktop.menuEntries.map((entry) => (entry as { id: string }).id)).toEqual(MENU_ENTRIES.map((entry) => entry.id));
});
