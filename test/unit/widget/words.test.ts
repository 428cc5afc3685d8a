/**
 * The widget's small catalogue asks the extension's questions in the extension's words: every key it shares with the
 * extension's catalogue reads the same (they come from one module), and its other keys are its own `widget.*`. The
 * words for the closed lists' values, spelled out in `labels.ts`, cover every value in the vocabulary's order.
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../../lib/i18n/en';
import { ReportStatus } from '../../../lib/schema';
import { AGE_BANDS, CONTACT_CHANNELS, HARM_TYPES, REPORTER_ROLES, TARGETED_CHARACTERISTICS } from '../../../lib/schema/vocabulary';
import { AGES, CATEGORIES, CHANNELS, CONSENTS, HARMS, ROLES, STATUSES } from '../../../widget/labels';
import { widgetEn } from '../../../widget/words-en';

describe('widget catalogue', () => {
  it('uses the extension wording for every key it shares', () => {
    const shared = Object.keys(widgetEn).filter((key) => key in en);
    expect(shared.length).toBeGreaterThan(80);
    for (const key of shared) expect([key, widgetEn[key as keyof typeof widgetEn]]).toEqual([key, en[key as keyof typeof en]]);
  });

  it('names its own keys widget.*', () => {
    expect(Object.keys(widgetEn).filter((key) => !(key in en) && !key.startsWith('widget.'))).toEqual([]);
  });

  it('has words for every value of the closed lists, in their order', () => {
    const lists: Array<[Record<string, string>, readonly string[], string]> = [
      [ROLES, REPORTER_ROLES, 'who.'],
      [CATEGORIES, TARGETED_CHARACTERISTICS, 'category.'],
      [HARMS, HARM_TYPES, 'harm.'],
      [CHANNELS, CONTACT_CHANNELS, 'contact.channel.'],
      [STATUSES, ReportStatus.options, 'status.'],
    ];
    for (const [labels, values, prefix] of lists) {
      expect(Object.entries(labels)).toEqual(values.map((value) => [value, en[`${prefix}${value}` as keyof typeof en]]));
    }
    expect(Object.keys(AGES)).toEqual([...AGE_BANDS]);
    expect([AGES.under_18, AGES['18_24'], AGES['65_plus']]).toEqual([en['contact.age.under_18'], '18–24', en['contact.age.65_plus']]);
    expect(Object.entries(CONSENTS)).toEqual(Object.keys(CONSENTS).map((consent) => [consent, en[`contact.consent.${consent}` as keyof typeof en]]));
  });
});
