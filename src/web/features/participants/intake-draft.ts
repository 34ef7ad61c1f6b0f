/** The intake draft: kept in sessionStorage (this tab only, gone when it closes), never localStorage. */
import { useEffect, useState } from 'react';
import type { FamilyContact, Identity } from '../../../core/participant';
import type { LEGAL_STATUSES } from '../../../core/vocabulary';

export interface IntakeDraft {
  step: number;
  search: { givenName: string; familyName: string; dateOfBirth: string; nationalId: string };
  programId: string;
  teamId: string;
  legalStatus: (typeof LEGAL_STATUSES)[number] | '';
  referralSource: string;
  languages: string[];
  identity: Required<Pick<Identity, 'givenName' | 'familyName'>> & Omit<Identity, 'givenName' | 'familyName'>;
  familyContacts: FamilyContact[];
  notes: string;
}

const KEY = 'sanad.intake.draft';

export const emptyDraft = (): IntakeDraft => ({
  step: 0,
  search: { givenName: '', familyName: '', dateOfBirth: '', nationalId: '' },
  programId: '',
  teamId: '',
  legalStatus: '',
  referralSource: '',
  languages: [],
  identity: { givenName: '', familyName: '' },
  familyContacts: [],
  notes: '',
});

function read(): IntakeDraft {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw) return { ...emptyDraft(), ...(JSON.parse(raw) as Partial<IntakeDraft>) };
  } catch {
    /* unreadable draft: start again */
  }
  return emptyDraft();
}

/** The draft state, saved on every change; `clear` forgets it (after a successful create). */
export function useIntakeDraft() {
  const [draft, setDraft] = useState<IntakeDraft>(read);
  useEffect(() => {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(draft));
    } catch {
      /* storage full or unavailable: the draft lives only in memory */
    }
  }, [draft]);
  const clear = () => {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      /* ignore */
    }
  };
  return { draft, setDraft, clear };
}
