/**
 * The widget in other languages (widget/language.ts, widget/packs.ts, hub/widget-lang.ts): which language an element
 * asks for; the Welsh pack, made from the shared catalogues (the extension's Welsh where the widget says the same);
 * the hub serving it to any origin, cached for good under the version the script names; and the widget loading it
 * over real HTTP from a real hub, then drawing and formatting in Welsh, or in English when the pack cannot be had.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../hub/app';
import { WIDGET_PACKS } from '../../../hub/widget-lang';
import { ar } from '../../../lib/i18n/ar';
import { cy } from '../../../lib/i18n/cy';
import { packVersion } from '../../../lib/pack-version';
import { MESSAGES } from '../../../lib/schema/vocabulary';
import type { Pack } from '../../../widget/language';
import { buildPack, makePack, packFile } from '../../../widget/packs';
import { widgetCy } from '../../../widget/words-cy';
import { widgetEn } from '../../../widget/words-en';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from '../hub/helpers';

/** What `languageOf` reads of an element: its `data-lang`, its own `lang`, and the nearest `[lang]` at or above it. */
function element(own: { dataLang?: string; lang?: string } = {}, inherited?: string): HTMLElement {
  const host = {
    dataset: own.dataLang === undefined ? {} : { lang: own.dataLang },
    lang: own.lang ?? '',
    dir: '',
    closest: () => (own.lang ? host : inherited === undefined ? null : { lang: inherited }),
  };
  return host as unknown as HTMLElement;
}

/** A fresh copy of language.ts (it keeps the loaded pack for the page), with the packs a build would name. */
async function freshLanguage(packs: Record<string, string>) {
  vi.resetModules();
  vi.stubGlobal('OHR_PACKS', packs);
  return import('../../../widget/language');
}

beforeEach(() => {
  vi.unstubAllGlobals();
  vi.stubGlobal('navigator', { language: 'en-GB' });
});

describe('which language an element asks for', () => {
  it('data-lang first, then the element’s or the page’s lang, then the browser’s; only languages with a pack', async () => {
    const { languageOf } = await freshLanguage({ cy: 'a', ar: 'b' });
    expect(languageOf(element({ dataLang: 'cy' }, 'en'))).toBe('cy');
    expect(languageOf(element({ dataLang: 'en', lang: 'cy' }))).toBe('');
    expect(languageOf(element({ lang: 'cy-GB' }, 'en'))).toBe('cy');
    expect(languageOf(element({}, 'CY'))).toBe('cy');
    expect(languageOf(element({}, 'en-GB'))).toBe('');
    // A page that says nothing: the browser's language.
    vi.stubGlobal('navigator', { language: 'ar-EG' });
    expect(languageOf(element())).toBe('ar');
    // A page in a language without a pack stays in English, whatever the browser prefers.
    expect(languageOf(element({}, 'fr'))).toBe('');
    expect(languageOf(element({ dataLang: 'toString' }))).toBe('');
  });
});

describe('the Welsh pack', () => {
  const pack = buildPack('cy');

  it('takes the extension’s Welsh for every key the widget shares with it, and the widget’s own Welsh for the rest', () => {
    expect(pack).toMatchObject({ lang: 'cy', dir: 'ltr' });
    expect(pack.words[widgetEn['form.next']]).toBe(cy['form.next']);
    expect(pack.words[widgetEn['contact.consent.emailUpdates']]).toBe(cy['contact.consent.emailUpdates']);
    expect(pack.words[widgetEn['support.heading']]).toBe(cy['support.heading']);
    expect(pack.words[widgetEn['category.religion']]).toBe(cy['category.religion']);
    expect(pack.words[widgetEn['widget.done.title']]).toBe(cy['done.received']);
    expect(pack.words[MESSAGES.summary]).toBe(cy['popup.summaryRequired']);
    expect(pack.words[widgetEn['widget.items.title']]).toBe(widgetCy['widget.items.title']);
    // Every word of the widget has its Welsh, except the site owner's console line (English, like the hub's config) and
    // the few that read the same in Welsh.
    const same = Object.entries(widgetEn).filter(([key, english]) => key !== 'widget.notAllowedConsole' && pack.words[english] === undefined);
    expect(same.map(([key]) => key)).toEqual(['widget.items.file']);
    expect(pack.words[widgetEn['widget.notAllowedConsole']]).toBeUndefined();
  });

  it('keeps each placeholder of the English in its Welsh', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [english, welsh] of Object.entries(pack.words)) expect([english, placeholders(welsh)]).toEqual([english, placeholders(english)]);
  });

  it('says its direction: a right-to-left language’s pack is marked rtl (with the extension’s Arabic, for the machinery)', () => {
    const english = Object.fromEntries(Object.keys(widgetCy).map((key) => [key, widgetEn[key as keyof typeof widgetCy]])) as typeof widgetCy;
    const arabic = makePack('ar', { shared: ar, own: english });
    expect(arabic).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(arabic.words['Next']).toBe(ar['form.next']);
    // Words a language leaves as the English are left out of its pack: the script has them already.
    expect(arabic.words[widgetEn['widget.items.title']]).toBeUndefined();
  });

  it('is refused for a language that has no words', () => {
    expect(() => buildPack('xx')).toThrow('No widget words for the language xx');
  });
});

describe('loading a pack from a real hub', () => {
  let database: TestDatabase;
  let server: ServerType;
  let hub = '';

  beforeAll(async () => {
    execFileSync('npx', ['vite', 'build', '--config', 'widget/vite.config.ts'], { stdio: 'ignore' });
    database = await openTestDatabase();
    const app = createApp({ db: database.db, config: { name: 'Test hub', rateLimit: { enabled: false } } });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database.dispose();
  });

  it('serves the built pack to any origin, for good under its version and briefly under any other', async () => {
    const built = await readFile(new URL('cy.json', WIDGET_PACKS), 'utf8');
    expect(built).toBe(packFile('cy').json);
    const current = await fetch(`${hub}/widget/lang/cy.json?v=${packVersion(built)}`, { headers: { Origin: 'https://www.example.org' } });
    expect(current.status).toBe(200);
    expect(current.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(current.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(current.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(current.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(((await current.json()) as Pack).words['Next']).toBe('Nesaf');
    expect((await fetch(`${hub}/widget/lang/cy.json?v=older`)).headers.get('Cache-Control')).toBe('public, max-age=300');
    for (const name of ['xx.json', '..%2Fwidget.js', 'cy.js']) expect((await fetch(`${hub}/widget/lang/${name}`)).status).toBe(404);
  });

  it('draws and formats in Welsh once the pack is loaded, and marks the element cy, left to right', async () => {
    const { format, h, say, speak } = await freshLanguage({ cy: packFile('cy').version });
    const host = element({ dataLang: 'cy' });
    await speak(host, `${hub}/`);
    expect([host.lang, host.dir]).toEqual(['cy', 'ltr']);
    expect(say('Next')).toBe('Nesaf');
    expect(format('Step {current} of {total}', { current: 2, total: 12 })).toBe('Cam 2 o 12');
    // Text children are translated; the person's own words, given in an array, and the values of a format are not.
    expect(h('p', null, 'Next').props.children).toBe('Nesaf');
    expect(h('dd', null, ['Next']).props.children).toEqual(['Next']);
    expect(format('Remove {name}', { name: 'Next' })).toBe('Tynnu Next');
  });

  it('stays in English, marked en, when the pack cannot be had', async () => {
    const { say, speak } = await freshLanguage({ cy: 'a', xx: 'b' });
    const unbuilt = element({ dataLang: 'xx' });
    await speak(unbuilt, hub);
    expect([unbuilt.lang, unbuilt.dir]).toEqual(['en', 'ltr']);
    expect(say('Next')).toBe('Next');
    const unreachable = element({ lang: 'cy' });
    await speak(unreachable, 'http://127.0.0.1:9');
    expect([unreachable.lang, say('Next')]).toEqual(['en', 'Next']);
    // English asks for no pack at all.
    const fetched = vi.fn(fetch);
    vi.stubGlobal('fetch', fetched);
    const english = element({}, 'en');
    await speak(english, hub);
    expect([english.lang, english.dir, fetched.mock.calls.length]).toEqual(['en', 'ltr', 0]);
  });
});
