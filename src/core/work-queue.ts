/**
 * The work queue's rules: which tasks and alerts a set of cases gives rise to (plan review due, no
 * session in N days, consent expiring, gate ready, plan awaiting approval, reassessment due, handover
 * waiting for my team), in the order the queue shows them. Pure: the caller reads the rows.
 */
import { evaluateExit, type GateFacts } from './gates.ts';
import { ProgramDefinition, type ConsentPurpose } from './program.ts';

const DAY = 86_400_000;

/** Kinds of work item, most urgent first (the queue's order). */
export const WORK_KINDS = [
  'handover_to_accept',
  'plan_awaiting_approval',
  'gate_ready',
  'reassessment_due',
  'plan_review_due',
  'board_review_due',
  'consent_expiring',
  'no_session',
  'plan_not_approved',
] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** "mine": teams I am a member of; "supervised": teams I supervise. */
export type WorkView = 'mine' | 'supervised';

/** One task or alert on one case. */
export interface WorkItem {
  participantId: string;
  code: string;
  programId: string | null;
  phaseKey: string | null;
  kind: WorkKind;
  dueAt: string | null;
}

/**
 * How pressing an item is: a decision someone waits on (a plan to approve, a case offered to the
 * team), past its due date, due within the window, or open (no date). Decisions come first: a
 * colleague or another team is blocked until it is taken.
 */
export const URGENCIES = ['decide', 'overdue', 'due_soon', 'open'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** A work item with its urgency (and, when overdue, whole days late). */
export interface RankedWorkItem extends WorkItem {
  urgency: Urgency;
  daysLate: number | null;
}

/** One case with every reason it needs attention, most urgent first; the case takes its worst urgency. */
export interface WorkCaseRow {
  participantId: string;
  code: string;
  programId: string | null;
  phaseKey: string | null;
  urgency: Urgency;
  daysLate: number | null;
  reasons: RankedWorkItem[];
}

/** Kinds that are someone's decision, awaited by a colleague or another team. */
const DECISIONS: readonly WorkKind[] = ['plan_awaiting_approval', 'handover_to_accept'];

/** Kinds that are dated by nature though the row carries no date (an expiring consent is due soon). */
const SOON_WITHOUT_DATE: readonly WorkKind[] = ['consent_expiring'];

/** The item's urgency at `now`: a due date past is overdue (with whole days late), a date ahead is due soon. */
export function urgencyOf(
  item: Pick<WorkItem, 'kind' | 'dueAt'>,
  now: Date,
): { urgency: Urgency; daysLate: number | null } {
  if (DECISIONS.includes(item.kind)) return { urgency: 'decide', daysLate: null };
  if (item.dueAt) {
    const late = now.getTime() - new Date(item.dueAt).getTime();
    if (late > 0) return { urgency: 'overdue', daysLate: Math.max(1, Math.floor(late / DAY)) };
    return { urgency: 'due_soon', daysLate: null };
  }
  return { urgency: SOON_WITHOUT_DATE.includes(item.kind) ? 'due_soon' : 'open', daysLate: null };
}

/** Orders reasons: decisions first, then overdue (most days late first), then due soon (earliest first), then open; kind order breaks ties. */
function compareRanked(a: RankedWorkItem, b: RankedWorkItem): number {
  return (
    URGENCIES.indexOf(a.urgency) - URGENCIES.indexOf(b.urgency) ||
    (b.daysLate ?? 0) - (a.daysLate ?? 0) ||
    (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff') ||
    WORK_KINDS.indexOf(a.kind) - WORK_KINDS.indexOf(b.kind)
  );
}

/** Groups the items by case (one row per case, its reasons most urgent first), rows most urgent first, then by code. */
export function groupByCase(items: readonly WorkItem[], now: Date): WorkCaseRow[] {
  const rows = new Map<string, WorkCaseRow>();
  for (const it of items) {
    const ranked: RankedWorkItem = { ...it, ...urgencyOf(it, now) };
    const row = rows.get(it.participantId);
    if (row) row.reasons.push(ranked);
    else
      rows.set(it.participantId, {
        participantId: it.participantId,
        code: it.code,
        programId: it.programId,
        phaseKey: it.phaseKey,
        urgency: ranked.urgency,
        daysLate: ranked.daysLate,
        reasons: [ranked],
      });
  }
  const out = [...rows.values()];
  for (const row of out) {
    // The same kind twice on one case (e.g. offered to two of my teams) is one reason.
    row.reasons = row.reasons.sort(compareRanked).filter((r, i, all) => all.findIndex((x) => x.kind === r.kind) === i);
    const first = row.reasons[0];
    if (first) {
      row.urgency = first.urgency;
      row.daysLate = first.daysLate;
    }
  }
  return out.sort(
    (a, b) =>
      URGENCIES.indexOf(a.urgency) - URGENCIES.indexOf(b.urgency) ||
      (b.daysLate ?? 0) - (a.daysLate ?? 0) ||
      a.code.localeCompare(b.code),
  );
}

/** How many case rows fall in each urgency group. */
export function countByUrgency(rows: readonly WorkCaseRow[]): Record<Urgency, number> {
  const out: Record<Urgency, number> = { decide: 0, overdue: 0, due_soon: 0, open: 0 };
  for (const r of rows) out[r.urgency] += 1;
  return out;
}

/** An active case with the per-row alerts the database computed. */
export interface WorkCase {
  id: string;
  code: string;
  programId: string | null;
  phaseKey: string | null;
  phaseEnteredAt: Date | null;
  createdAt: Date;
  planStatus: 'draft' | 'submitted' | 'approved';
  planApprovedAt: Date | null;
  /** The program's definition as stored (parsed here; an unreadable one gives no phase tasks). */
  programDefinition: unknown;
  alerts: { noSession: boolean; consentExpiring: boolean; planNotApproved: boolean };
  /** When a review board last approved leaving the current phase (core/boards.ts boardApprovedAt), if ever. */
  boardApprovedAt?: Date | null;
  /** The next review a board set for the case, `YYYY-MM-DD`, if any. */
  boardReviewOn?: string | null;
}

/** A consent or legal basis on record. `expiresOn` is a calendar date (YYYY-MM-DD). */
export interface ConsentRecord {
  participantId: string;
  purpose: ConsentPurpose;
  status: 'given' | 'withdrawn';
  expiresOn: string | null;
}

/** A finalised assessment. */
export interface FinalAssessment {
  participantId: string;
  instrumentKey: string;
  instrumentVersion: string;
  finalisedAt: Date;
}

/** A case offered to one of my teams in a pending handover. */
export interface CaseOffer {
  participantId: string;
  code: string;
  programId: string | null;
  phaseKey: string | null;
}

/** A consent as the gate engine sees it: valid until the end of its expiry day (UTC). */
export function consentFact(c: Pick<ConsentRecord, 'purpose' | 'status' | 'expiresOn'>): GateFacts['consents'][number] {
  return { purpose: c.purpose, status: c.status, expiresAt: c.expiresOn ? new Date(`${c.expiresOn}T23:59:59Z`) : null };
}

/** Per participant, when their latest assessment was finalised. */
export function lastFinalised(finals: readonly FinalAssessment[]): Map<string, Date> {
  const out = new Map<string, Date>();
  for (const a of finals) {
    const prev = out.get(a.participantId);
    if (!prev || prev < a.finalisedAt) out.set(a.participantId, a.finalisedAt);
  }
  return out;
}

/** Per participant and instrument, the latest finalised assessment. */
export function latestPerInstrument(finals: readonly FinalAssessment[]): FinalAssessment[] {
  const latest = new Map<string, FinalAssessment>();
  for (const a of finals) {
    const k = `${a.participantId}|${a.instrumentKey}`;
    const cur = latest.get(k);
    if (!cur || cur.finalisedAt < a.finalisedAt) latest.set(k, a);
  }
  return [...latest.values()];
}

/**
 * Per participant, the earliest reassessment due date: the latest finalised assessment of each
 * instrument plus that instrument's interval (`intervals`: days per `key@version`; none, no date).
 */
export function reassessmentDueDates(
  finals: readonly FinalAssessment[],
  intervals: ReadonlyMap<string, number>,
): Map<string, Date> {
  const out = new Map<string, Date>();
  for (const l of latestPerInstrument(finals)) {
    const every = intervals.get(`${l.instrumentKey}@${l.instrumentVersion}`);
    if (!every) continue;
    const due = new Date(l.finalisedAt.getTime() + every * DAY);
    const prev = out.get(l.participantId);
    if (!prev || due < prev) out.set(l.participantId, due);
  }
  return out;
}

export interface WorkQueueInput {
  view: WorkView;
  cases: readonly WorkCase[];
  consents: readonly ConsentRecord[];
  /** Per participant, when their latest assessment was finalised (`lastFinalised`). */
  lastFinalisedAt: ReadonlyMap<string, Date>;
  /** Per participant, when a reassessment is due (`reassessmentDueDates`). */
  reassessmentDue: ReadonlyMap<string, Date>;
  offers: readonly CaseOffer[];
  now: Date;
}

/** The queue: every task and alert of the cases and offers, most urgent kind first, then by code. */
export function workQueue(input: WorkQueueInput): WorkItem[] {
  const { now } = input;
  const items: WorkItem[] = [];
  for (const r of input.cases) {
    const base = { participantId: r.id, code: r.code, programId: r.programId, phaseKey: r.phaseKey };
    const def = r.programDefinition ? ProgramDefinition.safeParse(r.programDefinition) : null;
    const phase = def?.success ? def.data.phases.find((p) => p.key === r.phaseKey) : undefined;
    if (phase && def?.success) {
      const facts: GateFacts = {
        phaseEnteredAt: r.phaseEnteredAt ?? r.createdAt,
        lastAssessmentFinalisedAt: input.lastFinalisedAt.get(r.id) ?? null,
        boardApprovedAt: r.boardApprovedAt ?? null,
        planApproved: r.planStatus === 'approved',
        consents: input.consents.filter((x) => x.participantId === r.id).map(consentFact),
      };
      // The last phase has no exit to be ready for.
      if (evaluateExit(phase, facts, now).ready && def.data.phases.at(-1)?.key !== phase.key)
        items.push({ ...base, kind: 'gate_ready', dueAt: null });
      if (phase.reviewEveryDays && r.planApprovedAt) {
        const due = new Date(r.planApprovedAt.getTime() + phase.reviewEveryDays * DAY);
        if (due.getTime() - now.getTime() < 7 * DAY)
          items.push({ ...base, kind: 'plan_review_due', dueAt: due.toISOString() });
      }
    }
    if (r.boardReviewOn) {
      const review = new Date(`${r.boardReviewOn}T00:00:00Z`);
      if (review.getTime() - now.getTime() < 14 * DAY)
        items.push({ ...base, kind: 'board_review_due', dueAt: review.toISOString() });
    }
    const due = input.reassessmentDue.get(r.id);
    if (due && due.getTime() - now.getTime() < 14 * DAY)
      items.push({ ...base, kind: 'reassessment_due', dueAt: due.toISOString() });
    if (input.view === 'supervised' && r.planStatus === 'submitted')
      items.push({ ...base, kind: 'plan_awaiting_approval', dueAt: null });
    if (r.alerts.consentExpiring) items.push({ ...base, kind: 'consent_expiring', dueAt: null });
    if (r.alerts.noSession) items.push({ ...base, kind: 'no_session', dueAt: null });
    if (r.alerts.planNotApproved && r.planStatus === 'draft')
      items.push({ ...base, kind: 'plan_not_approved', dueAt: null });
  }
  // Offers to my teams: the receiving team sees the code, program and phase before it accepts.
  for (const o of input.offers) items.push({ ...o, kind: 'handover_to_accept', dueAt: null });
  return items.sort((a, b) => WORK_KINDS.indexOf(a.kind) - WORK_KINDS.indexOf(b.kind) || a.code.localeCompare(b.code));
}
