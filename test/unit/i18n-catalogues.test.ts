import { describe, expect, it } from 'vitest';
import { applyLanguage, direction, setLanguage, t } from '../../lib/i18n';
import { ar } from '../../lib/i18n/ar';
import { cy } from '../../lib/i18n/cy';
import { en } from '../../lib/i18n/en';
import { formEn } from '../../lib/i18n/form-en';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe.each([
  ['cy', cy],
  ['ar', ar],
])('the %s catalogue', (_tag, catalogue) => {
  it('has exactly the English keys, each non-empty, with the same placeholders', () => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    for (const [key, english] of Object.entries(en)) {
      const translated = catalogue[key as keyof typeof en];
      expect(translated.trim(), key).not.toBe('');
      expect(placeholders(translated), key).toEqual(placeholders(english));
    }
  });
});

describe('translations', () => {
  it('Welsh translates every message (only names and bare placeholders may equal the English)', () => {
    const same = Object.keys(en).filter((key) => cy[key as keyof typeof en] === en[key as keyof typeof en]);
    expect(same.sort()).toEqual(['appName', 'error.fields']);
  });

  it('Arabic translates every form message', () => {
    for (const key of Object.keys(formEn)) expect(ar[key as keyof typeof en], key).not.toBe(en[key as keyof typeof en]);
  });

  it('chooses the language from the preference list, and its direction', () => {
    expect(setLanguage(['cy-GB', 'en'])).toBe('cy');
    expect(t('form.progress', { current: 2, total: 9 })).toBe('Cam 2 o 9');
    expect(direction()).toBe('ltr');
    expect(setLanguage(['ar-EG'])).toBe('ar');
    expect(direction()).toBe('rtl');
    const root = { lang: '', dir: '' } as HTMLElement;
    applyLanguage(root);
    expect(root).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(direction('ur-PK')).toBe('rtl');
    setLanguage(['en']);
  });
});
