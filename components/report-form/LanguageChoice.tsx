import { LANGUAGES, currentLanguage, t } from '@/lib/i18n';

/** A manual choice over the browser's preference: someone may share a computer set up in another language. */
export function LanguageChoice({ onChoose }: { onChoose(tag: string): void }) {
  return (
    <div class="language">
      <label for="language">{t('form.language')}</label>
      <select id="language" value={currentLanguage()} onChange={(event) => onChoose(event.currentTarget.value)}>
        {LANGUAGES.map((language) => (
          <option key={language.tag} value={language.tag} lang={language.tag}>
            {language.name}
          </option>
        ))}
      </select>
    </div>
  );
}
