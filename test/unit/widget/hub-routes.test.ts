/**
 * The hub's widget routes: `/widget.js` is the built script, loadable from any origin, and `/` (the hub's own page, which embeds it) and
 * `/report` (the form alone, the report app since issue 22) are pages with their own CSP (scripts from the hub only) and the operator's name as text. The widget is built first, as `npm start` does.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../hub/app';
import { WIDGET_SCRIPT } from '../../../hub/widget';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from '../hub/helpers';

let database: TestDatabase;
let app: Hono;

beforeAll(async () => {
  execFileSync('npx', ['vite', 'build', '--config', 'widget/vite.config.ts'], { stdio: 'ignore' });
  database = await openTestDatabase();
  // The pages name the hub by the request's origin here (hub.test): trusted on purpose, as behind a proxy that sets Host.
  app = createApp({ db: database.db, config: { name: 'Hate <Crime> Hub', rateLimit: { enabled: false }, trustHostHeader: true } });
}, SETUP_TIMEOUT_MS);
afterAll(() => database.dispose());

describe('widget routes', () => {
  it('serves the built widget to any origin', async () => {
    const response = await app.request('http://hub.test/widget.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(await readFile(WIDGET_SCRIPT)));
  });

  it('shows the hub’s own page with the widget embedded, under its own CSP, with the operator’s name as text', async () => {
    const response = await app.request('http://hub.test/');
    expect(response.status).toBe(200);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(response.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    const page = await response.text();
    expect(page).toContain('<script src="/widget.js" async></script>');
    expect(page).toContain('<ohr-report-form endpoint="http://hub.test" data-lang="en"></ohr-report-form>');
    expect(page).toContain('<h1>Report online hate to Hate &lt;Crime');
    expect(page).not.toContain('<Crime>');
  });

  it('serves the report page: the report app, the form alone on the hub’s origin, under its own CSP, with nothing about embedding', async () => {
    const response = await app.request('http://hub.test/report');
    expect(response.status).toBe(200);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    const page = await response.text();
    // The report app (hub/report-app.ts, test/unit/widget/report-app.test.ts): its own script, not the embeddable one.
    expect(page).toContain('<script src="/report/app.js" defer></script>');
    expect(page).toContain('<ohr-report-form>');
    expect(page).toContain('<h1>Report online hate to Hate &lt;Crime&gt; Hub</h1>');
    expect(page).not.toContain('<pre>');
  });

  it('leaves the API its own headers', async () => {
    const response = await app.request('http://hub.test/.well-known/ohr');
    expect(response.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
