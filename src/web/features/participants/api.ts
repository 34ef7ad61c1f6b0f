/** The participants feature's reads and writes: the caseload, one participant, duplicate search, intake, identity reveal, teams. */
import type { z } from 'zod';
import type { TeamList } from '../../../server/modules/casework/handovers/schema';
import type {
  CreateParticipantRequest,
  ParticipantListItem,
  ParticipantSearchMatch,
  ParticipantSearchRequest,
  ParticipantSearchResult,
  ParticipantWithAlerts,
  RevealRequest,
  RevealResponse as RevealResponseSchema,
} from '../../../server/modules/participants/schema';
import { useGet, useWrite } from '../../api/hooks';
import { usePagedList } from '../../api/use-paged-list';

const V = '/api/v1';

/** A participant with alerts (the caseload rows carry no notes; one participant may). */
export type ParticipantItem = ParticipantWithAlerts;
export type RevealResponse = z.infer<typeof RevealResponseSchema>;
export type SearchMatch = ParticipantSearchMatch;
export type { ParticipantSearchRequest };
export type Team = TeamList['items'][number];
/** What intake sends (POST /participants). */
export type IntakeInput = z.input<typeof CreateParticipantRequest>;

/** Query keys of a participant's case; every case read sits under ['participant', id]. */
export const caseKeys = {
  list: ['participants'] as const,
  participant: (id: string) => ['participant', id] as const,
  teams: ['teams'] as const,
  work: ['work'] as const,
};

/** GET /participants: the caseload, filtered and sorted, page by page. */
export function useParticipants(filters: Record<string, string | undefined>) {
  return usePagedList<ParticipantListItem>(caseKeys.list, `${V}/participants`, filters);
}

/** GET /participants/{id}. */
export const useParticipant = (id: string) =>
  useGet<ParticipantItem>(caseKeys.participant(id), `${V}/participants/${id}`);

/** GET /teams: every team, with the user's own marked. */
export const useTeams = () => useGet<{ items: Team[] }>(caseKeys.teams, `${V}/teams`);

/** POST /participants/search: likely duplicates among the user's teams' cases. */
export function useSearchParticipants() {
  return useWrite<ParticipantSearchRequest, ParticipantSearchResult>({
    method: 'POST',
    path: () => `${V}/participants/search`,
    body: (v) => v,
  });
}

/** POST /participants: registers a participant. */
export function useCreateParticipant(options?: { onSuccess?: (p: ParticipantItem) => unknown }) {
  return useWrite<IntakeInput, ParticipantItem>(
    {
      method: 'POST',
      path: () => `${V}/participants`,
      body: (v) => v,
      invalidates: () => [caseKeys.list, caseKeys.work],
    },
    options,
  );
}

/** POST /participants/{id}/reveal { purpose, reason }: the identity for a while (audited with the purpose). */
export function useRevealIdentity(participantId: string, options?: { onSuccess?: (r: RevealResponse) => unknown }) {
  return useWrite<z.input<typeof RevealRequest>, RevealResponse>(
    { method: 'POST', path: () => `${V}/participants/${participantId}/reveal`, body: (v) => v },
    options,
  );
}
