/** Layout for pages without a session (login, invitation): brand, language, centred card. */
import type { ReactNode } from 'react';
import { useT } from '../i18n/use-t';
import { DemoRibbon } from './demo-ribbon';
import { LanguageSelect } from './language-select';

/** A minimal header with the language switcher, and a main region holding a card. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="app app-public">
      <a className="skip-link" href="#main">
        {t('a11y.skipToMain')}
      </a>
      <header className="topbar">
        <DemoRibbon />
        <div className="topbar-row">
          <span className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span>{t('app.name')}</span>
          </span>
          <div className="topbar-tools">
            <LanguageSelect />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        <div className="card public-card">{children}</div>
      </main>
    </div>
  );
}
