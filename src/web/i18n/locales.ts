/** Supported locales, their direction, and lazy loaders for their catalogues and fonts. */
import type { CalendarPref, Locale } from '../api/types';
import type enMessages from './en.json';

export { LOCALES } from '../../core/vocabulary';
import { LOCALES } from '../../core/vocabulary';

/** Language names in their own script, for the language switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  ar: 'العربية',
  ur: 'اردو',
  fr: 'Français',
};

export type MessageKey = keyof typeof enMessages;
export type Messages = Record<string, string>;

/** Writing direction of a locale. */
export function dirOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'ar' || locale === 'ur' ? 'rtl' : 'ltr';
}

/** Whether a string is one of the supported locales. */
export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

const catalogueLoaders: Record<Locale, () => Promise<{ default: Messages }>> = {
  en: () => import('./en.json'),
  ar: () => import('./ar.json'),
  ur: () => import('./ur.json'),
  fr: () => import('./fr.json'),
};

const fontLoaders: Record<Locale, () => Promise<unknown>> = {
  en: () => import('../fonts/latin'),
  fr: () => import('../fonts/latin'),
  ar: () => import('../fonts/arabic'),
  ur: () => import('../fonts/urdu'),
};

/** Loads a locale's catalogue (one chunk per locale). */
export async function loadMessages(locale: Locale): Promise<Messages> {
  return (await catalogueLoaders[locale]()).default;
}

/** Loads the font faces a locale's script needs (only once per script). */
export function loadFonts(locale: Locale): Promise<unknown> {
  return fontLoaders[locale]().catch(() => undefined);
}

const STORAGE_KEY = 'sanad.locale';

/** The locale chosen before login (localStorage), else the browser's, else English. */
export function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    /* storage may be unavailable */
  }
  for (const tag of navigator.languages ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

/** Remembers the locale for the next visit (used before login too). */
export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    /* ignore */
  }
}

const CHOSEN_KEY = 'sanad.locale.chosen';

/** Notes a language the person picked explicitly before signing in: it wins over the account's saved one. */
export function markChosenLocale(locale: Locale): void {
  try {
    sessionStorage.setItem(CHOSEN_KEY, locale);
  } catch {
    /* ignore */
  }
}

/** The language picked before signing in, if any, forgetting it (it is applied and saved once). */
export function takeChosenLocale(): Locale | null {
  try {
    const chosen = sessionStorage.getItem(CHOSEN_KEY);
    sessionStorage.removeItem(CHOSEN_KEY);
    return isLocale(chosen) ? chosen : null;
  } catch {
    return null;
  }
}

/** BCP 47 tag for Intl formatting with the user's calendar (e.g. ar-u-ca-islamic-umalqura). */
export function intlLocale(locale: Locale, calendar: CalendarPref): string {
  return `${locale}-u-ca-${calendar}`;
}
