/** Localised labels that come as data: program/phase names, domains, legal statuses, consent purposes. */
import { useCallback, useMemo } from 'react';
import consentPurposes from '../../../../content/consent-purposes.json';
import domains from '../../../../content/domains.json';
import legalStatuses from '../../../../content/legal-statuses.json';
import { usePrograms, type LocalLabel, type Program } from '../../api/casework';
import { useI18n } from '../../i18n/i18n-provider';

type Table = Record<string, LocalLabel>;
const TABLES: Record<'domain' | 'legal' | 'consent', Table> = {
  domain: domains as Table,
  legal: legalStatuses as Table,
  consent: consentPurposes as Table,
};

/** Picks the user's language out of a four-language label. */
export function useLabel(): (label: LocalLabel | undefined | null, fallback?: string) => string {
  const { locale } = useI18n();
  return useCallback((label, fallback = '') => (label ? label[locale] || label.en : fallback), [locale]);
}

/** The localised name of a domain, legal status or consent purpose code. */
export function useContentLabel(): (kind: keyof typeof TABLES, code: string | null | undefined) => string {
  const pick = useLabel();
  return useCallback((kind, code) => (code ? pick(TABLES[kind][code], code) : '—'), [pick]);
}

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

/** Whole days between an ISO time and now. */
export function daysSince(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.now() - new Date(iso).getTime();
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 86_400_000)) : null;
}
