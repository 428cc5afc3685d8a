/**
 * The one global the right-click listener and the injected capture script share. Both run in the extension's
 * isolated world of the same frame, so the page's own scripts cannot see or forge it.
 */
export const REMEMBERED_KEY = '__ohrRightClicked';

export interface RememberedTarget {
  element: Element;
  at: number;
}

export function rememberedTarget(scope: object): RememberedTarget | undefined {
  const value = (scope as Record<string, unknown>)[REMEMBERED_KEY];
  return value && typeof value === 'object' && 'element' in value && 'at' in value ? (value as RememberedTarget) : undefined;
}

/** Where the injected capture script puts its entry point for the background's follow-up call. */
export const CAPTURE_KEY = '__ohrCapture';
