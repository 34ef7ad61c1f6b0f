/** Page scaffolding: the one <h1> per page, document title, and a header row for actions. */
import { useEffect, type ReactNode } from 'react';
import { useT } from '../i18n/use-t';

/** Sets document.title to "<title> · Sanad". */
export function usePageTitle(title: string): void {
  const t = useT();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
}

/** A page header with the page's single h1, an optional lead paragraph and actions. */
export function PageHeader({ title, lead, actions }: { title: string; lead?: ReactNode; actions?: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="page-header">
      <div>
        <h1 tabIndex={-1} id="page-title">
          {title}
        </h1>
        {lead ? <p className="lead">{lead}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}
