/** The user menu in the top bar: profile, MFA, sessions, password, log out (here / everywhere). */
import { useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import { useLogout } from '../api/queries';
import type { Me } from '../api/types';
import { Icon } from '../components/icons';
import { useT } from '../i18n/use-t';

/** A disclosure (<details>) menu; closes on choice, Escape or a click elsewhere. */
export function UserMenu({ me }: { me: Me }) {
  const t = useT();
  const ref = useRef<HTMLDetailsElement>(null);
  const navigate = useNavigate();
  const logout = useLogout();

  useEffect(() => {
    const onDoc = (e: MouseEvent) => {
      const d = ref.current;
      if (d?.open && !d.contains(e.target as Node)) d.open = false;
    };
    const onKey = (e: KeyboardEvent) => {
      const d = ref.current;
      if (e.key === 'Escape' && d?.open) {
        d.open = false;
        d.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('click', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('click', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, []);

  const close = () => {
    if (ref.current) ref.current.open = false;
  };
  const doLogout = (everywhere: boolean) => {
    close();
    logout.mutate(everywhere, { onSettled: () => void navigate('/login', { replace: true }) });
  };

  return (
    <details className="user-menu" ref={ref}>
      <summary aria-label={t('topbar.userMenu', { name: me.user.displayName })}>
        <Icon name="user" />
        <bdi className="user-name">{me.user.displayName}</bdi>
      </summary>
      <div className="menu-panel">
        <p className="menu-who">
          <bdi>{me.user.email}</bdi>
          <br />
          <span className="muted">
            <bdi>{me.tenant.name}</bdi>
          </span>
        </p>
        <ul>
          <li>
            <Link to="/profile" onClick={close}>
              {t('menu.profile')}
            </Link>
          </li>
          <li>
            <Link to="/profile/mfa" onClick={close}>
              {t('menu.mfa')}
            </Link>
          </li>
          <li>
            <Link to="/profile/sessions" onClick={close}>
              {t('menu.loginSessions')}
            </Link>
          </li>
          <li>
            <Link to="/profile/password" onClick={close}>
              {t('menu.password')}
            </Link>
          </li>
          <li className="menu-sep">
            <button type="button" onClick={() => doLogout(false)}>
              {t('menu.logout')}
            </button>
          </li>
          <li>
            <button type="button" onClick={() => doLogout(true)}>
              {t('menu.logoutAll')}
            </button>
          </li>
        </ul>
      </div>
    </details>
  );
}
