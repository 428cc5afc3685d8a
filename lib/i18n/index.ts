/**
 * The i18n layer every user-facing string goes through, shared by the extension, the widget and the hub's pages.
 * Plain catalogues rather than `browser.i18n` so the same words work outside the extension.
 */
import { ar } from './ar';
import { cy } from './cy';
import { en, type Catalogue, type MessageKey } from './en';
import { format } from './format';

export type { Catalogue, MessageKey } from './en';

const catalogues: Record<string, Catalogue> = { en, cy, ar };
let active: Catalogue = en;
let activeTag = 'en';

/** The languages a person can choose, each named in itself so anyone can find their own. */
export const LANGUAGES = [
  { tag: 'en', name: 'English' },
  { tag: 'cy', name: 'Cymraeg' },
  { tag: 'ar', name: 'العربية' },
] as const;

/** Catalogues translated only for the report form; other pages would mix English words into a mirrored layout. */
const FORM_ONLY = new Set(['ar']);

/** Where a manual language choice is kept (extension pages share one origin): only the tag, nothing about a report. */
export const LANGUAGE_KEY = 'ohr-language';

/**
 * Starts a page in the person's language: their manual choice if any, else the browser's preferences. Pages other
 * than the report form skip languages translated only for the form.
 */
export function startLanguage(root: HTMLElement, stored: string | null, preferences: readonly string[], page: 'form' | 'other'): string {
  const wanted = stored ? [stored, ...preferences] : [...preferences];
  const usable = page === 'form' ? wanted : wanted.filter((tag) => !FORM_ONLY.has(tag.toLowerCase().split('-')[0] ?? ''));
  const tag = setLanguage(usable);
  applyLanguage(root, tag);
  return tag;
}

/**
 * Languages a person may ask to be contacted in: those spoken by many in the communities these reports come from,
 * each named in itself. Stored as BCP 47 tags, as the report model wants.
 */
export const CONTACT_LANGUAGES = [
  { tag: 'en', name: 'English' },
  { tag: 'cy', name: 'Cymraeg' },
  { tag: 'ar', name: 'العربية' },
  { tag: 'ur', name: 'اردو' },
  { tag: 'pa', name: 'ਪੰਜਾਬੀ' },
  { tag: 'bn', name: 'বাংলা' },
  { tag: 'pl', name: 'Polski' },
  { tag: 'ro', name: 'Română' },
  { tag: 'so', name: 'Soomaali' },
] as const;

/** Scripts written right to left; the page's `dir` follows the language so layout mirrors with it. */
const RTL = new Set(['ar', 'ur', 'fa', 'he']);

/** Chooses the first supported language from a preference list such as `navigator.languages`; English otherwise. */
export function setLanguage(preferences: readonly string[]): string {
  for (const tag of preferences) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    const catalogue = catalogues[base];
    if (catalogue) {
      active = catalogue;
      activeTag = base;
      return base;
    }
  }
  active = en;
  activeTag = 'en';
  return 'en';
}

export function currentLanguage(): string {
  return activeTag;
}

export function direction(tag: string = activeTag): 'ltr' | 'rtl' {
  return RTL.has(tag.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

/** Sets `lang` and `dir` on the page, so screen readers pronounce it right and the layout mirrors for RTL. */
export function applyLanguage(root: HTMLElement, tag: string = activeTag): void {
  root.lang = tag;
  root.dir = direction(tag);
}

/** A date and time in the page's language, e.g. "25 Nov 2026, 10:04": for titles and lists, never for evidence. */
export function formatDateTime(iso: string): string {
  // British dates for English: OHR's organisations and the people reporting to them are in the UK first.
  return new Intl.DateTimeFormat(activeTag === 'en' ? 'en-GB' : activeTag, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return format(active[key], values);
}
