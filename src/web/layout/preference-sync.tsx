/**
 * Applies the signed-in user's saved locale and calendar when /me loads or changes — unless the person
 * picked a language on the sign-in page: that choice wins and is saved to the account.
 */
import { useEffect } from 'react';
import { useMe, useSavePreferences } from '../api/queries';
import { useI18n } from '../i18n/i18n-provider';
import { takeChosenLocale } from '../i18n/locales';

/** Keeps the UI locale/calendar in step with the server-side preferences. */
export function PreferenceSync() {
  const me = useMe();
  const { setLocale, setCalendar } = useI18n();
  const saveLocale = useSavePreferences().mutate;
  const signedIn = me.data?.session.mfaPassed === true;
  const locale = me.data?.user.locale;
  const calendar = me.data?.user.calendar;
  useEffect(() => {
    if (!signedIn) return;
    const chosen = takeChosenLocale();
    if (chosen && chosen !== locale) {
      setLocale(chosen);
      saveLocale({ locale: chosen });
    } else if (locale) setLocale(locale);
  }, [signedIn, locale, setLocale, saveLocale]);
  useEffect(() => {
    if (calendar) setCalendar(calendar);
  }, [calendar, setCalendar]);
  return null;
}
