/** Typed message lookup: keys are checked against the English catalogue at compile time. */
import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import type { MessageKey } from './locales';

export type MessageValues = Record<string, string | number | Date | null | undefined>;
export type Translate = (id: MessageKey, values?: MessageValues) => string;

/** Returns t(key, values) for the current locale. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback((id: MessageKey, values?: MessageValues) => intl.formatMessage({ id }, values), [intl]);
}

/** Returns a lookup for keys built at run time (error codes, roles); falls back when missing. */
export function useDynamicT(): (id: string, fallback: MessageKey, values?: MessageValues) => string {
  const intl = useIntl();
  return useCallback(
    (id: string, fallback: MessageKey, values?: MessageValues) =>
      intl.formatMessage({ id: id in intl.messages ? id : fallback }, values),
    [intl],
  );
}
