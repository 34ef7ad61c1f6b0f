/** Locale + calendar state, catalogue and font loading, <html lang dir>, and the react-intl provider. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import type { CalendarPref, Locale } from '../api/types';
import { dirOf, initialLocale, intlLocale, loadFonts, loadMessages, rememberLocale, type Messages } from './locales';

interface I18nState {
  locale: Locale;
  calendar: CalendarPref;
  dir: 'ltr' | 'rtl';
  /** Switches the UI language (and remembers it in this browser). */
  setLocale: (locale: Locale) => void;
  /** Switches the calendar used for dates. */
  setCalendar: (calendar: CalendarPref) => void;
}

const I18nContext = createContext<I18nState | null>(null);

/** The current locale, calendar and their setters. */
export function useI18n(): I18nState {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

/** Provides react-intl with the catalogue of the chosen locale; renders nothing until it is loaded. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [calendar, setCalendar] = useState<CalendarPref>('gregory');
  const [loaded, setLoaded] = useState<{ locale: Locale; messages: Messages } | null>(null);

  useEffect(() => {
    let cancelled = false;
    void loadFonts(locale);
    loadMessages(locale).then(
      (messages) => {
        if (!cancelled) setLoaded({ locale, messages });
      },
      async () => {
        if (!cancelled && locale !== 'en') setLoaded({ locale: 'en', messages: await loadMessages('en') });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [locale]);

  const shown = loaded?.locale ?? locale;
  useEffect(() => {
    const html = document.documentElement;
    html.lang = shown;
    html.dir = dirOf(shown);
  }, [shown]);

  const setLocale = useCallback((next: Locale) => {
    rememberLocale(next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18nState>(
    () => ({ locale: shown, calendar, dir: dirOf(shown), setLocale, setCalendar }),
    [shown, calendar, setLocale],
  );

  if (!loaded) return null;
  return (
    <I18nContext.Provider value={value}>
      <IntlProvider
        locale={intlLocale(loaded.locale, calendar)}
        defaultLocale="en"
        messages={loaded.messages}
        onError={(err) => {
          if (import.meta.env.DEV) console.warn(err.message);
        }}
      >
        {children}
      </IntlProvider>
    </I18nContext.Provider>
  );
}
