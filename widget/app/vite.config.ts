/**
 * `npm run build:app`: the report app (widget/app/), built with the widget's own settings (its words inlined, Preact
 * trimmed, terser) into `dist/app/`, which the hub serves under `/report/`:
 * - `vite build --config widget/app/vite.config.ts`: `app.js` (the page's script, IIFE), `app.css`, and the icons,
 *   rendered from `icon.svg` by resvg: 192 and 512 px (also used as maskable: the drawing keeps to the safe zone) and
 *   Apple's 180 px touch icon.
 * - `… --mode sw`: `sw.js`, the service worker (a classic script, which every browser with service workers runs), with
 *   `SHELL_VERSION`, a hash of the files above, so that a new build replaces the worker and its cache.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { defineConfig, mergeConfig, type Plugin, type UserConfig } from 'vite';
import widget from '../vite.config';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const OUT = fileURLToPath(new URL('../../dist/app/', import.meta.url));

/** The icon sizes, in px, and the files they are written to. */
export const ICONS = { 'icon-192.png': 192, 'icon-512.png': 512, 'apple-touch-icon.png': 180 } as const;
/** What the service worker keeps for this build, besides the hub's own page, manifest and discovery. */
const SHELL_FILES = ['app.js', 'app.css', ...Object.keys(ICONS)];

/** The stylesheet and the icons, beside the script. */
const assets: Plugin = {
  name: 'ohr-app-assets',
  async generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'app.css', source: await readFile(here('app.css'), 'utf8') });
    const svg = await readFile(here('icon.svg'), 'utf8');
    for (const [fileName, size] of Object.entries(ICONS)) {
      this.emitFile({ type: 'asset', fileName, source: new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng() });
    }
  },
};

async function shellVersion(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of SHELL_FILES) hash.update(await readFile(`${OUT}${name}`));
  return hash.digest('hex').slice(0, 16);
}

export default defineConfig(async ({ mode }) => {
  const base = widget as UserConfig;
  const worker = mode === 'sw';
  return mergeConfig(base, {
    plugins: worker ? [] : [assets],
    define: worker ? { SHELL_VERSION: JSON.stringify(await shellVersion()) } : {},
    build: {
      outDir: OUT,
      // The worker is built second, beside the page's files.
      emptyOutDir: !worker,
      lib: worker
        ? { entry: here('sw.ts'), formats: ['iife'], name: 'ohrReportWorker', fileName: () => 'sw.js' }
        : { entry: here('index.ts'), formats: ['iife'], name: 'ohrReportApp', fileName: () => 'app.js' },
    },
  } satisfies UserConfig);
});
