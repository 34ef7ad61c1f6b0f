/** The participants feature's reads and writes: the caseload, one participant, duplicate search, intake, identity reveal, teams. */
import type { FamilyContact, Identity } from '../../../core/participant';
import { useGet, useWrite } from '../../api/hooks';
import { usePagedList } from '../../api/use-paged-list';
import type { Alert } from './vocabulary';

const V = '/api/v1';

export interface ParticipantItem {
  id: string;
  code: string;
  teamId: string;
  programId: string | null;
  phaseKey: string | null;
  phaseEnteredAt: string | null;
  legalStatus: string | null;
  referralSource: string | null;
  languages: string[];
  planStatus: string;
  planApprovedAt: string | null;
  lastSessionAt: string | null;
  status: string;
  notes?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  alerts?: Alert[];
}

export interface RevealResponse {
  identity: Identity;
  familyContacts: FamilyContact[];
  revealedAt: string;
  hideAfterSeconds: number;
}

export interface SearchMatch {
  id: string;
  code: string;
  programId: string | null;
  phaseKey: string | null;
  matchedOn: string[];
}

export interface Team {
  id: string;
  name: string;
  mine: boolean;
}

/** What intake sends: the case, the identity (encrypted, shown only through a reveal) and family contacts. */
export interface IntakeInput {
  programId: string;
  teamId: string;
  legalStatus: string;
  referralSource?: string;
  languages: string[];
  identity: Record<string, string>;
  familyContacts: Record<string, string>[];
  notes?: string;
}

/** Query keys of a participant's case; every case read sits under ['participant', id]. */
export const caseKeys = {
  list: ['participants'] as const,
  participant: (id: string) => ['participant', id] as const,
  teams: ['teams'] as const,
  work: ['work'] as const,
};

/** GET /participants: the caseload, filtered and sorted, page by page. */
export function useParticipants(filters: Record<string, string | undefined>) {
  return usePagedList<ParticipantItem>(caseKeys.list, `${V}/participants`, filters);
}

/** GET /participants/{id}. */
export const useParticipant = (id: string) =>
  useGet<ParticipantItem>(caseKeys.participant(id), `${V}/participants/${id}`);

/** GET /teams: every team, with the user's own marked. */
export const useTeams = () => useGet<{ items: Team[] }>(caseKeys.teams, `${V}/teams`);

/** POST /participants/search: likely duplicates among the user's teams' cases. */
export function useSearchParticipants() {
  return useWrite<Record<string, string>, { items: SearchMatch[] }>({
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
  return useWrite<{ purpose: string; reason: string }, RevealResponse>(
    { method: 'POST', path: () => `${V}/participants/${participantId}/reveal`, body: (v) => v },
    options,
  );
}
