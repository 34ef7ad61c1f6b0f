/** Wire types and query hooks of the assessment API (instruments, assessments, item ratings). */
import { useQuery } from '@tanstack/react-query';
import type { LocalLabel } from './casework';
import { api } from './client';

export const SOURCE_TYPES = ['interview', 'file', 'collateral', 'observation'] as const;
export const CONFIDENCES = ['low', 'moderate', 'high'] as const;

export interface InstrumentItem {
  key: string;
  version: string;
  title: LocalLabel;
  notice: LocalLabel | null;
  certification: string | null;
  status: string;
  shipped: boolean;
  certified: boolean;
}
export interface ScaleOption {
  value: string;
  label: LocalLabel;
  description?: LocalLabel;
}
export interface Scale {
  key: string;
  label: LocalLabel;
  options: ScaleOption[];
}
export interface InstrumentQuestion {
  code: string;
  kind: string;
  tags: string[];
  title: LocalLabel;
  wording?: LocalLabel | null;
  guidance?: LocalLabel | null;
  scales: string[];
  evidenceRequired: boolean;
}
export interface InstrumentDomain {
  key: string;
  title: LocalLabel;
  items: InstrumentQuestion[];
  subdomains: InstrumentDomain[];
}
export interface InstrumentDefinition {
  key: string;
  version: string;
  title: LocalLabel;
  summary?: LocalLabel;
  notice?: LocalLabel | null;
  scales: Scale[];
  judgements: Scale[];
  domains: InstrumentDomain[];
}
export interface InstrumentVersion {
  definition: InstrumentDefinition;
  wordingHidden: boolean;
}
export interface Evidence {
  text: string;
  sourceType: (typeof SOURCE_TYPES)[number];
  confidence: (typeof CONFIDENCES)[number];
}
export interface ItemRating {
  itemCode: string;
  ratings: Record<string, string>;
  evidence?: Evidence[];
  dissent?: unknown[];
  updatedAt?: string;
}
export interface AssessmentSummary {
  id: string;
  participantId: string;
  instrumentKey: string;
  instrumentVersion: string;
  status: 'draft' | 'final';
  supersedesId: string | null;
  judgement: Record<string, string>;
  finalisedAt: string | null;
  createdAt: string;
  version: number;
}
export interface Assessment extends AssessmentSummary {
  formulation?: string | null;
  scenarios?: string | null;
  managementPlan?: string | null;
  judgementReasons?: string | null;
  ratings: ItemRating[];
}

const P = '/api/v1';
export const assessmentKeys = {
  list: (participantId: string) => ['participant', participantId, 'assessments'] as const,
  one: (id: string) => ['assessment', id] as const,
};

export const useInstruments = () =>
  useQuery({ queryKey: ['instruments'], queryFn: ({ signal }) => api<{ items: InstrumentItem[] }>('GET', `${P}/instruments`, { signal }) });
export const useInstrumentVersion = (key: string | undefined, version: string | undefined) =>
  useQuery({
    queryKey: ['instrument', key, version],
    queryFn: ({ signal }) => api<InstrumentVersion>('GET', `${P}/instruments/${encodeURIComponent(key!)}/versions/${encodeURIComponent(version!)}`, { signal }),
    enabled: Boolean(key && version),
    staleTime: 5 * 60_000,
  });
export const useAssessments = (participantId: string) =>
  useQuery({ queryKey: assessmentKeys.list(participantId), queryFn: ({ signal }) => api<{ items: AssessmentSummary[] }>('GET', `${P}/participants/${participantId}/assessments`, { signal }) });
export const useAssessment = (id: string) =>
  useQuery({ queryKey: assessmentKeys.one(id), queryFn: ({ signal }) => api<Assessment>('GET', `${P}/assessments/${id}`, { signal }) });

/** Every item of a domain, its subdomains included, in order. */
export function domainItems(d: InstrumentDomain): InstrumentQuestion[] {
  return [...d.items, ...d.subdomains.flatMap(domainItems)];
}

/** What is missing before finalising: unrated item scales and unset judgements (mirrors the server). */
export function missingForFinal(def: InstrumentDefinition, a: Assessment): { items: { code: string; scales: string[] }[]; judgements: string[] } {
  const byCode = new Map(a.ratings.map((r) => [r.itemCode, r.ratings]));
  const items = def.domains.flatMap(domainItems).flatMap((i) => {
    const scales = i.scales.filter((s) => !byCode.get(i.code)?.[s]);
    return scales.length ? [{ code: i.code, scales }] : [];
  });
  const judgements = def.judgements.filter((j) => !a.judgement[j.key]).map((j) => j.key);
  return { items, judgements };
}
