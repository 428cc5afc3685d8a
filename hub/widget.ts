/**
 * The widget's routes on the hub: the built script at `/widget.js`, which any site may embed (the hub's own page at
 * `/`, hub/home, embeds it as any site would); and the report page at `/report`, the form
 * alone on the hub's own origin, which an organisation can link to instead of embedding the form (the safer choice:
 * no other site's scripts share the page or its storage, see widget/README.md). Mounted before the API's middleware
 * (like the console), so these answers carry their own security headers: the script may be loaded from any origin,
 * and the pages run only scripts from the hub itself.
 */
import { readFile } from 'node:fs/promises';
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import { format } from '../lib/i18n/format';
import { demoEn } from './widget-demo-en';
import { mountWidgetPacks } from './widget-lang';
import type { HubConfig } from './config';

/** Written by `npm run build:widget`. */
export const WIDGET_SCRIPT = new URL('../dist/widget/widget.js', import.meta.url);
/** Also written by it: PDQ fingerprinting as a module the widget loads only when it makes a fingerprint. */
export const PDQ_MODULE = new URL('../dist/widget/pdq.js', import.meta.url);
/** And sealing personal data to the organisation (HPKE), loaded only for a report with personal details to seal. */
export const SEAL_MODULE = new URL('../dist/widget/seal.js', import.meta.url);
/** And stripping a chosen picture's metadata, loaded when the person first chooses a picture. */
export const STRIP_MODULE = new URL('../dist/widget/strip.js', import.meta.url);

const headers = (crossOrigin: boolean) =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: crossOrigin ? 'cross-origin' : 'same-origin',
    strictTransportSecurity: false,
  });

export function mountWidget(app: Hono, config: Pick<HubConfig, 'name'>): void {
  // The widget's language packs, fetched by it on pages in other languages (hub/widget-lang.ts).
  mountWidgetPacks(app);

  app.get('/widget.js', headers(true), async (c) => {
    const script = await readFile(WIDGET_SCRIPT).catch(() => undefined);
    if (!script) return c.json({ error: { code: 'not_found', message: 'The widget is not built: run npm run build:widget' } }, 404);
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  // A module (pdq.js, seal.js, strip.js), so a page on another site loads it in CORS mode: it must say that any origin may read it.
  const module = (file: URL) => async (c: Context) => {
    const source = await readFile(file).catch(() => undefined);
    if (!source) return c.json({ error: { code: 'not_found', message: 'The widget is not built: run npm run build:widget' } }, 404);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(source, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  };
  app.get('/widget/pdq.js', headers(true), module(PDQ_MODULE));
  app.get('/widget/seal.js', headers(true), module(SEAL_MODULE));
  app.get('/widget/strip.js', headers(true), module(STRIP_MODULE));

  /** A page of the hub's own with the form on it, under the operator's name. */
  const page = (c: Context) => {
    const origin = new URL(c.req.url).origin;
    const title = format(demoEn['demo.title'], { name: config.name });
    return c.html(html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<script src="/widget.js" async></script></head>
<body>
<main>
<h1>${title}</h1>
<p>${demoEn['demo.intro']}</p>
<ohr-report-form endpoint="${origin}"></ohr-report-form>
</main>
</body>
</html>`);
  };

  app.get('/report', headers(false), page);
}
