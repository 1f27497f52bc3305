import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from './languages';

/** A labelled select; the choice is remembered in localStorage by setupI18n's languageChanged handler. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('app.language')}</label>
      <select id={id} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.htmlLang}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  );
}
