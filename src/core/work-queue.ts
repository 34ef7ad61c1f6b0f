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
        boardApprovedAt: null,
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
