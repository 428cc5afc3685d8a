/**
 * What the stores receive: `npm run zip`'s packages for Chrome/Edge and Firefox, built here as a release is. Their
 * manifests carry the icons (real PNGs at their declared sizes), the intended name and toolbar title, no site access at
 * install, and for Firefox the gecko id, Android and data-collection declarations; the privacy page and the icons are
 * inside; AMO's sources zip holds what the build needs and nothing of the hub or the tests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { imageSize } from 'image-size';
import { beforeAll, describe, expect, test } from 'vitest';
import { ICON_SIZES, STORE_IMAGES } from '../../../scripts/extension-icons';
import { GECKO_ID } from '../../../wxt.config';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const ZIPS = {
  chrome: `.output/online-harms-reporter-${version}-chrome.zip`,
  firefox: `.output/online-harms-reporter-${version}-firefox.zip`,
  sources: `.output/online-harms-reporter-${version}-sources.zip`,
};

type Files = Record<string, Uint8Array>;
const zips: Partial<Record<keyof typeof ZIPS, Files>> = {};

beforeAll(() => {
  // `npm run zip`, one browser at a time, as a release runs it.
  execFileSync('npx', ['wxt', 'zip'], { stdio: 'pipe', env: { ...process.env, OHR_E2E: '' } });
  execFileSync('npx', ['wxt', 'zip', '-b', 'firefox'], { stdio: 'pipe', env: { ...process.env, OHR_E2E: '' } });
  for (const [name, path] of Object.entries(ZIPS)) zips[name as keyof typeof ZIPS] = unzipSync(readFileSync(path));
}, 120_000);

/** The manifest fields these tests read. */
interface Manifest {
  manifest_version: number;
  name: string;
  action: { default_title?: string; default_popup?: string; default_icon?: Record<string, string> };
  host_permissions: string[];
  icons: Record<string, string>;
  background: unknown;
  browser_specific_settings?: { gecko?: unknown; gecko_android?: unknown };
}

function manifestIn(files: Files | undefined): Manifest {
  const bytes = files?.['manifest.json'];
  if (!bytes) throw new Error('no manifest.json in the package');
  return JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
}

describe.each(['chrome', 'firefox'] as const)('the %s package', (browser) => {
  test('is MV3 with the intended name, toolbar title and no site access at install', () => {
    const manifest = manifestIn(zips[browser]);
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.name).toBe('Online Harms Reporter');
    expect(manifest.action.default_title).toBe('Report online hate');
    expect(manifest.action.default_popup).toBe('popup.html');
    expect(manifest.host_permissions).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('<all_urls>');
  });

  test('lists an icon at every store size, each a PNG of that size inside the package', () => {
    const manifest = manifestIn(zips[browser]);
    expect(Object.keys(manifest.icons).map(Number)).toEqual([...ICON_SIZES]);
    // The toolbar button's icons are among them.
    expect(manifest.action.default_icon).toEqual({ 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png' });
    for (const path of Object.values(manifest.action.default_icon ?? {})) expect(Object.values(manifest.icons)).toContain(path);
    for (const size of ICON_SIZES) {
      const png = zips[browser]![manifest.icons[String(size)] ?? ''];
      expect(png, `icon ${size}`).toBeDefined();
      expect(imageSize(png!)).toMatchObject({ type: 'png', width: size, height: size });
    }
  });

  test('ships the privacy policy page with the policy rendered into it', () => {
    expect(new TextDecoder().decode(zips[browser]!['privacy.html'])).toContain('<title>Privacy policy — Online Harms Reporter</title>');
    const bundled = Object.entries(zips[browser]!).filter(([name]) => /^chunks\/privacy-[\w-]+\.js$/.test(name));
    expect(bundled).toHaveLength(1);
    expect(new TextDecoder().decode(bundled[0]![1])).toContain('<h1>Privacy policy: Online Harms Reporter browser extension</h1>');
  });
});

test('the Firefox package declares its gecko id, Firefox for Android and what data it transmits', () => {
  const manifest = manifestIn(zips.firefox);
  expect(manifest.browser_specific_settings?.gecko).toEqual({
    id: GECKO_ID,
    strict_min_version: '140.0',
    data_collection_permissions: {
      required: ['websiteContent', 'browsingActivity', 'personalCommunications', 'personallyIdentifyingInfo', 'healthInfo'],
      optional: ['technicalAndInteraction'],
    },
  });
  expect(manifest.browser_specific_settings?.gecko_android).toEqual({ strict_min_version: '142.0' });
  // Firefox runs the MV3 background as an event page.
  expect(manifest.background).toEqual({ scripts: ['background.js'] });
  // Chrome refuses keys it does not know only with a warning, but a store listing shows them: none leak across.
  expect(manifestIn(zips.chrome).browser_specific_settings).toBeUndefined();
});

test('the sources zip for AMO holds what the build needs and nothing of the hub or the tests', () => {
  const names = Object.keys(zips.sources!);
  for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'extension/icon/icon.svg', 'scripts/extension-icons.ts', 'scripts/privacy-page.ts', 'docs/privacy.md', 'entrypoints/background.ts', 'LICENSE']) {
    expect(names, needed).toContain(needed);
  }
  expect(names.filter((name) => /^(hub|test|widget|scratch|\.output|node_modules)\//.test(name))).toEqual([]);
});

test('the listing images are written beside the packages at the sizes the stores ask for', () => {
  for (const [name, size] of Object.entries(STORE_IMAGES)) {
    expect(imageSize(readFileSync(`.output/store/${name}`)), name).toMatchObject({ type: 'png', ...size });
  }
});
