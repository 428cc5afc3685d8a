/**
 * The hub's own page (`/`) and its privacy page (`/privacy`) through the real app on a real database: the organisation's
 * name, what it takes reports about and where, the form embedded as any site embeds it, the links (status, privacy,
 * open data, staff sign-in), English, Welsh and Arabic, and headers that let only the hub's own scripts and styles run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../hub/app';
import { newSealingKeyPair, publicJwkOf } from '../../../lib/crypto/seal';
import { SEAL_ALG } from '../../../lib/schema';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let plain: Hono;
let configured: Hono;
beforeAll(async () => {
  testDb = await openTestDatabase();
  plain = createApp({ db: testDb.db, config: { name: 'Stop Hate Somewhere', rateLimit: { enabled: false } } });
  configured = createApp({
    db: testDb.db,
    config: {
      name: 'Hate Crime Support Wales',
      area: 'Wales',
      categories: ['religion', 'disability'],
      acceptsAnonymous: false,
      privacyPolicyUrl: 'https://support.example.org/privacy',
      erasureWithdrawnDays: 30,
      erasureClosedMonths: 24,
      encryptionKey: { kid: 'org-2026-12-06', alg: SEAL_ALG, jwk: await publicJwkOf((await newSealingKeyPair()).publicKey) },
      rateLimit: { enabled: false },
    },
  });
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const page = async (app: Hono, path: string, headers: Record<string, string> = {}) => {
  const response = await app.request(path, { headers });
  expect(response.status).toBe(200);
  return { response, html: await response.text() };
};

describe('the hub’s own page', () => {
  it('is the organisation’s page: its name, what it takes reports about, the form embedded with one script tag, and the links', async () => {
    const { response, html } = await page(configured, '/');
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(response.headers.get('Vary')).toContain('Accept-Language');
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('<p class="service">Hate Crime Support Wales</p>');
    expect(html).toContain('<h1>Report online hate to Hate Crime Support Wales</h1>');
    // Only the characteristics this hub takes, in words; the area; no promise of anonymity it does not make.
    expect(html).toContain('<ul class="takes"><li>religion</li><li>disability</li></ul>');
    expect(html).not.toContain('<li>race</li>');
    expect(html).toContain('We take reports about people in Wales.');
    expect(html).not.toContain('You do not have to give your name.');
    // The widget as an organisation embeds it, reporting to this hub.
    expect(html).toContain('<script src="/widget.js" async></script>');
    expect(html).toContain('<ohr-report-form endpoint="http://localhost" data-lang="en"></ohr-report-form>');
    expect(html).toContain('<a href="/status?lang=en">Check your report</a>');
    expect(html).toContain('<a href="https://support.example.org/privacy">How we use your information</a>');
    expect(html).toContain('<a href="/console/open-data">Published data about reports</a>');
    expect(html).toContain('<a href="/report">Install the report form on your phone</a>');
    expect(html).toContain('<a href="/console">Staff sign-in</a>');
    // The quick exit, and its stylesheet and Esc script from the hub itself.
    expect(html).toContain('id="quick-exit"');
    expect(html).toContain('<link rel="stylesheet" href="/status/status.css"/>');
    expect(html).toContain('<script src="/status/exit.js" defer></script>');
  });

  it('without a policy of its own, links the built-in privacy page; every characteristic by default; says a name is not needed', async () => {
    const { html } = await page(plain, '/');
    expect(html).toContain('<a href="/privacy?lang=en">How we use your information</a>');
    expect(html).toContain('<li>race</li><li>religion</li>');
    expect(html).toContain('You do not have to give your name.');
    expect(html).not.toContain('We take reports about people in');
  });

  it('speaks Welsh and Arabic, chosen by the switcher or Accept-Language, and asks the form for the same language', async () => {
    const welsh = await page(configured, '/?lang=cy');
    expect(welsh.html).toContain('<html lang="cy" dir="ltr">');
    expect(welsh.html).toContain('Rhoi gwybod i Hate Crime Support Wales am gasineb ar-lein');
    expect(welsh.html).toContain('<li>crefydd</li><li>anabledd</li>');
    expect(welsh.html).toContain('<a href="/?lang=en"');
    const arabic = await page(configured, '/', { 'Accept-Language': 'ar-EG, en;q=0.5' });
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.html).toContain('دخول الموظفين');
    expect(arabic.html).toContain('data-lang="ar"></ohr-report-form>');
  });

  it('serves the shared design tokens in front of the public stylesheet', async () => {
    const css = await (await plain.request('/status/status.css')).text();
    expect(css.indexOf('--brand: #4a2a8c;')).toBeGreaterThanOrEqual(0);
    expect(css.indexOf('--brand: #4a2a8c;')).toBeLessThan(css.indexOf('.exit-band'));
  });
});

describe('the privacy page', () => {
  it('says what is kept and for how long, from the hub’s settings, and links the organisation’s own policy', async () => {
    const { response, html } = await page(configured, '/privacy');
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(html).toContain('<h1>What this service keeps</h1>');
    expect(html).toContain('<a href="https://support.example.org/privacy">Read Hate Crime Support Wales’s privacy policy</a>');
    expect(html).toContain('If you withdraw your report, what you sent is erased 30 days later.');
    expect(html).toContain('When Hate Crime Support Wales closes your report, what you sent is erased 24 months later.');
  });

  it('says a withdrawn report is erased at once by default, and has no policy link without one', async () => {
    const { html } = await page(plain, '/privacy?lang=en');
    expect(html).toContain('If you withdraw your report, what you sent is erased at once.');
    expect(html).toContain('erased 12 months later.');
    expect(html).not.toContain('privacy policy</a>');
    const welsh = await page(plain, '/privacy?lang=cy');
    expect(welsh.html).toContain('Beth mae’r gwasanaeth hwn yn ei gadw');
  });

  it('says what the organisation can and cannot see: contact details sealed when it publishes a key, in clear when not', async () => {
    const sealed = await page(configured, '/privacy?lang=en');
    expect(sealed.html).toContain('What Hate Crime Support Wales can and cannot see');
    expect(sealed.html).toContain('locked on your own device before they are sent, with a key that only Hate Crime Support Wales’s staff hold');
    expect(sealed.html).toContain('that address is kept readable');
    expect(sealed.html).not.toContain('they are kept as you typed them');
    // Anonymous reports are not taken there, so the page does not promise anything about them.
    expect(sealed.html).not.toContain('If you report without giving your name');
    const clear = await page(plain, '/privacy?lang=en');
    expect(clear.html).toContain('they are kept as you typed them, and Stop Hate Somewhere’s staff can read them.');
    expect(clear.html).not.toContain('locked on your own device');
    expect(clear.html).toContain('only a fingerprint of each picture is sent');
    expect(clear.html).toContain('your own name and picture on the page you report are blacked out');
    expect(clear.html).toContain('Your contact details go to the police only if you agreed');
    const welsh = await page(configured, '/privacy?lang=cy');
    expect(welsh.html).toContain('wedi’u cloi yn unig');
  });
});

