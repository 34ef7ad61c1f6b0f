/**
 * Synthetic review boards for the demo tenant: one board per demo program (members drawn from the demo
 * accounts, quorum of three with a psychologist), a past meeting signed by the chair with two decided
 * items (one approved with a dissent and a recusal, one deferred), and a meeting in five days whose
 * agenda holds two cases that wait on a board. Written as the board services would write them: free
 * text encrypted with the same key context, decisions taken in the case's phase (so the gate engine
 * reads them), votes only by present, non-recused members. No real people.
 */
import crypto from 'node:crypto';
import type { BoardQuestion, BoardRole, Outcome, Vote } from '../../core/boards.ts';
import { tally } from '../../core/boards.ts';
import { evaluateGate, type GateFacts } from '../../core/gates.ts';
import type { Framework } from '../../core/program.ts';
import { consentFact } from '../../core/work-queue.ts';
import { unscoped } from '../access/unscoped.ts';
import { frameworkTemplates } from '../content.ts';
import type { Tx } from '../db/schema.ts';
import type { Services } from '../services.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface BoardSpec {
  framework: Framework;
  name: string;
  place: string;
  chair: string;
  /** The case manager who puts the program's cases to the board. */
  caseManager: string;
  members: { local: string; role: BoardRole }[];
  /** The member who sends apologies to the past meeting. */
  absent: string;
}

const BOARDS: BoardSpec[] = [
  {
    framework: 'custodial',
    name: 'Custodial programme review board (demo)',
    place: 'Meeting room 1, programme centre (synthetic)',
    chair: 'supervisor',
    caseManager: 'case.manager',
    members: [
      { local: 'supervisor', role: 'case_manager' },
      { local: 'case.manager', role: 'case_manager' },
      { local: 'psychologist', role: 'psychologist' },
      { local: 'counsellor', role: 'religious_counsellor' },
      { local: 'board', role: 'security' },
    ],
    absent: 'counsellor',
  },
  {
    framework: 'community',
    name: 'Community programme review board (demo)',
    place: 'Community centre, hall B (synthetic)',
    chair: 'director',
    caseManager: 'case.manager.b',
    members: [
      { local: 'director', role: 'other' },
      { local: 'case.manager.b', role: 'case_manager' },
      { local: 'psychologist', role: 'psychologist' },
      { local: 'social.worker', role: 'social_worker' },
      { local: 'aftercare', role: 'community' },
      { local: 'board', role: 'security' },
    ],
    absent: 'aftercare',
  },
];

/** A case of the program, with what the gate engine needs to know about it. */
interface DemoCase {
  id: string;
  code: string;
  phaseKey: string;
  phaseEnteredAt: Date;
  facts: GateFacts;
}

/** Seeds the demo boards (after the case work: it reads the programs and cases it wrote). */
export async function seedBoards(s: Services, tx: Tx, tenantId: string, users: Record<string, string>): Promise<void> {
  await unscoped('the synthetic demo seed writes review boards with their agendas, votes and decisions', async () => {
    const enc = (table: string, field: string, rowId: string, text: string) =>
      s.fields.encrypt({ tenantId, table, field, rowId }, text, tx);
    const now = Date.now();
    /** The program's active cases with their gate facts (consents, latest final assessment, board approvals). */
    const casesOf = async (programId: string): Promise<DemoCase[]> => {
      const rows = await tx
        .selectFrom('participants')
        .select(['id', 'code', 'phase_key', 'phase_entered_at', 'created_at', 'plan_status'])
        .where('tenant_id', '=', tenantId)
        .where('program_id', '=', programId)
        .where('status', '=', 'active')
        .orderBy('code')
        .execute();
      const out: DemoCase[] = [];
      for (const p of rows) {
        if (!p.phase_key) continue;
        const consents = await tx
          .selectFrom('consents')
          .select(['purpose', 'status', 'expires_on'])
          .where('tenant_id', '=', tenantId)
          .where('participant_id', '=', p.id)
          .execute();
        const final = await tx
          .selectFrom('assessments')
          .select('finalised_at')
          .where('tenant_id', '=', tenantId)
          .where('participant_id', '=', p.id)
          .where('status', '=', 'final')
          .orderBy('finalised_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        const entered = p.phase_entered_at ?? p.created_at;
        out.push({
          id: p.id,
          code: p.code,
          phaseKey: p.phase_key,
          phaseEnteredAt: entered,
          facts: {
            phaseEnteredAt: entered,
            lastAssessmentFinalisedAt: final?.finalised_at ?? null,
            planApproved: p.plan_status === 'approved',
            consents: consents.map((c) =>
              consentFact({ purpose: c.purpose, status: c.status, expiresOn: c.expires_on }),
            ),
            boardApprovedAt: null,
          },
        });
      }
      return out;
    };

    for (const spec of BOARDS) {
      const members = spec.members.filter((m) => users[m.local]);
      const chair = users[spec.chair];
      const cm = users[spec.caseManager];
      if (!chair || !cm || !users.psychologist) continue;
      const program = await tx
        .selectFrom('programs')
        .select(['id'])
        .where('tenant_id', '=', tenantId)
        .where('framework', '=', spec.framework)
        .orderBy('created_at')
        .executeTakeFirst();
      const def = frameworkTemplates().get(spec.framework);
      if (!program || !def) continue;

      const board = await tx
        .insertInto('boards')
        .values({
          tenant_id: tenantId,
          program_id: program.id,
          name: spec.name,
          quorum_min: 3,
          required_roles: ['psychologist'],
          created_by: users.admin ?? chair,
          created_at: new Date(now - 120 * DAY),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('board_members')
        .values(
          members.map((m) => ({
            board_id: board.id,
            tenant_id: tenantId,
            user_id: users[m.local]!,
            role: m.role,
            is_chair: m.local === spec.chair,
          })),
        )
        .execute();

      const cases = await casesOf(program.id);
      const gated = (c: DemoCase) =>
        def.phases.find((p) => p.key === c.phaseKey)?.exitGates.some((g) => g.kind === 'board_decision') ?? false;
      const lastPhase = (c: DemoCase) => def.phases.at(-1)?.key === c.phaseKey;
      const othersMet = (c: DemoCase) =>
        def.phases
          .find((p) => p.key === c.phaseKey)!
          .exitGates.filter((g) => g.kind !== 'board_decision')
          .every((g) => evaluateGate(g, c.facts, new Date(now)).met);

      // The past meeting, two weeks ago, signed by the chair the next day.
      const pastAt = new Date(now - 14 * DAY);
      pastAt.setUTCHours(9, 30, 0, 0);
      const past = await tx
        .insertInto('board_meetings')
        .values({
          tenant_id: tenantId,
          board_id: board.id,
          scheduled_for: pastAt,
          place: spec.place,
          online: false,
          state: 'signed',
          opened_at: pastAt,
          closed_at: new Date(pastAt.getTime() + 2 * HOUR),
          signed_at: new Date(pastAt.getTime() + DAY),
          signed_by: chair,
          version: 4,
          created_by: chair,
          created_at: new Date(pastAt.getTime() - 21 * DAY),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const present = members.filter((m) => m.local !== spec.absent).map((m) => users[m.local]!);
      await tx
        .insertInto('meeting_attendance')
        .values(present.map((u) => ({ meeting_id: past.id, tenant_id: tenantId, user_id: u, recorded_at: pastAt })))
        .execute();

      // Decided in their phase, which they entered before the meeting (so the gate engine reads the decision).
      const before = cases.filter(
        (c) => gated(c) && !lastPhase(c) && c.phaseEnteredAt.getTime() < pastAt.getTime() - DAY,
      );
      // The approved case: preferably one whose other gates are met, so it can now move on.
      const approved = [...before].sort((a, b) => Number(othersMet(b)) - Number(othersMet(a)))[0];
      const deferred = before.find((c) => c !== approved);
      const decidedAt = (k: number) => new Date(pastAt.getTime() + (k + 1) * 40 * 60_000);
      const items: {
        c: DemoCase;
        question: BoardQuestion;
        outcome: Outcome;
        reason: string;
        notes: string;
        discussion: string;
        wording: string;
        reasons: string;
        conditions: string[];
        nextReviewDays: number | null;
        recused: { local: string; reason: string }[];
        votes: { local: string; vote: Vote; reason?: string }[];
      }[] = [];
      if (approved)
        items.push({
          c: approved,
          question: 'move_to_next_phase',
          outcome: 'approved',
          reason: 'Plan goals on track and regular attendance; the case team proposes the next phase (synthetic).',
          notes: 'Attended nearly every session in the last quarter; family contact re-established (synthetic).',
          discussion:
            'The board discussed progress against the plan; the security member asked for closer check-ins (synthetic).',
          wording: 'The board approves the move to the next phase (synthetic).',
          reasons: 'Plan approved and goals progressing; stable engagement with the case team (synthetic).',
          conditions: ['Weekly check-ins for 3 months (synthetic)', 'Monthly family session (synthetic)'],
          nextReviewDays: 30,
          recused: [
            {
              local: spec.caseManager,
              reason: 'Manages the case and presented it to the board (synthetic).',
            },
          ],
          votes: [
            { local: spec.chair, vote: 'agree' },
            { local: 'psychologist', vote: 'agree', reason: 'Steady progress in counselling (synthetic).' },
            ...(spec.framework === 'community'
              ? [
                  {
                    local: 'social.worker',
                    vote: 'agree' as const,
                    reason: 'Housing and family support in place (synthetic).',
                  },
                ]
              : []),
            {
              local: 'board',
              vote: 'disagree',
              reason: 'Too early for less supervision; risk review pending (synthetic).',
            },
          ],
        });
      if (deferred)
        items.push({
          c: deferred,
          question: 'move_to_next_phase',
          outcome: 'deferred',
          reason: 'The case team asks whether the person is ready for the next phase (synthetic).',
          notes: 'Attendance irregular in the last month; new job interview scheduled (synthetic).',
          discussion: 'Members asked for an updated plan review before deciding (synthetic).',
          wording: 'The board defers the decision to a later meeting (synthetic).',
          reasons: 'An updated plan review is needed first (synthetic).',
          conditions: [],
          nextReviewDays: null,
          recused: [],
          votes: [
            { local: spec.chair, vote: 'abstain' },
            { local: 'psychologist', vote: 'abstain', reason: 'Wants the plan review first (synthetic).' },
            { local: 'board', vote: 'abstain' },
          ],
        });
      for (const [k, it] of items.entries()) {
        const itemId = crypto.randomUUID();
        const at = decidedAt(k);
        await tx
          .insertInto('agenda_items')
          .values({
            id: itemId,
            tenant_id: tenantId,
            meeting_id: past.id,
            participant_id: it.c.id,
            code: it.c.code,
            question: it.question,
            source: 'by_hand',
            reason: await enc('agenda_items', 'reason', itemId, it.reason),
            board_notes: await enc('agenda_items', 'board_notes', itemId, it.notes),
            discussion: await enc('agenda_items', 'discussion', itemId, it.discussion),
            phase_key: it.c.phaseKey,
            position: k,
            version: 2,
            created_by: cm,
            created_at: new Date(pastAt.getTime() - 7 * DAY),
            updated_at: at,
          })
          .execute();
        for (const r of it.recused.filter((x) => users[x.local])) {
          const u = users[r.local]!;
          await tx
            .insertInto('agenda_recusals')
            .values({
              item_id: itemId,
              tenant_id: tenantId,
              user_id: u,
              reason: await enc('agenda_recusals', 'reason', `${itemId}:${u}`, r.reason),
              created_at: pastAt,
            })
            .execute();
        }
        // Votes only by members present and not recused on the item.
        const recused = new Set(it.recused.map((r) => users[r.local]));
        const votes = it.votes.filter(
          (v) => users[v.local] && present.includes(users[v.local]!) && !recused.has(users[v.local]),
        );
        for (const [j, v] of votes.entries()) {
          const u = users[v.local]!;
          await tx
            .insertInto('board_votes')
            .values({
              item_id: itemId,
              tenant_id: tenantId,
              user_id: u,
              vote: v.vote,
              reason: v.reason ? await enc('board_votes', 'reason', `${itemId}:${u}`, v.reason) : null,
              created_at: new Date(at.getTime() - (votes.length - j) * 60_000),
            })
            .execute();
        }
        const t = tally(votes);
        const decisionId = crypto.randomUUID();
        await tx
          .insertInto('board_decisions')
          .values({
            id: decisionId,
            tenant_id: tenantId,
            item_id: itemId,
            participant_id: it.c.id,
            meeting_id: past.id,
            question: it.question,
            outcome: it.outcome,
            phase_key: it.c.phaseKey,
            wording: await enc('board_decisions', 'wording', decisionId, it.wording),
            reasons: await enc('board_decisions', 'reasons', decisionId, it.reasons),
            conditions: it.conditions.length
              ? await enc('board_decisions', 'conditions', decisionId, JSON.stringify(it.conditions))
              : null,
            next_review_on:
              it.nextReviewDays === null ? null : new Date(now + it.nextReviewDays * DAY).toISOString().slice(0, 10),
            agree: t.agree,
            disagree: t.disagree,
            abstain: t.abstain,
            created_by: chair,
            created_at: at,
            updated_at: at,
          })
          .execute();
        if (it.outcome === 'approved' && it.question === 'move_to_next_phase') it.c.facts.boardApprovedAt = at;
      }

      // The next meeting, in five days: two cases that wait on a board. First those whose other
      // gates are met (as the work queue proposes them), then others still waiting on the board's
      // decision (the deferred case comes back).
      const nextAt = new Date(now + 5 * DAY);
      nextAt.setUTCHours(9, 30, 0, 0);
      const next = await tx
        .insertInto('board_meetings')
        .values({
          tenant_id: tenantId,
          board_id: board.id,
          scheduled_for: nextAt,
          place: spec.place,
          online: false,
          created_by: chair,
          created_at: new Date(now - DAY),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const waiting = cases.filter(
        (c) => gated(c) && evaluateGate({ kind: 'board_decision' }, c.facts, new Date(now)).met === false,
      );
      const ranked = [
        ...waiting.filter(othersMet),
        ...waiting.filter((c) => !othersMet(c) && c === deferred),
        ...waiting.filter((c) => !othersMet(c) && c !== deferred),
      ].slice(0, 2);
      for (const [k, c] of ranked.entries()) {
        const itemId = crypto.randomUUID();
        const ready = othersMet(c);
        await tx
          .insertInto('agenda_items')
          .values({
            id: itemId,
            tenant_id: tenantId,
            meeting_id: next.id,
            participant_id: c.id,
            code: c.code,
            question: lastPhase(c) ? 'exit_program' : 'move_to_next_phase',
            source: ready ? 'gate_waiting' : 'by_hand',
            reason: ready
              ? null
              : await enc(
                  'agenda_items',
                  'reason',
                  itemId,
                  c === deferred
                    ? 'Deferred at the last meeting; back with the updated plan review (synthetic).'
                    : 'The case team asks the board to review progress in this phase (synthetic).',
                ),
            board_notes: await enc(
              'agenda_items',
              'board_notes',
              itemId,
              'Case team summary for the board: engagement and plan progress since the last review (synthetic).',
            ),
            phase_key: c.phaseKey,
            position: k,
            created_by: cm,
            created_at: new Date(now - DAY),
          })
          .execute();
      }
    }
  });
}

/**
 * Deletes the demo tenant's review boards (children first). On a reseed this must run before
 * `clearCasework`, whose participants and programs the boards' agendas and boards name.
 */
export async function clearBoards(tx: Tx, tenantId: string): Promise<void> {
  for (const table of [
    'board_decisions',
    'board_votes',
    'agenda_recusals',
    'agenda_items',
    'meeting_amendments',
    'meeting_attendance',
    'board_meetings',
    'board_members',
    'boards',
  ] as const) {
    await unscoped('resetting the demo tenant deletes its synthetic review boards', () =>
      tx.deleteFrom(table).where('tenant_id', '=', tenantId).execute(),
    );
  }
}
