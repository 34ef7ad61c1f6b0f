/**
 * The work queue: tasks and alerts for "my cases" (teams I am a member of) or "my teams" (teams I
 * supervise): plan review due, no session in N days, consent expiring, gate ready, plan awaiting
 * approval, handover waiting for my team.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { evaluateExit } from '../../../core/gates.ts';
import { ProgramDefinition, type ConsentPurpose } from '../../../core/program.ts';
import { Scope } from '../../access/scope.ts';
import { assessments, consents, participants } from '../../access/entities.ts';
import { errors, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { ALERT_SQL } from '../participants/service.ts';
import { shippedInstruments } from '../../content.ts';
import type { DbOrTx } from '../../db/schema.ts';

/** Reassessment interval (days) per `key@version`, for shipped instruments and the tenant's imported ones. */
async function reassessmentIntervals(
  db: DbOrTx,
  tenantId: string,
  used: { key: string; version: string }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const d of shippedInstruments()) if (d.reassessEveryDays) out.set(`${d.key}@${d.version}`, d.reassessEveryDays);
  const imported = [...new Set(used.map((u) => u.key))].filter((k) => !shippedInstruments().some((d) => d.key === k));
  if (imported.length) {
    const rows = await db
      .selectFrom('instrument_versions')
      .select(['key', 'version', sql<number | null>`(definition->>'reassessEveryDays')::int`.as('every')])
      .where('tenant_id', '=', tenantId)
      .where('key', 'in', imported)
      .execute();
    for (const r of rows) if (r.every) out.set(`${r.key}@${r.version}`, r.every);
  }
  return out;
}

const KINDS = [
  'handover_to_accept',
  'plan_awaiting_approval',
  'gate_ready',
  'reassessment_due',
  'plan_review_due',
  'consent_expiring',
  'no_session',
  'plan_not_approved',
] as const;
const Task = z
  .object({
    participantId: z.string(),
    code: z.string(),
    programId: z.string().nullable(),
    phaseKey: z.string().nullable(),
    kind: z.enum(KINDS),
    dueAt: z.string().nullable(),
  })
  .openapi('WorkItem');
const Query = z.object({ view: z.enum(['mine', 'supervised']).default('mine') });

/** Routes for /work. */
export function workRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/work',
      tags: ['work'],
      summary: 'Tasks and alerts for my cases or my supervised teams',
      request: { query: Query },
      responses: {
        200: jsonResponse(z.object({ items: z.array(Task), cases: z.number() })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const { view } = c.req.valid('query');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const membership = view === 'mine' ? 'member' : 'supervisor';
        const rows = (await scope.list(participants, (qb) => {
          let x = qb as any;
          x = x
            .leftJoin('programs as pr', 'pr.id', 'participants.program_id')
            .select([
              'pr.definition as program_definition',
              ALERT_SQL.no_session.as('a_no_session'),
              ALERT_SQL.consent_expiring.as('a_consent_expiring'),
              ALERT_SQL.plan_not_approved.as('a_plan_not_approved'),
            ]);
          x = x.where('participants.status', '=', 'active');
          x = x.where('participants.team_id', 'in', (eb: any) =>
            eb
              .selectFrom('team_members')
              .select('team_id')
              .where('user_id', '=', scope.principal.userId)
              .where('membership', '=', membership),
          );
          return x.orderBy('participants.code').limit(500);
        })) as Record<string, any>[];
        const ids = rows.map((r) => r.id as string);
        const cons = ids.length ? await scope.list(consents, (q) => q.where('consents.participant_id', 'in', ids)) : [];
        const finals = ids.length
          ? await scope.list(assessments, (q) =>
              q.where('assessments.participant_id', 'in', ids).where('assessments.status', '=', 'final'),
            )
          : [];
        const lastFinal = new Map<string, Date>();
        // Reassessment: per participant and instrument, the latest finalised assessment plus the
        // instrument's interval; due (or due within 14 days) makes a task.
        const latestPerInstrument = new Map<
          string,
          { participantId: string; key: string; version: string; at: Date }
        >();
        for (const a of finals) {
          const at = a.finalised_at as Date;
          const prev = lastFinal.get(a.participant_id as string);
          if (!prev || prev < at) lastFinal.set(a.participant_id as string, at);
          const k = `${String(a.participant_id)}|${String(a.instrument_key)}`;
          const cur = latestPerInstrument.get(k);
          if (!cur || cur.at < at)
            latestPerInstrument.set(k, {
              participantId: a.participant_id as string,
              key: a.instrument_key as string,
              version: a.instrument_version as string,
              at,
            });
        }
        const reassessDue = new Map<string, Date>();
        const intervals = await reassessmentIntervals(scope.tx, scope.principal.tenantId, [
          ...latestPerInstrument.values(),
        ]);
        for (const l of latestPerInstrument.values()) {
          const every = intervals.get(`${l.key}@${l.version}`);
          if (!every) continue;
          const due = new Date(l.at.getTime() + every * 86_400_000);
          const prev = reassessDue.get(l.participantId);
          if (!prev || due < prev) reassessDue.set(l.participantId, due);
        }
        const now = new Date();
        const items: z.infer<typeof Task>[] = [];
        for (const r of rows) {
          const base = {
            participantId: r.id as string,
            code: r.code as string,
            programId: (r.program_id as string | null) ?? null,
            phaseKey: (r.phase_key as string | null) ?? null,
          };
          const def = r.program_definition ? ProgramDefinition.safeParse(r.program_definition) : null;
          const phase = def?.success ? def.data.phases.find((p) => p.key === r.phase_key) : undefined;
          if (phase) {
            const facts = {
              phaseEnteredAt: (r.phase_entered_at as Date | null) ?? (r.created_at as Date),
              lastAssessmentFinalisedAt: lastFinal.get(r.id as string) ?? null,
              boardApprovedAt: null,
              planApproved: r.plan_status === 'approved',
              consents: cons
                .filter((x) => x.participant_id === r.id)
                .map((x) => ({
                  purpose: x.purpose as ConsentPurpose,
                  status: x.status as 'given' | 'withdrawn',
                  expiresAt: x.expires_on ? new Date(`${String(x.expires_on)}T23:59:59Z`) : null,
                })),
            };
            if (evaluateExit(phase, facts, now).ready && def?.success && def.data.phases.at(-1)?.key !== phase.key)
              items.push({ ...base, kind: 'gate_ready', dueAt: null });
            if (phase.reviewEveryDays && r.plan_approved_at) {
              const due = new Date((r.plan_approved_at as Date).getTime() + phase.reviewEveryDays * 86_400_000);
              if (due.getTime() - now.getTime() < 7 * 86_400_000)
                items.push({ ...base, kind: 'plan_review_due', dueAt: due.toISOString() });
            }
          }
          const due = reassessDue.get(r.id as string);
          if (due && due.getTime() - now.getTime() < 14 * 86_400_000)
            items.push({ ...base, kind: 'reassessment_due', dueAt: due.toISOString() });
          if (view === 'supervised' && r.plan_status === 'submitted')
            items.push({ ...base, kind: 'plan_awaiting_approval', dueAt: null });
          if (r.a_consent_expiring) items.push({ ...base, kind: 'consent_expiring', dueAt: null });
          if (r.a_no_session) items.push({ ...base, kind: 'no_session', dueAt: null });
          if (r.a_plan_not_approved && r.plan_status === 'draft')
            items.push({ ...base, kind: 'plan_not_approved', dueAt: null });
        }
        // Offers to my teams: visible through the pending-handover rule of the participant scope.
        const offers = await scope.tx
          .selectFrom('handovers as h')
          .innerJoin('participants as p', 'p.id', 'h.participant_id')
          .select(['h.participant_id', 'p.code', 'p.program_id', 'p.phase_key', 'h.created_at'])
          .where('h.tenant_id', '=', scope.principal.tenantId)
          .where('h.status', '=', 'pending')
          .where('h.to_team_id', 'in', (eb) =>
            eb
              .selectFrom('team_members')
              .select('team_id')
              .where('user_id', '=', scope.principal.userId)
              .where('membership', '=', membership),
          )
          .execute();
        for (const o of offers)
          items.push({
            participantId: o.participant_id,
            code: o.code,
            programId: o.program_id,
            phaseKey: o.phase_key,
            kind: 'handover_to_accept',
            dueAt: null,
          });
        items.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.code.localeCompare(b.code));
        return { items, cases: rows.length };
      });
      return c.json(out, 200);
    },
  );
  return app;
}
