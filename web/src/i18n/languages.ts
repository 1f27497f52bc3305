/** The dashboard's languages: the i18next code, the Intl locale used for numbers and dates, and the html lang tag. */
export const LANGUAGES = [
  { code: 'en', locale: 'en-HK', htmlLang: 'en', label: 'English' },
  { code: 'zh-HK', locale: 'zh-HK', htmlLang: 'zh-Hant-HK', label: '繁體中文' },
  { code: 'zh-CN', locale: 'zh-CN', htmlLang: 'zh-Hans-CN', label: '简体中文' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const LANGUAGE_STORAGE_KEY = 'hetao.language';

export function languageOf(code: string | undefined): (typeof LANGUAGES)[number] {
  return LANGUAGES.find((l) => l.code === code) ?? LANGUAGES[0];
}

/** The remembered choice, else the browser's preference mapped onto the three, else English. */
export function initialLanguage(): LanguageCode {
  const saved = localStorage.getItem(LANGUAGE_STORAGE_KEY);
  if (saved && LANGUAGES.some((l) => l.code === saved)) return saved as LanguageCode;
  const nav = navigator.language.toLowerCase();
  if (nav.startsWith('zh')) return /hant|hk|tw|mo/.test(nav) ? 'zh-HK' : 'zh-CN';
  return 'en';
}
