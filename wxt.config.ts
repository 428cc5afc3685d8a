import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/**
 * OHR_E2E=1 is set only by the end-to-end tests' build: Playwright cannot click browser UI, so the `activeTab`
 * grant a real toolbar click gives is replaced by `<all_urls>`, the only other permission Chromium accepts for
 * `tabs.captureVisibleTab`. The shipped manifest asks for no site access at install.
 */
const e2eBuild = process.env.OHR_E2E === '1';

export default defineConfig({
  outDir: '.output',
  outDirTemplate: e2eBuild ? '{{browser}}-mv{{manifestVersion}}-e2e' : '{{browser}}-mv{{manifestVersion}}',
  manifest: ({ manifestVersion }) => ({
    name: 'Online Harms Reporter',
    description: 'Keep the evidence of online hate and report it to someone who will act.',
    // contextMenus, scripting and a shortcut under `commands` are the ways in to a capture; each is a user gesture
    // that grants `activeTab` for that tab, so no site access is asked for at install (see extension/capture/trigger/locate.ts).
    permissions: ['activeTab', 'alarms', 'contextMenus', 'scripting', 'storage', 'unlimitedStorage'],
    host_permissions: e2eBuild ? ['<all_urls>'] : [],
    // Asked for one organisation at a time, when the person adds it in the settings (MV2 has no separate host list).
    ...(manifestVersion === 2
      ? { optional_permissions: ['https://*/*', 'http://*/*'] }
      : { optional_host_permissions: ['https://*/*', 'http://*/*'] }),
    action: { default_title: 'Report online hate' },
    commands: {
      'report-post': {
        suggested_key: { default: 'Alt+Shift+R' },
        description: 'Report the post under the pointer (or the selected text, or the page)',
      },
    },
  }),
  vite: () => ({
    plugins: [preact()],
    define: {
      // A hub that never answers is given up on after this; the tests use a short one to exercise it quickly.
      __OHR_REQUEST_TIMEOUT_MS__: JSON.stringify(e2eBuild ? 4_000 : 30_000),
      __OHR_E2E__: JSON.stringify(e2eBuild),
    },
  }),
});
