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

/**
 * The listing images the stores ask for beside the package: Edge's 300 px logo and the Chrome Web Store's small promo
 * tile (440×280, the icon on the brand colour). Written next to the zips by `npm run zip` (wxt.config.ts).
 */
export const STORE_IMAGES = { 'logo-300.png': { width: 300, height: 300 }, 'promo-tile-440x280.png': { width: 440, height: 280 } } as const;

export async function renderStoreImages(dir: string): Promise<string[]> {
  const icon = (await readFile(ICON_SOURCE, 'utf8')).replace(/<!--[\s\S]*?-->/g, '');
  const inner = icon.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, { width, height }] of Object.entries(STORE_IMAGES)) {
    // The 128-unit icon at 70 % of the shorter side, centred on the brand colour.
    const scale = (Math.min(width, height) * 0.7) / 128;
    const x = (width - 128 * scale) / 2;
    const y = (height - 128 * scale) / 2;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<rect width="${width}" height="${height}" fill="#341d63"/><g transform="translate(${x} ${y}) scale(${scale})">${inner}</g></svg>`;
    const path = join(dir, name);
    await writeFile(path, new Resvg(svg).render().asPng());
    written.push(path);
  }
  return written;
}
