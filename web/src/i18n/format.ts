import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '../api/types';
import { languageOf } from './languages';

/** Locale-aware formatters for the current language (Intl); CNY is written RMB / 人民幣 / 人民币 per language. */
export interface Formatters {
  number(n: number): string;
  percent(ratio: number): string;
  money(amount: number, currency: Currency): string;
  dateTime(ms: number): string;
  time(ms: number): string;
  bytes(n: number): string;
}

export function useFormat(): Formatters {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => {
    const locale = languageOf(lng).locale;
    const num = new Intl.NumberFormat(locale);
    const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    const dec = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const hkd = new Intl.NumberFormat(locale, { style: 'currency', currency: 'HKD', currencyDisplay: 'symbol' });
    const dt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    const tm = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
    const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    return {
      number: (n) => num.format(n),
      percent: (r) => pct.format(Number.isFinite(r) ? r : 0),
      money: (amount, currency) =>
        currency === 'HKD' ? hkd.format(amount) : t('currency.cny', { amount: dec.format(amount) }),
      dateTime: (ms) => dt.format(ms),
      time: (ms) => tm.format(ms),
      bytes: (n) => {
        let v = n;
        let u = 0;
        while (v >= 1000 && u < units.length - 1) {
          v /= 1000;
          u++;
        }
        return `${one.format(v)} ${units[u]}`;
      },
    };
  }, [lng, t]);
}
