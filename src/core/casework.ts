/**
 * Small rules of case work that the handlers used to carry inline: how search matches rank, which
 * goal changes send a plan back for approval, which attendance counts as a session held, and what an
 * access-log entry shows of a stated purpose. Pure.
 */

/** How strongly a search match points at the same person: an ID number beats a name, a name beats a birth date. */
export function matchWeight(kinds: readonly string[]): number {
  return (
    (kinds.includes('id_number') ? 100 : 0) +
    (kinds.includes('name') ? 10 : 0) +
    (kinds.includes('dob') ? 5 : 0) +
    kinds.filter((k) => k === 'name_token').length
  );
}

/** Search matches, strongest first (by strength, then weight; stable for equal ones), at most `limit`. */
export function rankMatches<T extends { matchedOn: readonly string[] }>(matches: readonly T[], limit = 20): T[] {
  const tier = (m: T) => MATCH_STRENGTHS.indexOf(matchStrength(m.matchedOn));
  return [...matches]
    .sort((a, b) => tier(a) - tier(b) || matchWeight(b.matchedOn) - matchWeight(a.matchedOn))
    .slice(0, limit);
}

/** How far a search match can be trusted: `strong` is very likely the same person, `weak` shares only part of a name. */
export const MATCH_STRENGTHS = ['strong', 'possible', 'weak'] as const;
export type MatchStrength = (typeof MATCH_STRENGTHS)[number];

/**
 * The strength of a match from the index kinds it matched on: an ID number, or the full name with the
 * date of birth, is strong; the full name alone, or part of the name with the date of birth, possible;
 * anything else (a name part alone, a birth date alone) weak.
 */
export function matchStrength(kinds: readonly string[]): MatchStrength {
  const dob = kinds.includes('dob');
  if (kinds.includes('id_number') || (kinds.includes('name') && dob)) return 'strong';
  if (kinds.includes('name') || (kinds.includes('name_token') && dob)) return 'possible';
  return 'weak';
}

/** Why a match was found, in words the web can translate (`full_name` implies its parts, so those are not repeated). */
export function matchReasons(kinds: readonly string[]): ('id_number' | 'full_name' | 'name_part' | 'date_of_birth')[] {
  const out: ('id_number' | 'full_name' | 'name_part' | 'date_of_birth')[] = [];
  if (kinds.includes('id_number')) out.push('id_number');
  if (kinds.includes('name')) out.push('full_name');
  else if (kinds.includes('name_token')) out.push('name_part');
  if (kinds.includes('dob')) out.push('date_of_birth');
  return out;
}

/** Goal fields that say what the plan is (as opposed to progress reporting): changing one needs re-approval. */
export const PLAN_CONTENT_FIELDS = [
  'title',
  'indicator',
  'interventions',
  'responsible_user_id',
  'target_date',
] as const;

/**
 * Whether a goal change puts the plan back to draft: a change to what the plan says, discontinuing a
 * goal, or taking a discontinued goal up again. Progress and other status changes are reporting.
 */
export function goalChangeNeedsReapproval(change: {
  /** Columns the change sets. */
  columns: readonly string[];
  statusBefore: string;
  statusAfter: string | undefined;
}): boolean {
  const reopened =
    change.statusBefore === 'discontinued' && change.statusAfter !== undefined && change.statusAfter !== 'discontinued';
  return (
    PLAN_CONTENT_FIELDS.some((k) => change.columns.includes(k)) || change.statusAfter === 'discontinued' || reopened
  );
}

/** Whether an attendance record means the session took place with the participant (for "last session"). */
export function attended(attendance: string): boolean {
  return attendance === 'present' || attendance === 'late';
}

/** The purpose code of an audited purpose (`code: free text`); the free text stays in the DPO's audit viewer. */
export function purposeCode(purpose: string | null): string | null {
  return purpose ? purpose.split(':')[0]! : null;
}
