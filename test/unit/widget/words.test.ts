/**
 * The widget's small catalogue asks the extension's questions in the extension's words: every key it shares with the
 * extension's catalogue reads the same (they come from one module), and its other keys are its own `widget.*`.
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../../lib/i18n/en';
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
});
