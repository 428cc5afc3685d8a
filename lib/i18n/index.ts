/**
 * The i18n layer every user-facing string goes through, shared by the extension, the widget and the hub's pages.
 * Plain catalogues rather than `browser.i18n` so the same words work outside the extension.
 */
import { en, type Catalogue, type MessageKey } from './en';

export type { MessageKey } from './en';

const catalogues: Record<string, Catalogue> = { en };
let active: Catalogue = en;

/** Chooses the first supported language from a preference list such as `navigator.languages`; English otherwise. */
export function setLanguage(preferences: readonly string[]): string {
  for (const tag of preferences) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    const catalogue = catalogues[base];
    if (catalogue) {
      active = catalogue;
      return base;
    }
  }
  active = en;
  return 'en';
}

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return active[key].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}
