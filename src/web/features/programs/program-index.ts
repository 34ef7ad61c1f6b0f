/** Programs by id, with the localised names of programs and their phases (for lists that show codes). */
import { useMemo } from 'react';
import { useLabel } from '../../i18n/labels';
import { usePrograms, type Program } from './api';

/** Programs by id, plus the localised name of a program and of one of its phases. */
export function useProgramIndex() {
  const programs = usePrograms();
  const pick = useLabel();
  return useMemo(() => {
    const byId = new Map<string, Program>((programs.data?.items ?? []).map((p) => [p.id, p]));
    const programName = (id: string | null | undefined) => (id ? pick(byId.get(id)?.definition.name, '—') : '—');
    const phaseName = (programId: string | null | undefined, key: string | null | undefined) => {
      if (!key) return '—';
      const ph = programId ? byId.get(programId)?.definition.phases.find((x) => x.key === key) : undefined;
      return pick(ph?.name, key);
    };
    return { programs, byId, programName, phaseName, list: programs.data?.items ?? [] };
  }, [programs, pick]);
}
