/**
 * The widget's language packs, made at build time (`vite.config.ts` writes `dist/widget/lang/<tag>.json`) from the
 * shared catalogues: for each of the widget's words, the English text as the script shows it, and its translation.
 * Keys the widget shares with the extension take the extension's translation (`lib/i18n`); the widget's own keys take
 * its own (`words-cy.ts`). Not part of the script: `language.ts` reads the packs, this writes them.
 */
import { direction } from '@/lib/i18n';
import { cy } from '@/lib/i18n/cy';
import { packVersion } from '@/lib/pack-version';
import type { Catalogue, MessageKey } from '@/lib/i18n/en';
import type { Pack } from './language';
import { widgetCy } from './words-cy';
import { widgetEn, type WidgetMessageKey } from './words-en';

/** Words for the site's owner (the browser console), in English like the hub's configuration they name. */
const ENGLISH_ONLY = ['widget.notAllowedConsole'] as const;

/** The widget's keys that the extension's catalogue does not have, which each language translates for the widget. */
export type OwnWidgetKey = Exclude<WidgetMessageKey, MessageKey | (typeof ENGLISH_ONLY)[number]>;

export interface Language {
  /** The shared catalogue, whose words serve every key the widget shares with the extension. */
  shared: Catalogue;
  own: Record<OwnWidgetKey, string>;
}

/** The languages a pack is built for. Another language is a catalogue in `lib/i18n` and a `words-<tag>.ts` here. */
export const LANGUAGES: Readonly<Record<string, Language>> = { cy: { shared: cy, own: widgetCy } };

/** One language's pack, of those built. */
export function buildPack(tag: string): Pack {
  const language = LANGUAGES[tag];
  if (!language) throw new Error(`No widget words for the language ${tag}`);
  return makePack(tag, language);
}

/** A pack from a language's words; refuses (in words) a translation missing or one English text translated two ways. */
export function makePack(tag: string, language: Language): Pack {
  const words: Record<string, string> = {};
  for (const [key, english] of Object.entries(widgetEn) as Array<[WidgetMessageKey, string]>) {
    if ((ENGLISH_ONLY as readonly string[]).includes(key)) continue;
    const translated = key in language.own ? language.own[key as OwnWidgetKey] : language.shared[key as MessageKey];
    if (!translated) throw new Error(`The ${tag} widget pack has no words for ${key}`);
    const earlier = words[english];
    if (earlier !== undefined && earlier !== translated) {
      throw new Error(`The ${tag} widget pack translates “${english}” two ways (“${earlier}”, “${translated}”): the widget shows one English text, so one translation`);
    }
    if (translated !== english) words[english] = translated;
  }
  return { lang: tag, dir: direction(tag), words };
}

/** A pack as served: JSON, and the version its address carries (`lib/pack-version.ts`), which the hub checks too. */
export function packFile(tag: string): { json: string; version: string } {
  const json = JSON.stringify(buildPack(tag));
  return { json, version: packVersion(json) };
}
