/** Profile: who I am, language and calendar preferences, and links to security settings. */
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { useMe, useSavePreferences } from '../../api/queries';
import type { CalendarPref, Locale } from '../../api/types';
import { DateTime } from '../../components/date-time';
import { PageHeader } from '../../components/page';
import { RoleList } from '../../components/role-list';
import { ErrorAlert, Loading } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { isLocale, LOCALE_NAMES, LOCALES } from '../../i18n/locales';
import { useT } from '../../i18n/use-t';

/** The /profile page. */
export function ProfilePage() {
  const t = useT();
  const me = useMe();
  const save = useSavePreferences();
  const { setLocale, setCalendar } = useI18n();
  const langId = useId();
  const [calendar, setCal] = useState<CalendarPref>('gregory');
  const [locale, setLoc] = useState<Locale>('en');
  const [saved, setSaved] = useState(false);
  const user = me.data?.user;

  useEffect(() => {
    if (user) {
      setCal(user.calendar);
      setLoc(user.locale);
    }
  }, [user]);

  if (!me.data || !user) return <Loading />;
  const now = new Date().toISOString();
  return (
    <>
      <PageHeader title={t('profile.title')} />
      <section className="card" aria-labelledby="profile-who">
        <h2 id="profile-who">{t('profile.account')}</h2>
        <dl className="kv">
          <dt>{t('profile.name')}</dt>
          <dd>
            <bdi>{user.displayName}</bdi>
          </dd>
          <dt>{t('profile.email')}</dt>
          <dd>
            <bdi>{user.email}</bdi>
          </dd>
          <dt>{t('profile.organisation')}</dt>
          <dd>
            <bdi>{me.data.tenant.name}</bdi>
          </dd>
          <dt>{t('profile.roles')}</dt>
          <dd>
            <RoleList roles={user.roles} />
          </dd>
          <dt>{t('profile.sessionEnds')}</dt>
          <dd>
            <DateTime value={me.data.session.expiresAt} />
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="profile-prefs">
        <h2 id="profile-prefs">{t('profile.preferences')}</h2>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(false);
            save.mutate(
              { locale, calendar },
              {
                onSuccess: () => {
                  setLocale(locale);
                  setCalendar(calendar);
                  setSaved(true);
                },
              },
            );
          }}
        >
          {save.isError ? <ErrorAlert error={save.error} /> : null}
          <div className="field">
            <label htmlFor={langId}>{t('profile.language')}</label>
            <select
              id={langId}
              value={locale}
              onChange={(e) => {
                if (isLocale(e.target.value)) setLoc(e.target.value);
              }}
            >
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LOCALE_NAMES[l]}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>{t('profile.calendar')}</legend>
            <label className="choice">
              <input
                type="radio"
                name="calendar"
                value="gregory"
                checked={calendar === 'gregory'}
                onChange={() => setCal('gregory')}
              />
              {t('calendar.gregory')}
            </label>
            <label className="choice">
              <input
                type="radio"
                name="calendar"
                value="islamic-umalqura"
                checked={calendar === 'islamic-umalqura'}
                onChange={() => setCal('islamic-umalqura')}
              />
              {t('calendar.hijri')}
            </label>
            <p className="hint">
              {t('profile.calendarHint')} <DateTime value={now} mode="date" />
            </p>
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {t('action.save')}
            </button>
            <span role="status" aria-live="polite" className="muted">
              {saved ? t('profile.saved') : ''}
            </span>
          </div>
        </form>
      </section>

      <section className="card" aria-labelledby="profile-security">
        <h2 id="profile-security">{t('profile.security')}</h2>
        <dl className="kv">
          <dt>{t('profile.mfa')}</dt>
          <dd>{user.mfaEnabled ? t('profile.mfaOn') : t('profile.mfaOff')}</dd>
        </dl>
        <ul className="link-list">
          <li>
            <Link to="/profile/mfa">{t('menu.mfa')}</Link>
          </li>
          <li>
            <Link to="/profile/sessions">{t('menu.loginSessions')}</Link>
          </li>
          <li>
            <Link to="/profile/password">{t('menu.password')}</Link>
          </li>
        </ul>
      </section>
    </>
  );
}
