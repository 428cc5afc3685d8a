import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderIcons, renderStoreImages } from './scripts/extension-icons';
import { privacyPolicyPlugin } from './scripts/privacy-page';

/**
 * OHR_E2E=1 is set only by the end-to-end tests' build: Playwright cannot click browser UI, so the `activeTab`
 * grant a real toolbar click gives is replaced by `<all_urls>`, the only other permission Chromium accepts for
 * `tabs.captureVisibleTab`. The shipped manifest asks for no site access at install.
 */
const e2eBuild = process.env.OHR_E2E === '1';

/** The toolbar button's tooltip. WXT would take the popup page's <title> instead; the manifest hook below sets this. */
const TOOLBAR_TITLE = 'Report online hate';

/**
 * Firefox's own keys (docs/extension.md, "Firefox"). The id is stable for ever: AMO, updates and the e2e tests'
 * fixed internal UUID all key on it. 140 is the first Firefox (and ESR) with the data-collection consent; 142 the first
 * Firefox for Android with it.
 */
export const GECKO_ID = 'extension@online-harms-reporter';
const FIREFOX_SETTINGS = {
  gecko: {
    id: GECKO_ID,
    strict_min_version: '140.0',
    // What leaves the computer, and only when the person sends a report to an organisation they chose: the captured
    // page's words and pictures and its address, posts and messages by others, their own name, email or phone if
    // they choose not to be anonymous, and health information if they give it (access needs; the optional equality
    // monitoring question on disability). The browser's family and major version ("Firefox 153") in each signed
    // capture record is technical data: optional, and "Unknown browser" is sent until the person allows it
    // (entrypoints/background.ts). No telemetry; nothing goes to the developers.
    data_collection_permissions: {
      required: ['websiteContent', 'browsingActivity', 'personalCommunications', 'personallyIdentifyingInfo', 'healthInfo'],
      optional: ['technicalAndInteraction'],
    },
  },
  gecko_android: { strict_min_version: '142.0' },
};

export default defineConfig({
  outDir: '.output',
  // MV3 for every browser, Firefox included (WXT's default for Firefox is MV2).
  manifestVersion: 3,
  outDirTemplate: e2eBuild ? '{{browser}}-mv{{manifestVersion}}-e2e' : '{{browser}}-mv{{manifestVersion}}',
  manifest: ({ browser, manifestVersion }) => ({
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
    // The toolbar button's own icons: Firefox shows a generic puzzle piece without them (Chrome falls back to `icons`).
    action: { default_title: TOOLBAR_TITLE, default_icon: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png' } },
    ...(browser === 'firefox' ? { browser_specific_settings: FIREFOX_SETTINGS } : {}),
    commands: {
      'report-post': {
        suggested_key: { default: 'Alt+Shift+R' },
        description: 'Report the post under the pointer (or the selected text, or the page)',
      },
    },
  }),
  hooks: {
    // PNG icons from the one SVG at every build (scripts/extension-icons.ts); WXT lists icon/<size>.png in `icons`.
    'build:publicAssets': async (_wxt, files) => {
      const rendered = await renderIcons(join(tmpdir(), `ohr-icons-${process.pid}`));
      for (const [size, path] of rendered) files.push({ absoluteSrc: path, relativeDest: `icon/${size}.png` });
    },
    // The listing images (Edge's logo, the Chrome Web Store's promo tile) beside the store packages.
    'zip:done': async (wxt) => void (await renderStoreImages(join(wxt.config.outBaseDir, 'store'))),
    'build:manifestGenerated': (_wxt, manifest) => {
      const button = manifest.action ?? manifest.browser_action;
      if (button) button.default_title = TOOLBAR_TITLE;
    },
  },
  zip: {
    // AMO asks for the sources of any bundled build: the sources zip holds what `npm ci && npm run build:firefox`
    // needs (docs/ too: the privacy page is built from docs/privacy.md), and none of the hub's or the tests' files.
    artifactTemplate: 'online-harms-reporter-{{version}}-{{browser}}.zip',
    sourcesTemplate: 'online-harms-reporter-{{version}}-sources.zip',
    excludeSources: ['.output/**', 'scratch/**', 'test/**', 'hub/**', 'widget/**', 'dist/**', 'data/**', '*.log'],
  },
  vite: () => ({
    // The privacy page's text, docs/privacy.md as HTML (scripts/privacy-page.ts).
    plugins: [preact(), privacyPolicyPlugin()],
    define: {
      // A hub that never answers is given up on after this; the tests use a short one to exercise it quickly.
      __OHR_REQUEST_TIMEOUT_MS__: JSON.stringify(e2eBuild ? 4_000 : 30_000),
      __OHR_E2E__: JSON.stringify(e2eBuild),
    },
  }),
});
