/**
 * Rules of an SPJ assessment, pure: which ratings and judgements an instrument accepts, and whether
 * an assessment is complete enough to finalise. Nothing here adds ratings up: there is no score.
 */
import type { DomainT, InstrumentDefinition } from './instrument.ts';

/** A problem with one rating or judgement, as an error detail. */
export interface RuleError {
  path: string;
  code: string;
}

type Item = DomainT['items'][number];

/** Every item of an instrument by code (domains and subdomains flattened). */
export function itemsByCode(def: InstrumentDefinition): Map<string, Item> {
  const out = new Map<string, Item>();
  const walk = (ds: DomainT[]) => ds.forEach((d) => (d.items.forEach((i) => out.set(i.code, i)), walk(d.subdomains)));
  walk(def.domains);
  return out;
}

/** Checks one item's ratings against the instrument: known item, its scales only, values on the scale. */
export function checkRatings(def: InstrumentDefinition, code: string, ratings: Record<string, string>): RuleError[] {
  const item = itemsByCode(def).get(code);
  if (!item) return [{ path: 'itemCode', code: 'unknown_item' }];
  const errors: RuleError[] = [];
  for (const [scale, value] of Object.entries(ratings)) {
    if (!item.scales.includes(scale)) {
      errors.push({ path: `ratings.${scale}`, code: 'scale_not_for_item' });
      continue;
    }
    const options = def.scales.find((s) => s.key === scale)?.options ?? [];
    if (!options.some((o) => o.value === value)) errors.push({ path: `ratings.${scale}`, code: 'not_on_scale' });
  }
  return errors;
}

/** Checks final-judgement values against the instrument's judgement scales. */
export function checkJudgement(def: InstrumentDefinition, judgement: Record<string, string>): RuleError[] {
  const errors: RuleError[] = [];
  for (const [key, value] of Object.entries(judgement)) {
    const scale = def.judgements.find((j) => j.key === key);
    if (!scale) errors.push({ path: `judgement.${key}`, code: 'unknown_judgement' });
    else if (!scale.options.some((o) => o.value === value))
      errors.push({ path: `judgement.${key}`, code: 'not_on_scale' });
  }
  return errors;
}

/** Presence values that never need evidence: the item is absent, or omitted for lack of information. */
const NO_EVIDENCE_NEEDED = new Set(['absent', 'omitted_insufficient_information']);

/** Whether an item rated this way must carry evidence (the item requires it and was rated present in some way). */
export function needsEvidence(item: Item, ratings: Record<string, string> | undefined): boolean {
  if (!item.evidenceRequired || !ratings) return false;
  const presence = ratings.presence;
  return presence === undefined ? Object.keys(ratings).length > 0 : !NO_EVIDENCE_NEEDED.has(presence);
}

/**
 * What is missing before an assessment can be finalised: unrated item scales, required evidence not
 * attached (`evidenced` holds the codes of items that carry evidence), and unset judgements.
 */
export function missingForFinal(
  def: InstrumentDefinition,
  ratings: Map<string, Record<string, string>>,
  judgement: Record<string, string>,
  evidenced: ReadonlySet<string> = new Set(),
): RuleError[] {
  const missing: RuleError[] = [];
  for (const [code, item] of itemsByCode(def)) {
    for (const scale of item.scales)
      if (!ratings.get(code)?.[scale]) missing.push({ path: `items.${code}.${scale}`, code: 'not_rated' });
    if (needsEvidence(item, ratings.get(code)) && !evidenced.has(code))
      missing.push({ path: `items.${code}.evidence`, code: 'evidence_required' });
  }
  for (const j of def.judgements) if (!judgement[j.key]) missing.push({ path: `judgement.${j.key}`, code: 'not_set' });
  return missing;
}

/** One assessment's ratings, for comparison over time. */
export interface RatedAssessment {
  id: string;
  finalisedAt: string;
  ratings: Map<string, Record<string, string>>;
}

/**
 * Domain-by-domain movement between finalised assessments of one instrument: each item's rating on
 * one scale at each time, plus, per domain, how many items were rated at each value — a display aid
 * for the chart, labelled as such, never summed across values or domains into a score.
 */
export function compareOverTime(def: InstrumentDefinition, scale: string, list: RatedAssessment[]) {
  const sorted = [...list].sort((a, b) => a.finalisedAt.localeCompare(b.finalisedAt));
  const domains = def.domains.map((d) => {
    const codes: string[] = [];
    const walk = (x: DomainT) => (
      x.items.forEach((i) => i.scales.includes(scale) && codes.push(i.code)),
      x.subdomains.forEach(walk)
    );
    walk(d);
    return {
      key: d.key,
      items: codes.map((code) => ({ code, values: sorted.map((a) => a.ratings.get(code)?.[scale] ?? null) })),
      displayAidCounts: sorted.map((a) => {
        const counts: Record<string, number> = {};
        for (const code of codes) {
          const v = a.ratings.get(code)?.[scale];
          if (v) counts[v] = (counts[v] ?? 0) + 1;
        }
        return counts;
      }),
    };
  });
  return {
    scale,
    assessments: sorted.map((a) => ({ id: a.id, finalisedAt: a.finalisedAt })),
    domains,
    note: 'displayAidCounts count items per rating value for the chart; they are not scores' as const,
  };
}
