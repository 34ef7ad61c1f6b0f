/** Applies the logged-in user's saved locale and calendar when /me loads or changes. */
import { useEffect } from 'react';
import { useMe } from '../api/queries';
import { useI18n } from '../i18n/i18n-provider';

/** Keeps the UI locale/calendar in step with the server-side preferences. */
export function PreferenceSync() {
  const me = useMe();
  const { setLocale, setCalendar } = useI18n();
  const locale = me.data?.user.locale;
  const calendar = me.data?.user.calendar;
  useEffect(() => {
    if (locale) setLocale(locale);
  }, [locale, setLocale]);
  useEffect(() => {
    if (calendar) setCalendar(calendar);
  }, [calendar, setCalendar]);
  return null;
}
