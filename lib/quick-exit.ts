/**
 * Quick exit, the same everywhere a person may be reading or writing about the abuse they suffer (the extension's
 * pages, the widget): a button, or Esc pressed twice, replaces the page and its history entry with an unremarkable one.
 */

/** Somewhere unremarkable to land on; the widget's default, which an organisation may change (`exit-url`). */
export const NEUTRAL_PAGE = 'https://www.bbc.co.uk/weather';

/** Two presses of Esc within this long count as "leave now"; one stray press does nothing. */
export const DOUBLE_PRESS_MS = 1_500;
