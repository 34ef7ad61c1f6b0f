/**
 * Messages with marked-up values: a participant code (one line, its own direction) or a name inside a
 * sentence, so a code never breaks at its hyphen nor is reordered by the text around it.
 */
import { useCallback, type ReactNode } from 'react';
import { useIntl } from 'react-intl';
import type { MessageKey } from '../i18n/locales';

/** Returns rt(key, values) whose values may be elements (the result is a fragment). */
export function useRichT(): (id: MessageKey, values: Record<string, ReactNode>) => ReactNode {
  const intl = useIntl();
  return useCallback((id, values) => <>{intl.formatMessage({ id }, values)}</>, [intl]);
}

/** A participant (or other) code inside text: isolated, never wrapped. */
export function Code({ children }: { children: string }) {
  return <bdi className="code">{children}</bdi>;
}
