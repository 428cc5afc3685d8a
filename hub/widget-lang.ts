/**
 * The widget's language packs at `/widget/lang/<tag>.json` (built beside the script by `npm run build:widget`, see
 * widget/language.ts): fetched by the widget on pages in another language than English, from any site that embeds it.
 * JSON rather than a script, so a page's CSP needs nothing new (its `connect-src` already allows the hub the widget
 * sends reports to) and nothing runs from it. The script names each pack with the start of its SHA-256 (`?v=`): that
 * address never changes its answer, so it is cached for a year; any other is cached like the script, for five minutes.
 */
import { readFile } from 'node:fs/promises';
import type { Hono } from 'hono';
import { packVersion } from '../lib/pack-version';

/** Written by `npm run build:widget`. */
export const WIDGET_PACKS = new URL('../dist/widget/lang/', import.meta.url);

export function mountWidgetPacks(app: Hono): void {
  app.get('/widget/lang/:file', async (c) => {
    // Read public, from any origin: the packs hold the widget's words and nothing else.
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('X-Content-Type-Options', 'nosniff');
    const tag = /^([a-z]{2,3})\.json$/.exec(c.req.param('file'))?.[1];
    const pack = tag && (await readFile(new URL(`${tag}.json`, WIDGET_PACKS)).catch(() => undefined));
    if (!pack) return c.json({ error: { code: 'not_found', message: 'There is no widget language pack by this name' } }, 404);
    const current = c.req.query('v') === packVersion(pack);
    c.header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return c.body(new Uint8Array(pack), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
}
