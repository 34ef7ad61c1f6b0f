/**
 * Synthetic case work for the demo tenant: two programs, ~60 participants spread over every phase,
 * consents, plans with goals, and sessions over the past year. Deterministic (seeded), no real people.
 */
import { unscoped } from '../access/unscoped.ts';
import crypto from 'node:crypto';
import { participantCode } from '../../core/codes.ts';
import { indexValues } from '../../core/normalise.ts';
import type { Domain, ProgramDefinition } from '../../core/program.ts';
import { frameworkTemplates } from '../content.ts';
import type { Tx } from '../db/schema.ts';
import type { Services } from '../services.ts';

/** A small seeded PRNG (mulberry32) so the demo looks the same on every machine. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = [
  'Omar',
  'Yusuf',
  'Ahmad',
  'Khalid',
  'Bilal',
  'Hamza',
  'Idris',
  'Samir',
  'Tariq',
  'Zaid',
  'Amina',
  'Fatima',
  'Maryam',
  'Layla',
  'Huda',
  'Noor',
  'Lukas',
  'Jonas',
  'Emil',
  'Sara',
];
const GIVEN_AR = ['عمر', 'يوسف', 'أحمد', 'خالد', 'بلال', 'حمزة', 'إدريس', 'سمير', 'طارق', 'زيد'];
const FAMILY = [
  'Demo-Haddad',
  'Demo-Rahman',
  'Demo-Khan',
  'Demo-Saleh',
  'Demo-Mansour',
  'Demo-Qureshi',
  'Demo-Nasser',
  'Demo-Berg',
  'Demo-Farouk',
  'Demo-Idrisi',
];
const STATUSES = ['convicted', 'remand', 'surrendered', 'returnee', 'voluntary', 'juvenile'] as const;
const GOALS: Record<Domain, string[]> = {
  ideological: [
    'Take part in worldview dialogue sessions and reflect on alternatives to violence',
    'Write a personal reflection on leaving the group',
  ],
  psychological: [
    'Attend trauma-focused counselling',
    'Practise anger-management techniques agreed with the psychologist',
  ],
  family_social: ['Re-establish regular contact with family', 'Join a community activity with a mentor'],
  education_vocational: ['Complete the literacy course', 'Finish a vocational certificate (carpentry)'],
  health: ['Complete a health check and follow-up', 'Stay in a substance-use programme'],
  legal: ['Obtain identity documents', 'Understand and meet licence conditions'],
  economic: ['Open a bank account and make a budget', 'Find paid work or an apprenticeship'],
};
const NOTES = [
  'Synthetic demo note: calm session; discussed next steps and family visit.',
  'Synthetic demo note: engaged well; asked questions about the vocational course.',
  'Synthetic demo note: arrived late; brief session focused on practical matters.',
  'Synthetic demo note: family session; parents supportive, sibling hesitant.',
];
const DISCIPLINES = ['case_manager', 'psychologist', 'religious_counsellor', 'social_worker'] as const;
const DAY = 86_400_000;

/** Seeds programs and participants with plans, consents and sessions. Returns the number of participants. */
export async function seedCasework(
  s: Services,
  tx: Tx,
  tenantId: string,
  teams: { a: string; b: string },
  users: Record<string, string>,
  onProgress?: () => void,
): Promise<number> {
  // Synthetic people written straight into the case tables of the demo tenant (bound by the caller).
  return unscoped('the synthetic demo seed writes whole demo case files', async () => {
    const rand = rng(20261125);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const now = Date.now();
    const programs: { id: string; def: ProgramDefinition; team: string; manager: string }[] = [];
    for (const [framework, team, manager] of [
      ['custodial', teams.a, users['case.manager']!],
      ['community', teams.b, users['case.manager.b']!],
    ] as const) {
      const def = frameworkTemplates().get(framework)!;
      const row = await tx
        .insertInto('programs')
        .values({ tenant_id: tenantId, framework, definition: JSON.stringify(def), created_by: users.admin ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      programs.push({ id: row.id, def, team, manager });
    }
    const enc = (table: string, field: string, rowId: string, text: string) =>
      s.fields.encrypt({ tenantId, table, field, rowId }, text, tx);
    let n = 0;
    for (let i = 0; i < 60; i++) {
      const prog = programs[i % 2]!;
      const phaseIdx = Math.min(prog.def.phases.length - 1, Math.floor((i / 2) % prog.def.phases.length));
      const phase = prog.def.phases[phaseIdx]!;
      const id = crypto.randomUUID();
      const startedDaysAgo = 30 + Math.floor(rand() * 335) + phaseIdx * 20;
      const created = new Date(now - startedDaysAgo * DAY);
      const phaseEntered = new Date(now - Math.floor(rand() * Math.min(startedDaysAgo, 120)) * DAY);
      const arabic = i % 3 === 0;
      const identity = {
        givenName: arabic ? pick(GIVEN_AR) : pick(GIVEN),
        familyName: pick(FAMILY),
        dateOfBirth: `${1975 + Math.floor(rand() * 30)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
        nationalId: `DEMO${100000 + i}`,
      };
      const planApproved = phaseIdx >= 2 || rand() < 0.3;
      // A few plans wait on the supervisor, so a supervisor's home has decisions to take.
      const planSubmitted = !planApproved && Math.floor(i / 2) % 3 === 1;
      await tx
        .insertInto('participants')
        .values({
          id,
          tenant_id: tenantId,
          code: participantCode(crypto.randomBytes(8)),
          team_id: prog.team,
          program_id: prog.id,
          phase_key: phase.key,
          phase_entered_at: phaseEntered,
          legal_status:
            prog.def.framework === 'custodial' ? pick(['convicted', 'remand', 'returnee'] as const) : pick(STATUSES),
          referral_source: pick(['Court', 'Prison service', 'Family', 'Self-referral', 'Police', 'Social services']),
          languages: arabic ? ['ar'] : pick([['en'], ['ur', 'en'], ['ar', 'en'], ['fr']]),
          identity: await enc('participants', 'identity', id, JSON.stringify(identity)),
          family_contacts: await enc(
            'participants',
            'family_contacts',
            id,
            JSON.stringify([
              {
                name: `${pick(GIVEN)} ${identity.familyName}`,
                relationship: pick(['mother', 'father', 'sister', 'brother', 'spouse']),
                phone: `+000 555 ${1000 + i}`,
              },
            ]),
          ),
          notes: await enc('participants', 'notes', id, pick(NOTES)),
          plan_status: planApproved ? 'approved' : planSubmitted ? 'submitted' : 'draft',
          plan_approved_at: planApproved ? new Date(phaseEntered.getTime() + 7 * DAY) : null,
          status: 'active',
          created_by: prog.manager,
          created_at: created,
          updated_at: phaseEntered,
        })
        .execute();
      const bi = await Promise.all(
        indexValues(identity).map(async (v) => ({
          tenant_id: tenantId,
          participant_id: id,
          kind: v.kind,
          hash: await s.fields.blindIndex(tenantId, v.kind, v.value, tx),
        })),
      );
      await tx
        .insertInto('participant_blind_index')
        .values(bi)
        .onConflict((oc) => oc.doNothing())
        .execute();
      // Consent: services for everyone; information sharing for most; one about to expire.
      const given = created.toISOString().slice(0, 10);
      await tx
        .insertInto('consents')
        .values({
          tenant_id: tenantId,
          participant_id: id,
          purpose: 'services',
          legal_basis: prog.def.framework === 'custodial' ? 'court_order' : 'consent',
          given_on: given,
          source: 'Signed form at intake (synthetic)',
          created_by: prog.manager,
          created_at: created,
        })
        .execute();
      if (rand() < 0.7) {
        const expires = i % 7 === 0 ? new Date(now + 20 * DAY).toISOString().slice(0, 10) : null;
        await tx
          .insertInto('consents')
          .values({
            tenant_id: tenantId,
            participant_id: id,
            purpose: 'information_sharing',
            legal_basis: 'consent',
            given_on: given,
            expires_on: expires,
            source: 'Signed form at intake (synthetic)',
            created_by: prog.manager,
            created_at: created,
          })
          .execute();
      }
      // Plan: two or three goals in the program's domains.
      const goalIds: string[] = [];
      for (const domain of prog.def.domains.slice(0, 2 + (i % 2))) {
        const gid = crypto.randomUUID();
        goalIds.push(gid);
        await tx
          .insertInto('goals')
          .values({
            id: gid,
            tenant_id: tenantId,
            participant_id: id,
            domain,
            title: await enc('goals', 'title', gid, pick(GOALS[domain])),
            indicator: await enc(
              'goals',
              'indicator',
              gid,
              'Agreed with the participant; reviewed at each case review',
            ),
            interventions: await enc('goals', 'interventions', gid, 'Weekly sessions with the responsible team member'),
            responsible_user_id: prog.manager,
            target_date: new Date(now + (30 + Math.floor(rand() * 180)) * DAY).toISOString().slice(0, 10),
            status: phaseIdx >= 3 ? 'achieved' : phaseIdx >= 1 ? 'in_progress' : 'not_started',
            progress: Math.min(100, phaseIdx * 25 + Math.floor(rand() * 20)),
            created_by: prog.manager,
            created_at: created,
          })
          .execute();
      }
      if (planApproved || planSubmitted) {
        const vid = crypto.randomUUID();
        await tx
          .insertInto('plan_versions')
          .values({
            id: vid,
            tenant_id: tenantId,
            participant_id: id,
            number: 1,
            status: planApproved ? 'approved' : 'submitted',
            snapshot: await enc('plan_versions', 'snapshot', vid, JSON.stringify({ goals: goalIds })),
            created_by: prog.manager,
            created_at: created,
            decided_by: planApproved ? (users.supervisor ?? null) : null,
            decided_at: planApproved ? new Date(phaseEntered.getTime() + 7 * DAY) : null,
          })
          .execute();
      }
      // Sessions roughly fortnightly from intake until a few days ago (some cases lapse, raising alerts).
      const lapse = i % 9 === 0 ? 40 : 2;
      let last: Date | null = null;
      for (let t = created.getTime() + 3 * DAY; t < now - lapse * DAY; t += (10 + Math.floor(rand() * 10)) * DAY) {
        const sid = crypto.randomUUID();
        const at = new Date(t);
        const attended = rand() < 0.88;
        await tx
          .insertInto('sessions')
          .values({
            id: sid,
            tenant_id: tenantId,
            team_id: prog.team,
            kind: rand() < 0.15 ? 'family' : 'individual',
            discipline: pick(DISCIPLINES),
            occurred_at: at,
            duration_minutes: pick([30, 45, 60, 90]),
            notes: await enc('sessions', 'notes', sid, pick(NOTES)),
            created_by: prog.manager,
            created_at: at,
          })
          .execute();
        await tx
          .insertInto('session_attendance')
          .values({
            session_id: sid,
            participant_id: id,
            tenant_id: tenantId,
            attendance: attended ? (rand() < 0.1 ? 'late' : 'present') : 'absent',
            engagement: attended ? 2 + Math.floor(rand() * 4) : null,
            goal_ids: attended ? [pick(goalIds)] : [],
          })
          .execute();
        if (attended) last = at;
      }
      if (last) await tx.updateTable('participants').set({ last_session_at: last }).where('id', '=', id).execute();
      // The phase history up to the current phase.
      for (let k = 0; k < phaseIdx; k++) {
        const tid = crypto.randomUUID();
        await tx
          .insertInto('transitions')
          .values({
            id: tid,
            tenant_id: tenantId,
            participant_id: id,
            from_phase: prog.def.phases[k]!.key,
            to_phase: prog.def.phases[k + 1]!.key,
            direction: 'forward',
            reason: await enc('transitions', 'reason', tid, 'Gates met at case review (synthetic)'),
            gate_results: '[]',
            created_by: prog.manager,
            created_at: new Date(
              created.getTime() + (k + 1) * ((phaseEntered.getTime() - created.getTime()) / Math.max(1, phaseIdx)),
            ),
          })
          .execute();
      }
      n++;
      onProgress?.();
    }
    return n;
  });
}

/** Deletes the demo tenant's case data (children first); the audit log stays. */
export async function clearCasework(tx: Tx, tenantId: string): Promise<void> {
  for (const table of [
    'session_attendance',
    'sessions',
    'goal_notes',
    'plan_versions',
    'goals',
    'consents',
    'transitions',
    'handovers',
    'participant_blind_index',
    'participants',
    'programs',
  ] as const) {
    await unscoped('resetting the demo tenant deletes its whole synthetic case files', () =>
      tx.deleteFrom(table).where('tenant_id', '=', tenantId).execute(),
    );
  }
}
