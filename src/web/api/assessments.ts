/** Wire types and query hooks of the assessment API (instruments, assessments, item ratings). */
import { useQuery } from '@tanstack/react-query';
import type { LocalLabel } from './casework';
import { api, withQuery } from './client';

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
/** Another assessor's differing rating, kept on the lead's agreed rating of a team assessment. */
export interface Dissent {
  assessorId: string;
  ratings: Record<string, string>;
}
export interface ItemRating {
  itemCode: string;
  ratings: Record<string, string>;
  evidence?: Evidence[];
  dissent?: Dissent[];
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
  /** The assessor (user id) who started it. */
  createdBy: string;
  createdAt: string;
  version: number;
  /** Team assessment: the lead assessment's id (the lead's own groupId equals its id); null alone. */
  groupId: string | null;
}
export interface Assessment extends AssessmentSummary {
  formulation?: string | null;
  scenarios?: string | null;
  managementPlan?: string | null;
  judgementReasons?: string | null;
  ratings: ItemRating[];
}

/** GET /assessments/{id}/reconciliation: each assessor's ratings per item of a team assessment. */
export interface Reconciliation {
  groupId: string;
  leadAssessmentId: string;
  /** Every assessment of the group, oldest (the lead) first. */
  assessors: { assessmentId: string; assessorId: string; status: string }[];
  /** Items someone rated: the other assessors' ratings by assessor (user id), and the lead's (agreed) rating. */
  items: {
    itemCode: string;
    byAssessor: Record<string, Record<string, string>>;
    agreed: boolean;
    leadRating: Record<string, string> | null;
  }[];
}

/** GET /participants/{id}/assessments/compare: per domain, each item's value on one scale at each finalised assessment. */
export interface Comparison {
  scale: string;
  assessments: { id: string; finalisedAt: string }[];
  domains: {
    key: string;
    items: { code: string; values: (string | null)[] }[];
    /** Items per value at each assessment: a display aid for the chart, never summed into a score. */
    displayAidCounts: Record<string, number>[];
  }[];
  note?: string;
}

const P = '/api/v1';
export const assessmentKeys = {
  list: (participantId: string) => ['participant', participantId, 'assessments'] as const,
  one: (id: string) => ['assessment', id] as const,
  reconciliation: (id: string) => ['assessment', id, 'reconciliation'] as const,
  compare: (participantId: string, instrumentKey: string, scale: string) =>
    ['participant', participantId, 'assessments', 'compare', instrumentKey, scale] as const,
};

export const useInstruments = () =>
  useQuery({
    queryKey: ['instruments'],
    queryFn: ({ signal }) => api<{ items: InstrumentItem[] }>('GET', `${P}/instruments`, { signal }),
  });
export const useInstrumentVersion = (key: string | undefined, version: string | undefined) =>
  useQuery({
    queryKey: ['instrument', key, version],
    queryFn: ({ signal }) =>
      api<InstrumentVersion>(
        'GET',
        `${P}/instruments/${encodeURIComponent(key!)}/versions/${encodeURIComponent(version!)}`,
        { signal },
      ),
    enabled: Boolean(key && version),
    staleTime: 5 * 60_000,
  });
export const useAssessments = (participantId: string) =>
  useQuery({
    queryKey: assessmentKeys.list(participantId),
    queryFn: ({ signal }) =>
      api<{ items: AssessmentSummary[] }>('GET', `${P}/participants/${participantId}/assessments`, { signal }),
  });
export const useAssessment = (id: string, enabled = true) =>
  useQuery({
    queryKey: assessmentKeys.one(id),
    queryFn: ({ signal }) => api<Assessment>('GET', `${P}/assessments/${id}`, { signal }),
    enabled: enabled && Boolean(id),
  });

export const useReconciliation = (id: string, enabled = true) =>
  useQuery({
    queryKey: assessmentKeys.reconciliation(id),
    queryFn: ({ signal }) => api<Reconciliation>('GET', `${P}/assessments/${id}/reconciliation`, { signal }),
    enabled,
  });
export const useComparison = (participantId: string, instrumentKey: string | undefined, scale: string) =>
  useQuery({
    queryKey: assessmentKeys.compare(participantId, instrumentKey ?? '', scale),
    queryFn: ({ signal }) =>
      api<Comparison>(
        'GET',
        withQuery(`${P}/participants/${participantId}/assessments/compare`, { instrumentKey, scale }),
        { signal },
      ),
    enabled: Boolean(instrumentKey),
  });

/** Presence values that never need evidence (mirrors core/assessment.ts needsEvidence). */
const NO_EVIDENCE_NEEDED = new Set(['absent', 'omitted_insufficient_information']);
/** Whether an item rated this way must carry evidence. */
export function needsEvidence(item: InstrumentQuestion, ratings: Record<string, string> | undefined): boolean {
  if (!item.evidenceRequired || !ratings) return false;
  const presence = ratings.presence;
  return presence === undefined ? Object.keys(ratings).length > 0 : !NO_EVIDENCE_NEEDED.has(presence);
}

/** Whether two ratings of an item give the same value on each of its scales (an unrated scale counts as a value). */
export function sameRatings(scales: string[], a: Record<string, string>, b: Record<string, string>): boolean {
  return scales.every((s) => (a[s] ?? '') === (b[s] ?? ''));
}

/** Every item of a domain, its subdomains included, in order. */
export function domainItems(d: InstrumentDomain): InstrumentQuestion[] {
  return [...d.items, ...d.subdomains.flatMap(domainItems)];
}

/**
 * What is missing before finalising (mirrors the server): unrated item scales, required evidence not
 * attached (listed as the pseudo-scale "evidence"), and unset judgements.
 */
export function missingForFinal(
  def: InstrumentDefinition,
  a: Assessment,
): { items: { code: string; scales: string[] }[]; judgements: string[] } {
  const byCode = new Map(a.ratings.map((r) => [r.itemCode, r.ratings]));
  const evidenced = new Set(a.ratings.filter((r) => r.evidence?.length).map((r) => r.itemCode));
  const items = def.domains.flatMap(domainItems).flatMap((i) => {
    const scales = i.scales.filter((s) => !byCode.get(i.code)?.[s]);
    if (needsEvidence(i, byCode.get(i.code)) && !evidenced.has(i.code)) scales.push('evidence');
    return scales.length ? [{ code: i.code, scales }] : [];
  });
  const judgements = def.judgements.filter((j) => !a.judgement[j.key]).map((j) => j.key);
  return { items, judgements };
}
