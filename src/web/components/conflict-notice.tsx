/** The 409 VERSION_CONFLICT notice: the user's input is kept; they reload the record and re-apply. */
import type { ReactNode } from 'react';
import { useT } from '../i18n/use-t';
import { ErrorAlert } from './states';

interface Props {
  onReload: () => void;
  reloading?: boolean;
  reloadError?: unknown;
  /** What happened in this screen's words (else the general explanation). */
  message?: string;
  /** What differs (theirs vs current), shown once the current version was fetched. */
  children?: ReactNode;
}

/** Explains the conflict and offers "reload and re-apply my changes". */
export function ConflictNotice({ onReload, reloading = false, reloadError, message, children }: Props) {
  const t = useT();
  return (
    <div className="alert alert-warning" role="alert">
      <p className="alert-title">{t('conflict.title')}</p>
      <p>{message ?? t('conflict.body')}</p>
      {children}
      {reloadError ? <ErrorAlert error={reloadError} /> : null}
      <p>
        <button type="button" className="btn btn-small" onClick={onReload} disabled={reloading}>
          {reloading ? t('state.loading') : t('conflict.reload')}
        </button>
      </p>
    </div>
  );
}
