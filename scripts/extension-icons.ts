/**
 * The extension's icons: PNGs rendered from the one SVG source (extension/icon/icon.svg) at build time, at the sizes
 * the stores and browsers ask for — 16, 32 and 48 (toolbar, menus, the extensions page), 96 (Firefox's add-ons
 * manager and AMO), 128 (Chrome Web Store, Edge Add-ons, the install dialog). WXT finds `icon/<size>.png` among the
 * public files and lists them under `icons` in the manifest (see wxt.config.ts).
 */
import { Resvg } from '@resvg/resvg-js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ICON_SOURCE = fileURLToPath(new URL('../extension/icon/icon.svg', import.meta.url));
export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

/** Renders each size into `dir` (as `<size>.png`) and returns the written paths by size. */
export async function renderIcons(dir: string): Promise<Map<number, string>> {
  const svg = await readFile(ICON_SOURCE);
  await mkdir(dir, { recursive: true });
  const written = new Map<number, string>();
  for (const size of ICON_SIZES) {
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
    const path = join(dir, `${size}.png`);
    await writeFile(path, png);
    written.set(size, path);
  }
  return written;
}
