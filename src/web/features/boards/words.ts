/** The words of board codes (roles, questions, states, outcomes, votes, sources) and the quorum line. */
import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import { useDynamicT } from '../../i18n/use-t';

type Kind = 'role' | 'question' | 'state' | 'outcome' | 'vote' | 'source';

/** w('role', 'psychologist') → "Psychologist" in the user's language (the code itself when unknown). */
export function useBoardWords(): (kind: Kind, code: string) => string {
  const dt = useDynamicT();
  return useCallback((kind, code) => dt(`boards.${kind}.${code}`, 'boards.unknown', { code }), [dt]);
}

export interface QuorumFacts {
  met: boolean;
  present: number;
  needed: number;
  missingRoles: readonly string[];
}

/** A name from the data inside a sentence: isolated, so its direction does not reorder the words around it. */
export const isolate = (s: string) => `\u2068${s}\u2069`;

/** "3 of 3 needed present — psychologist and security present", or what is missing. */
export function useQuorumLine(): (q: QuorumFacts, required: readonly string[]) => string {
  const intl = useIntl();
  const w = useBoardWords();
  return useCallback(
    (q, required) => {
      const list = (codes: readonly string[]) =>
        intl.formatList(
          codes.map((c) => w('role', c)),
          { type: 'conjunction' },
        );
      const count = intl.formatMessage({ id: 'boards.quorum.count' }, { present: q.present, needed: q.needed });
      const held = required.filter((r) => !q.missingRoles.includes(r));
      const parts = [count];
      if (held.length) parts.push(intl.formatMessage({ id: 'boards.quorum.held' }, { roles: list(held) }));
      if (q.missingRoles.length)
        parts.push(intl.formatMessage({ id: 'boards.quorum.missing' }, { roles: list(q.missingRoles) }));
      const lead = intl.formatMessage({ id: q.met ? 'boards.quorum.met' : 'boards.quorum.notMet' });
      return `${lead} ${parts.join(' — ')}`;
    },
    [intl, w],
  );
}
