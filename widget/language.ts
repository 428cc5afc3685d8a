/**
 * The widget in the person's language. English is in the script itself (the build writes every word where it is used);
 * another language comes as a language pack, `<hub>/widget/lang/<tag>.json`, fetched only when a page asks for that
 * language, so English pages pay nothing for it. A pack maps each English text of the widget to its translation (it is
 * built from the shared catalogues in `lib/i18n`, see `packs.ts`) and says its direction; the words are swapped as
 * they are drawn (`h`) or formatted (`format`), so the components keep asking for words with `t('key')`.
 * The language, first found of: the element's `data-lang`, the `lang` of the element or its nearest ancestor (the
 * embedding page's), the browser's language. One language per page: a second widget asking for another gets the first's.
 */
import { createElement, type ComponentChildren } from 'preact';
import { format as fill } from '@/lib/i18n/format';

export { Fragment } from 'preact';

declare const OHR_PACKS: Readonly<Record<string, string>>;

/** A language pack as the build writes it. */
export interface Pack {
  lang: string;
  dir: 'ltr' | 'rtl';
  words: Readonly<Record<string, string>>;
}

let words: Pack['words'] = {};

/** The words of the loaded pack for this English text; the text itself when there are none (English, or no pack). */
export const say = (text: string): string => words[text] ?? text;

/** `format` over the translated template: the values (names, counts, the hub's own words) are not translated. */
export const format = (template: string, values?: Record<string, string | number>): string => fill(say(template), values);

/**
 * Preact's `h`, translating the text children it is given (a child given inside an array, such as the person's own
 * words, is not). Exported as `h` under another local name: the build adds `import { h } from '@/widget/language'`
 * to every module, this one too.
 */
const translating = ((type: Parameters<typeof createElement>[0], props: Record<string, unknown> | null, ...children: ComponentChildren[]) =>
  createElement(type, props, ...children.map((child) => (typeof child === 'string' ? say(child) : child)))) as typeof createElement;
export { translating as h };

/** Each language with a pack, and the version its address carries: written in by the build (`vite.config.ts`). */
const packs = (): Readonly<Record<string, string>> => OHR_PACKS;

/** The language this element asks for, as its primary subtag ("cy" for "cy-GB"), if a pack was built for it; '' otherwise. */
export function languageOf(host: HTMLElement): string {
  const tag = (host.dataset['lang'] || (host.closest('[lang]') as HTMLElement | null)?.lang || navigator.language).toLowerCase().split('-')[0]!;
  return Object.hasOwn(packs(), tag) ? tag : '';
}

const loading: Record<string, Promise<Pack | undefined>> = {};

/**
 * Loads the pack this element asks for (once per page), then marks the element with the language and direction it
 * will be drawn in: the pack's, or English, left to right, when it asks for none or the pack cannot be had (the form
 * works in English rather than not at all). `endpoint` is the hub's base address, which serves the packs.
 */
export async function speak(host: HTMLElement, endpoint: string): Promise<void> {
  const tag = languageOf(host);
  const pack = await (loading[tag] ??= tag
    ? // A hub that does not answer soon leaves the form in English rather than not drawn at all.
      fetch(`${endpoint.replace(/\/+$/, '')}/widget/lang/${tag}.json?v=${packs()[tag]}`, { signal: AbortSignal.timeout(10_000) })
        .then((response) => response.json() as Promise<Pack>)
        // Anything else than a pack (an error's JSON, a page that is not JSON) counts as none.
        .then((loaded) => (loaded.words ? ((words = loaded.words), loaded) : undefined), () => undefined)
    : Promise.resolve(undefined));
  host.lang = pack?.lang ?? 'en';
  host.dir = pack?.dir ?? 'ltr';
}
