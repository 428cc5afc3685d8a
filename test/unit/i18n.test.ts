import { describe, expect, it } from 'vitest';
import { setLanguage, startLanguage, t } from '../../lib/i18n';

describe('i18n', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('popup.summaryHint', { max: 5000 })).toBe('You can add more later. Up to 5000 characters.');
    expect(t('popup.summaryHint')).toContain('{max}');
  });

  it('falls back to English for languages without a catalogue', () => {
    expect(setLanguage(['xx-YY', 'zz'])).toBe('en');
    expect(setLanguage(['en-GB'])).toBe('en');
  });

  it('starts a page in the stored choice, else the browser’s; pages other than the form skip form-only languages', () => {
    const root = { lang: '', dir: '' } as unknown as HTMLElement;
    expect(startLanguage(root, 'cy', ['en-GB'], 'other')).toBe('cy');
    expect(root.lang).toBe('cy');
    expect(startLanguage(root, null, ['ar-EG', 'cy'], 'other')).toBe('cy');
    expect(startLanguage(root, 'ar', ['en'], 'form')).toBe('ar');
    expect(root.dir).toBe('rtl');
    expect(startLanguage(root, 'ar', ['en'], 'other')).toBe('en');
    expect(root.dir).toBe('ltr');
    setLanguage(['en']);
  });
});
