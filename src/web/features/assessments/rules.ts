/** Rules the assessment screens apply before asking the server (which checks them again: core/assessment.ts). */
import type { InstrumentDefinition, InstrumentDomain, InstrumentQuestion } from '../instruments/types';
import type { Assessment } from './types';

/** Presence values that never need evidence (as core/assessment.ts needsEvidence). */
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
 * What is missing before finalising (as the server sees it): unrated item scales, required evidence not
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
