/** Loading, empty and error states shared by every list and page. */
import { useCallback, type ReactNode } from 'react';
import { useIntl } from 'react-intl';
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

/** What ReadState needs of a read: a query, or a paged list from usePagedList. */
interface Read<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}

/**
 * The states of a read in one place: loading, failed (with "try again"), empty (when `empty` returns
 * something for the data), or the content. A failure once data is there (a later page) is the content's.
 */
export function ReadState<T>({
  read,
  empty,
  children,
}: {
  read: Read<T>;
  empty?: (data: T) => ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (read.isPending) return <Loading />;
  if (read.data === undefined)
    return read.isError ? <ErrorAlert error={read.error} onRetry={() => void read.refetch()} /> : null;
  return <>{empty?.(read.data) || children(read.data)}</>;
}

/** A polite live region, present from the first render so screen readers announce what it later says. */
export function Announcer({ text }: { text: ReactNode }) {
  return (
    <div role="status" aria-live="polite" className={text ? 'alert alert-success' : 'visually-hidden'}>
      {text}
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

/**
 * An error alert with the localised message (or a more specific one) and a "details" toggle holding the
 * request id. A refused input (VALIDATION_FAILED) says "check the highlighted fields" only when the screen
 * says it highlights them (`highlighted`); otherwise it gives the words of the refusal's detail codes.
 */
export function ErrorAlert({
  error,
  onRetry,
  title,
  message: specific,
  highlighted = false,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  message?: string;
  /** The screen marks the refused fields itself (from `fieldErrors`). */
  highlighted?: boolean;
}) {
  const t = useT();
  const generic = useErrorMessage()(error);
  const fm = useFieldMessage();
  const api = error instanceof ApiError ? error : null;
  const unmarked = api?.code === 'VALIDATION_FAILED' && !highlighted;
  const detailWords = unmarked
    ? [...new Set((api.details.length ? api.details : [{ code: 'invalid' }]).map((d) => fm(d.code)))].join(' ')
    : '';
  const message = specific ?? (detailWords || generic);
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

/** Screens that word some detail codes their own way (`<scope>.code.<code>`, else the shared `field.<code>`). */
export type DetailScope = 'academy' | 'instruments';

/**
 * Words for an error detail code (from the API or a screen's own check): `field.<code>` (every code
 * the server sends has them, see core/errors.ts DETAIL_CODES), or the scope's own wording first.
 * A code with a value (`max:4`, `current:7`) passes it as {n} and {value}.
 */
export function useFieldMessage(scope?: DetailScope): (code: string | undefined) => string | undefined {
  const intl = useIntl();
  return useCallback(
    (code) => {
      if (!code) return undefined;
      const colon = code.indexOf(':');
      const stem = colon < 0 ? code : code.slice(0, colon);
      const value = colon < 0 ? '' : code.slice(colon + 1);
      const ids = [scope ? `${scope}.code.${stem}` : '', `field.${stem}`].filter(Boolean);
      const id = ids.find((x) => x in intl.messages) ?? 'field.invalid';
      return intl.formatMessage({ id }, { n: Number(value) || 0, value });
    },
    [intl, scope],
  );
}
