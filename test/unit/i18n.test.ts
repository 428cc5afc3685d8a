import { describe, expect, it } from 'vitest';
import { setLanguage, t } from '../../lib/i18n';

describe('i18n', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('popup.summaryHint', { max: 5000 })).toBe('You can add more later. Up to 5000 characters.');
    expect(t('popup.summaryHint')).toContain('{max}');
  });

  it('falls back to English for languages without a catalogue', () => {
    expect(setLanguage(['xx-YY', 'zz'])).toBe('en');
    expect(setLanguage(['en-GB'])).toBe('en');
  });
});
