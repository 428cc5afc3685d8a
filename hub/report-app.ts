/**
 * The report app on the hub (issue 22): `/report`, the widget's form full-page on the hub's own address, installable
 * on a phone's home screen (a web app manifest and a service worker), working offline, and on Android a share target.
 * The app is part of the widget product (widget/app/, built by `npm run build:app` into dist/app/); the hub serves
 * the built files by name and writes the two things that carry the operator's name: the page around the form (its
 * heading, the link to the status page) and the manifest.
 * Shared posts are POSTed to `/report/share` by Android; the app's service worker answers that itself and keeps what
 * was shared on the phone (widget/app/sw.ts). Only when no worker is running (the browser removed it) does the POST
 * reach the hub, which then reads none of it and sends the person to the app, which asks them to share it again.
 */
import { readFile } from 'node:fs/promises';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import { format } from '../lib/i18n/format';
import { STATUS_PATH } from './status/page';
import { demoEn } from './widget-demo-en';
import { reportAppEn } from './report-app-en';
import type { HubConfig } from './config';

export const APP_PATH = '/report';
/** Written by `npm run build:app`. */
export const APP_DIR = new URL('../dist/app/', import.meta.url);
/** The brand purple, the widget's and the extension's accent. */
const PURPLE = '#4a2a8c';

/** The built files, by name, with their types: nothing else under `/report/` is read from disk. */
const FILES = new Map(Object.entries({
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'sw.js': 'text/javascript; charset=utf-8',
  'icon-192.png': 'image/png',
  'icon-512.png': 'image/png',
  'apple-touch-icon.png': 'image/png',
}));

const headers = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    connectSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    manifestSrc: ["'self'"],
    workerSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  crossOriginResourcePolicy: 'same-origin',
  strictTransportSecurity: false,
});

/** The web app manifest: what a phone needs to install the app, and the share target. */
export function manifest(name: string) {
  const icon = (file: string, size: number, purpose: 'any' | 'maskable') => ({ src: `${APP_PATH}/${file}`, sizes: `${size}x${size}`, type: 'image/png', purpose });
  return {
    id: APP_PATH,
    name: format(demoEn['demo.title'], { name }),
    short_name: reportAppEn['app.shortName'],
    description: reportAppEn['app.description'],
    lang: 'en',
    dir: 'ltr',
    start_url: APP_PATH,
    scope: APP_PATH,
    display: 'standalone',
    theme_color: PURPLE,
    background_color: PURPLE,
    // The drawing keeps to the maskable safe zone, so the same pictures serve both purposes.
    icons: [icon('icon-192.png', 192, 'any'), icon('icon-512.png', 512, 'any'), icon('icon-192.png', 192, 'maskable'), icon('icon-512.png', 512, 'maskable')],
    share_target: {
      action: `${APP_PATH}/share`,
      method: 'POST',
      enctype: 'multipart/form-data',
      // Only the picture types the form takes (checked again by their first bytes): a HEIC photo would be refused later.
      params: { title: 'title', text: 'text', url: 'url', files: [{ name: 'images', accept: ['image/png', 'image/jpeg', 'image/webp'] }] },
    },
  };
}

export function mountReportApp(app: Hono, config: Pick<HubConfig, 'name'>): void {
  app.get(APP_PATH, headers, (c) => {
    const title = format(demoEn['demo.title'], { name: config.name });
    return c.html(html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="theme-color" content="${PURPLE}">
<link rel="manifest" href="${APP_PATH}/manifest.webmanifest">
<link rel="icon" href="${APP_PATH}/icon-192.png" type="image/png">
<link rel="apple-touch-icon" href="${APP_PATH}/apple-touch-icon.png">
<link rel="stylesheet" href="${APP_PATH}/app.css">
<script src="${APP_PATH}/app.js" defer></script></head>
<body>
<header><h1>${title}</h1></header>
<main>
<p>${demoEn['demo.intro']}</p>
<ohr-report-form><noscript><p>${reportAppEn['app.noScript']}</p></noscript></ohr-report-form>
</main>
<footer>
<p><a href="${STATUS_PATH}">${reportAppEn['app.status']}</a></p>
<p class="hint install">${reportAppEn['app.install']}</p>
</footer>
</body>
</html>`);
  });

  app.get(`${APP_PATH}/manifest.webmanifest`, headers, (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(JSON.stringify(manifest(config.name)), 200, { 'Content-Type': 'application/manifest+json' });
  });

  app.get(`${APP_PATH}/:file`, headers, async (c, next) => {
    const name = c.req.param('file');
    const type = FILES.get(name);
    if (!type) return next();
    const body = await readFile(new URL(name, APP_DIR)).catch(() => undefined);
    if (!body) return c.json({ error: { code: 'not_found', message: 'The report app is not built: run npm run build:app' } }, 404);
    if (name === 'sw.js') {
      // The worker's scope is the app's page itself, one level above the script; always checked for a new build.
      c.header('Service-Worker-Allowed', APP_PATH);
      c.header('Cache-Control', 'no-cache');
    } else c.header('Cache-Control', 'public, max-age=300');
    return c.body(body, 200, { 'Content-Type': type });
  });

  // Reached only without the app's service worker: nothing of the shared post is read or kept here.
  app.post(`${APP_PATH}/share`, (c) => c.redirect(`${APP_PATH}?shared`, 303));
}
