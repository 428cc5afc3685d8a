/**
 * The browser as a signed capture manifest names it: family and major version ("Chrome 131", "Firefox 133"), from the
 * closed lists below and nothing else. Never the user-agent string: with its platform, build and version digits it is
 * a fingerprint that would be the same in every report from one computer, anonymous ones included.
 */

export interface NavigatorLike {
  userAgent: string;
  /** User-Agent Client Hints (Chromium browsers): low-entropy brands with major versions only. */
  userAgentData?: { brands?: ReadonlyArray<{ brand: string; version: string }> } | undefined;
}

/** Client-hint brands, most specific first: Edge, Opera and Brave also list "Chromium". */
const BRANDS: ReadonlyArray<readonly [brand: string, family: string]> = [
  ['Microsoft Edge', 'Edge'],
  ['Opera', 'Opera'],
  ['Brave', 'Brave'],
  ['Google Chrome', 'Chrome'],
  ['Chromium', 'Chromium'],
];

/** Without client hints (Firefox, older browsers): the user-agent string's product tokens, most specific first. */
const TOKENS: ReadonlyArray<readonly [pattern: RegExp, family: string]> = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bFirefox\/(\d+)/, 'Firefox'],
  [/\b(?:Headless)?Chrome\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[\d.]*(?: Mobile\/\S+)? Safari\//, 'Safari'],
];

export const UNKNOWN_BROWSER = 'Unknown browser';

export function browserName(navigator: NavigatorLike): string {
  const brands = navigator.userAgentData?.brands ?? [];
  for (const [brand, family] of BRANDS) {
    const found = brands.find((candidate) => candidate.brand === brand);
    if (found) return named(family, found.version);
  }
  for (const [pattern, family] of TOKENS) {
    const match = pattern.exec(navigator.userAgent);
    if (match) return named(family, match[1]);
  }
  return UNKNOWN_BROWSER;
}

/** The family and the major version when it is a plain number; the family alone otherwise. */
function named(family: string, version: string | undefined): string {
  const major = /^\d{1,4}(?=\D|$)/.exec(version ?? '')?.[0];
  return major ? `${family} ${Number(major)}` : family;
}
