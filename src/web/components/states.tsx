/** Loading, empty and error states shared by every list and page. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useDynamicT, useT } from '../i18n/use-t';

/** A polite "loading" status line. */
export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('state.loading')}
    </p>
  );
}

/** An empty state: a title, an explanation, optional actions. */
export function EmptyState({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
      {actions ? <div className="state-actions">{actions}</div> : null}
    </div>
  );
}

/** The localised message for an error (by its stable code). */
export function useErrorMessage(): (error: unknown) => string {
  const dt = useDynamicT();
  return (error: unknown) => {
    if (error instanceof ApiError) {
      if (error.retryAfter !== null && (error.code === 'ACCOUNT_LOCKED' || error.code === 'RATE_LIMITED')) {
        const minutes = Math.max(1, Math.ceil(error.retryAfter / 60));
        return dt(`error.${error.code}.retry`, 'error.UNKNOWN', { minutes });
      }
      return dt(`error.${error.code}`, 'error.UNKNOWN');
    }
    return dt('error.UNKNOWN', 'error.UNKNOWN');
  };
}

/** An error alert with the localised message (or a more specific one) and a "details" toggle holding the request id. */
export function ErrorAlert({
  error,
  onRetry,
  title,
  message: specific,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  message?: string;
}) {
  const t = useT();
  const generic = useErrorMessage()(error);
  const message = specific ?? generic;
  const api = error instanceof ApiError ? error : null;
  return (
    <div className="alert alert-error" role="alert">
      {title ? <p className="alert-title">{title}</p> : null}
      <p>{message}</p>
      {onRetry ? (
        <p>
          <button type="button" className="btn btn-small" onClick={onRetry}>
            {t('action.retry')}
          </button>
        </p>
      ) : null}
      {api && (api.requestId || api.code) ? (
        <details className="error-details">
          <summary>{t('error.detailsToggle')}</summary>
          <dl className="kv">
            <dt>{t('error.code')}</dt>
            <dd>
              <code dir="ltr">{api.code}</code>
            </dd>
            {api.requestId ? (
              <>
                <dt>{t('error.requestId')}</dt>
                <dd>
                  <code dir="ltr">{api.requestId}</code>
                </dd>
              </>
            ) : null}
          </dl>
        </details>
      ) : null}
    </div>
  );
}

/** Field path → error code, from an API validation error. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const d of error.details) {
      const key =
        String(d.path)
          .replace(/^body\./, '')
          .split('.')[0] ?? '';
      if (key && !out[key]) out[key] = d.code;
    }
  }
  return out;
}

/** Localises a field-level error code. */
export function useFieldMessage(): (code: string | undefined) => string | undefined {
  const dt = useDynamicT();
  return (code) => (code ? dt(`field.${code}`, 'field.invalid') : undefined);
}
