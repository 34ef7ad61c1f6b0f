/**
 * The bench scenarios: for each, the HTTP request number i as the web app sends it, the status it must
 * answer, and the values of request i that reach its SQL (so that the floor, replaying the statements
 * recorded for one request, can swap them for request i's: rotating participants and the like).
 */
import type { Fixtures } from './data.ts';

/** One HTTP request. */
export interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A scenario of the bench. */
export interface Scenario {
  name: string;
  kind: 'read' | 'write' | 'mixed';
  description: string;
  /**
   * The i-th request (i counts requests over all connections of a run); `ctx` is the connection's own
   * state (`slot`: its number, from 0), kept across its requests.
   */
  request(fx: Fixtures, i: number, origin: string, ctx: Ctx): Req;
  /** The status every request must answer. */
  status: number;
  /** Reads what the next request of the connection needs from a response (e.g. the new version). */
  onResponse?(ctx: Ctx, status: number, body: string): void;
  /** The values of request i that reach the SQL, by name (the recorded request's are swapped for request i's in the floor). */
  vars?(fx: Fixtures, i: number, ctx: Ctx): Record<string, string>;
  /** Mixed workloads: request i is request ⌊i/10⌋ of scenario mix[i % 10]. */
  mix?: string[];
}

/** A connection's state across its requests. */
export interface Ctx {
  slot: number;
  version?: number;
}

const pick = <T>(a: T[], i: number): T => a[i % a.length]!;
const json = (cookie: string, origin: string) => ({ cookie, origin, 'content-type': 'application/json' });

export const SCENARIOS: Scenario[] = [
  {
    name: 'health',
    kind: 'read',
    description: 'GET /api/health (one trivial query, cached for a second)',
    request: () => ({ method: 'GET', path: '/api/health', headers: {} }),
    status: 200,
  },
  {
    name: 'participant',
    kind: 'read',
    description: 'GET /participants/{id}: participant record (audited, decrypted)',
    request: (fx, i) => ({
      method: 'GET',
      path: `/api/v1/participants/${pick(fx.mine, i)}`,
      headers: { cookie: fx.cookies.caseManager },
    }),
    status: 200,
    vars: (fx, i) => ({ participant: pick(fx.mine, i) }),
  },
  {
    name: 'caseload',
    kind: 'read',
    description: 'GET /participants?limit=50: caseload page',
    request: (fx) => ({
      method: 'GET',
      path: '/api/v1/participants?limit=50',
      headers: { cookie: fx.cookies.caseManager },
    }),
    status: 200,
  },
  {
    name: 'code-search',
    kind: 'read',
    description: 'GET /participants?q=<code prefix>: code search',
    request: (fx, i) => ({
      method: 'GET',
      path: `/api/v1/participants?q=${encodeURIComponent(pick(fx.codes, i).slice(0, 7))}&limit=20`,
      headers: { cookie: fx.cookies.caseManager },
    }),
    status: 200,
    vars: (fx, i) => ({ q: pick(fx.codes, i).slice(0, 7) }),
  },
  {
    name: 'duplicate-search',
    kind: 'read',
    description: 'POST /participants/search: search before create (name and birth date)',
    request: (fx, i, origin) => ({
      method: 'POST',
      path: '/api/v1/participants/search',
      headers: json(pick(fx.searchers, i).cookie, origin),
      body: JSON.stringify(pick(fx.identities, i)),
    }),
    status: 200,
    vars: (fx, i) => ({ user: pick(fx.searchers, i).id }),
  },
  {
    name: 'work-queue',
    kind: 'read',
    description: 'GET /work?view=mine: the case manager’s work queue',
    request: (fx) => ({ method: 'GET', path: '/api/v1/work?view=mine', headers: { cookie: fx.cookies.caseManager } }),
    status: 200,
  },
  {
    name: 'timeline',
    kind: 'read',
    description: 'GET /participants/{id}/timeline',
    request: (fx, i) => ({
      method: 'GET',
      path: `/api/v1/participants/${pick(fx.mine, i)}/timeline`,
      headers: { cookie: fx.cookies.caseManager },
    }),
    status: 200,
    vars: (fx, i) => ({ participant: pick(fx.mine, i) }),
  },
  {
    name: 'goal-edit',
    kind: 'write',
    description: 'PATCH /goals/{id} with If-Match: a plan goal’s progress (each connection its own goal)',
    request: (fx, _i, origin, ctx) => {
      const g = fx.goals![ctx.slot]!;
      return {
        method: 'PATCH',
        path: `/api/v1/goals/${g.id}`,
        headers: { ...json(fx.cookies.caseManager, origin), 'if-match': `"${ctx.version ?? g.version}"` },
        body: JSON.stringify({ progress: 50 }),
      };
    },
    status: 200,
    onResponse: (ctx, status, body) => {
      if (status === 200) ctx.version = (JSON.parse(body) as { version: number }).version;
    },
    vars: (fx, _i, ctx) => ({ goal: fx.goals![ctx.slot]!.id, participant: fx.goals![ctx.slot]!.participant }),
  },
  {
    name: 'session',
    kind: 'write',
    description: 'POST /sessions: a session with encrypted notes (audited)',
    request: (fx, i, origin) => ({
      method: 'POST',
      path: '/api/v1/sessions',
      headers: json(fx.cookies.caseManager, origin),
      body: JSON.stringify({
        kind: 'individual',
        discipline: 'case_manager',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        durationMinutes: 45,
        attendees: [{ participantId: pick(fx.mine, i), attendance: 'present', engagement: 4 }],
        notes: 'Synthetic bench note',
      }),
    }),
    status: 201,
    vars: (fx, i) => ({ participant: pick(fx.mine, i) }),
  },
  {
    name: 'intake',
    kind: 'write',
    description: 'POST /participants: intake (encrypted identity, blind index, audited)',
    request: (fx, i, origin) => ({
      method: 'POST',
      path: '/api/v1/participants',
      headers: json(fx.cookies.caseManager, origin),
      body: JSON.stringify({
        programId: fx.programId,
        teamId: fx.teamIds[0],
        legalStatus: 'voluntary',
        identity: { givenName: `Bench${i}`, familyName: 'Synthetic' },
        notes: 'Synthetic bench note',
      }),
    }),
    status: 201,
  },
  {
    name: 'audit-page',
    kind: 'read',
    description: 'GET /audit/events?limit=50: the audit viewer (DPO)',
    request: (fx) => ({ method: 'GET', path: '/api/v1/audit/events?limit=50', headers: { cookie: fx.cookies.dpo } }),
    status: 200,
  },
  {
    name: 'lesson',
    kind: 'read',
    description: 'GET /academy/enrolments/{id}/lessons/{lessonId}: lesson page (learner)',
    request: (fx) => ({
      method: 'GET',
      path: `/api/v1/academy/enrolments/${fx.enrolmentId}/lessons/${fx.lessonId}`,
      headers: { cookie: fx.cookies.learner },
    }),
    status: 200,
  },
  {
    name: 'quiz-autosave',
    kind: 'write',
    description: 'PUT /academy/attempts/{id}/answers/{item}: autosave of a quiz answer (learner)',
    request: (fx, i, origin) => {
      const q = pick(fx.quiz!, i);
      return {
        method: 'PUT',
        path: `/api/v1/academy/attempts/${q.attemptId}/answers/${q.itemId}`,
        headers: json(fx.cookies.learner, origin),
        body: JSON.stringify(q.answer),
      };
    },
    status: 200,
    vars: (fx, i) => ({ item: pick(fx.quiz!, i).itemId }),
  },
  {
    name: 'cohort-report',
    kind: 'read',
    description: 'GET /academy/cohorts/{id}: cohort report (200 learners, progress recomputed)',
    request: (fx) => ({
      method: 'GET',
      path: `/api/v1/academy/cohorts/${fx.cohortId}`,
      headers: { cookie: fx.cookies.coordinator },
    }),
    status: 200,
  },
  {
    name: 'mixed',
    kind: 'mixed',
    description: '80 % reads (half of them audited participant reads), 20 % writes',
    request: () => {
      throw new Error('mixed is composed of the other scenarios');
    },
    status: 0,
    mix: [
      'participant',
      'caseload',
      'participant',
      'code-search',
      'participant',
      'work-queue',
      'participant',
      'timeline',
      'session',
      'intake',
    ],
  },
];

/** A scenario by name. */
export function scenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name} (have: ${SCENARIOS.map((x) => x.name).join(', ')})`);
  return s;
}

/** Request i of a scenario, resolving mixed workloads to their parts: the part's name and its request. */
export function requestOf(
  s: Scenario,
  fx: Fixtures,
  i: number,
  origin: string,
  ctx: Ctx,
): { part: Scenario; index: number; req: Req } {
  if (s.mix) {
    const part = scenario(s.mix[i % s.mix.length]!);
    const index = Math.floor(i / s.mix.length) + 2;
    return { part, index, req: part.request(fx, index, origin, ctx) };
  }
  return { part: s, index: i, req: s.request(fx, i, origin, ctx) };
}
