import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { initialLanguage, LANGUAGE_STORAGE_KEY, languageOf } from './languages';
import { zhCN } from './zh-cn';
import { zhHK } from './zh-hk';

declare global {
  interface Window {
    /** Keys asked for but missing in the current language; the browser tests assert this stays empty. */
    __hetaoMissingKeys?: string[];
  }
}

window.__hetaoMissingKeys = [];

export function setupI18n(): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-HK': { translation: zhHK }, 'zh-CN': { translation: zhCN } },
    lng: initialLanguage(),
    fallbackLng: false,
    supportedLngs: ['en', 'zh-HK', 'zh-CN'],
    interpolation: { escapeValue: false },
    saveMissing: true,
    missingKeyHandler: (lngs, _ns, key) => window.__hetaoMissingKeys?.push(`${lngs.join(',')}:${key}`),
    returnNull: false,
  });
  const apply = (lng: string): void => {
    document.documentElement.lang = languageOf(lng).htmlLang;
    localStorage.setItem(LANGUAGE_STORAGE_KEY, languageOf(lng).code);
  };
  apply(i18next.language);
  i18next.on('languageChanged', apply);
  return i18next;
}
