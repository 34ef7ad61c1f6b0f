/** The signed-in layout: skip link, top bar, side/bottom navigation, main region. */
import { Suspense, useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useCan } from '../api/abilities';
import type { Me } from '../api/types';
import { Icon } from '../components/icons';
import { Loading } from '../components/states';
import { useT } from '../i18n/use-t';
import { DemoRibbon } from './demo-ribbon';
import { LanguageSelect } from './language-select';
import { activeItem, homePath, navFor } from './nav';
import { UserMenu } from './user-menu';

/** Moves focus to the new page's h1 after client-side navigation (not on first load). */
function useFocusOnNavigate() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let tries = 0;
    const tick = () => {
      const h = document.getElementById('page-title');
      if (h) h.focus({ preventScroll: false });
      else if (tries++ < 20) window.setTimeout(tick, 50);
    };
    tick();
  }, [pathname]);
}

/** Layout for every signed-in page. */
export function Shell({ me }: { me: Me }) {
  const t = useT();
  const can = useCan();
  const items = navFor(can);
  const { pathname } = useLocation();
  const active = activeItem(items, pathname);
  useFocusOnNavigate();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('a11y.skipToMain')}
      </a>
      <header className="topbar">
        <DemoRibbon />
        <div className="topbar-row">
          <Link to={homePath(can)} className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span>{t('app.name')}</span>
          </Link>
          <span className="tenant muted">
            <bdi>{me.tenant.name}</bdi>
          </span>
          <div className="topbar-tools">
            <LanguageSelect />
            <UserMenu me={me} />
          </div>
        </div>
      </header>
      <div className="layout">
        <nav className="sidenav" aria-label={t('nav.label')}>
          {items.length === 0 ? (
            <p className="muted sidenav-empty">{t('nav.none')}</p>
          ) : (
            <ul>
              {items.map((item) => (
                <li key={item.id}>
                  <Link to={item.path} aria-current={item.id === active ? 'page' : undefined}>
                    <Icon name={item.icon} />
                    <span>{t(item.label)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <main id="main" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
