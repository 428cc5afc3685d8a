/**
 * The triage console's words (the hub's pages for moderators). A catalogue of its own, in English for now, so the
 * extension's and widget's locales need not carry words only moderators see. One file per part of the console, each
 * owned by that part; all go through `ct`, so a later translation is a catalogue away.
 */
import { format } from '../format';
import { accountsEn } from './accounts';
import { deliveriesEn } from './deliveries';
import { queueEn } from './queue';
import { questionsEn } from './questions';
import { referralsEn } from './referrals';
import { reportEn } from './report';
import { proofEn } from './proof';
import { setupEn } from './setup';
import { sealedEn } from './sealed';
import { keyAccessEn } from './key-access';

export const consoleEn = { ...proofEn, ...accountsEn, ...deliveriesEn, ...queueEn, ...referralsEn, ...setupEn, ...questionsEn, ...reportEn, ...sealedEn, ...keyAccessEn };

export type ConsoleKey = keyof typeof consoleEn;

/** A console message, with `{name}` placeholders filled from `values`. */
export function ct(key: ConsoleKey, values: Record<string, string | number> = {}): string {
  return format(consoleEn[key], values);
}

/** A message that depends on a number: written as `<key>.one` and `<key>.other` (CLDR plural categories). */
export type ConsolePluralKey = { [K in ConsoleKey]: K extends `${infer Base}.one` ? (`${Base}.other` extends ConsoleKey ? Base : never) : never }[ConsoleKey];

const PLURAL_RULES = new Intl.PluralRules('en');

/**
 * A message for `count`, in the form its language's plural rules choose ("1 report", "5 reports"); `{count}` is the
 * number written with separators. A category the catalogue lacks falls back to `other`.
 */
export function ctn(key: ConsolePluralKey, count: number, values: Record<string, string | number> = {}): string {
  const chosen = `${key}.${PLURAL_RULES.select(count)}`;
  const template = chosen in consoleEn ? consoleEn[chosen as ConsoleKey] : consoleEn[`${key}.other` as ConsoleKey];
  return format(template, { count: count.toLocaleString('en'), ...values });
}
