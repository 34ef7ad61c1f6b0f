/** Pieces the quiz screens share: per-answer save state, closed-attempt codes, answered-or-not, the clock. */
import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import { ApiError } from '../../api/client';
import type { Answer, QuizItem } from './types';

export type SaveState = { state: 'saving' | 'saved' } | { state: 'error'; error: unknown };
const CLOSED_CODES = ['attempt_closed', 'attempt_expired'];
/** The server accepts answers for a few seconds after the deadline, then closes the attempt on the next read. */
export const SERVER_GRACE_MS = 6_000;

/** The code of an error that says the attempt is closed (time ran out or already submitted), else null. */
export function closedCode(e: unknown): string | null {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED') return null;
  return e.details.find((d) => CLOSED_CODES.includes(d.code))?.code ?? null;
}

/** Whether an answer is complete enough to count as "answered". */
export function isAnswered(item: QuizItem, a: Answer | undefined): boolean {
  if (!a) return false;
  if ('choice' in a) return Boolean(a.choice);
  if ('choices' in a) return a.choices.length > 0;
  if ('value' in a) return typeof a.value === 'boolean';
  return (item.lefts ?? []).every((l) => Boolean(a.pairs[l.id]));
}

/** mm:ss (or h:mm:ss), digits in the user's locale. */
export function useClock(): (seconds: number) => string {
  const intl = useIntl();
  return useCallback(
    (seconds: number) => {
      const s = Math.max(0, Math.floor(seconds));
      const two = (n: number) => intl.formatNumber(n, { minimumIntegerDigits: 2, useGrouping: false });
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      return h > 0 ? `${intl.formatNumber(h)}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
    },
    [intl],
  );
}
