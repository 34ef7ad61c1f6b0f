/**
 * The language switcher: saved on the server when signed in, in localStorage always; picked before
 * signing in, it is marked as the person's explicit choice, which then wins over the account's saved one.
 */
import { useId } from 'react';
import { useMe, useSavePreferences } from '../api/queries';
import { useI18n } from '../i18n/i18n-provider';
import { isLocale, LOCALE_NAMES, LOCALES, markChosenLocale } from '../i18n/locales';
import { useT } from '../i18n/use-t';

/** A <select> listing each language in its own script. */
export function LanguageSelect() {
  const t = useT();
  const id = useId();
  const { locale, setLocale } = useI18n();
  const me = useMe();
  const save = useSavePreferences();
  return (
    <div className="lang-select">
      <label htmlFor={id} className="visually-hidden">
        {t('topbar.language')}
      </label>
      <select
        id={id}
        value={locale}
        onChange={(e) => {
          const next = e.target.value;
          if (!isLocale(next)) return;
          setLocale(next);
          if (me.data?.session.mfaPassed) save.mutate({ locale: next });
          else markChosenLocale(next);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l} dir={l === 'ar' || l === 'ur' ? 'rtl' : 'ltr'}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
