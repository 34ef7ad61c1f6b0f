/** Roles a Sanad user can hold, and what each may do. Pure data shared by server and web. */

/** Every role known to Sanad. A user holds one or more. */
export const ROLES = [
  'case_manager',
  'psychologist',
  'religious_counsellor',
  'social_worker',
  'vocational_trainer',
  'mentor',
  'supervisor',
  'program_director',
  'review_board',
  'aftercare_officer',
  'tenant_admin',
  'dpo',
  'learner',
  'facilitator',
  'coordinator',
  'coalition_analyst',
] as const;

export type Role = (typeof ROLES)[number];

/** Roles that work with case data; their accounts must use TOTP unless they are demo accounts. */
export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'learner');

/** Roles that are members of a case team (discipline staff). */
export const CASE_ROLES: readonly Role[] = [
  'case_manager',
  'psychologist',
  'religious_counsellor',
  'social_worker',
  'vocational_trainer',
  'mentor',
  'aftercare_officer',
  'supervisor',
  'program_director',
];

/** Roles that may attempt to read a case record; the Scope decides which records (their teams'). */
const CASE_READERS: readonly Role[] = [...CASE_ROLES, 'review_board'];

/** Actions the policy table knows. Anything else is denied. */
export const ACTIONS = [
  'participant.list',
  'participant.read',
  'participant.create',
  'participant.update',
  'user.list',
  'user.invite',
  'user.update',
  'user.disable',
  'audit.read',
  'audit.export',
  'team.manage',
  'program.read',
  'program.manage',
  'consent.read',
  'consent.write',
  'plan.read',
  'plan.write',
  'plan.approve',
  'session.read',
  'session.write',
  'phase.transition',
  'phase.override',
  'handover.request',
  'handover.decide',
  'identity.reveal',
  'identity.edit',
  'participant.access_log',
  'cohort.read_all',
  'instrument.read',
  'instrument.manage',
  'certification.manage',
  'assessment.read',
  'assessment.write',
  'academy.learn',
  'cohort.read',
  'cohort.manage',
  'academy.grade',
  'certificate.revoke',
  'board.read',
  'board.manage',
  'board.agenda',
  'board.vote',
  'board.decide',
  'statistics.read',
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * The policy table: which roles may attempt an action at all (type level).
 * Record level need-to-know (case team, tenant) is enforced by the access scope on top of this.
 */
export const POLICY: Readonly<Record<Action, readonly Role[]>> = {
  'participant.list': CASE_ROLES,
  // Review-board members may attempt reads so that, outside a case team, every case answers 404 like a
  // missing record (not a 403 that says "this role"); need-to-know (the Scope) shows them nothing.
  'participant.read': CASE_READERS,
  'participant.create': ['case_manager', 'supervisor', 'program_director'],
  'participant.update': CASE_ROLES,
  'user.list': ['tenant_admin'],
  'user.invite': ['tenant_admin'],
  'user.update': ['tenant_admin'],
  'user.disable': ['tenant_admin'],
  'audit.read': ['dpo'],
  'audit.export': ['dpo', 'tenant_admin'],
  'team.manage': ['tenant_admin'],
  // Program definitions (phases, gates) hold no case data; board members read them to name phases.
  'program.read': [...CASE_ROLES, 'tenant_admin', 'review_board'],
  'program.manage': ['tenant_admin'],
  'consent.read': CASE_READERS,
  'consent.write': ['case_manager', 'social_worker', 'supervisor'],
  'plan.read': CASE_READERS,
  'plan.write': [
    'case_manager',
    'psychologist',
    'religious_counsellor',
    'social_worker',
    'vocational_trainer',
    'supervisor',
  ],
  'plan.approve': ['supervisor', 'program_director'],
  'session.read': CASE_READERS,
  'session.write': [
    'case_manager',
    'psychologist',
    'religious_counsellor',
    'social_worker',
    'vocational_trainer',
    'mentor',
    'aftercare_officer',
    'supervisor',
  ],
  'phase.transition': ['case_manager', 'supervisor'],
  'phase.override': ['supervisor', 'program_director'],
  'handover.request': ['case_manager', 'supervisor'],
  'handover.decide': ['case_manager', 'supervisor'],
  'identity.reveal': ['case_manager', 'social_worker', 'supervisor'],
  'identity.edit': ['case_manager', 'social_worker', 'supervisor'],
  // Who read, revealed or changed a case: the case manager and supervisors.
  'participant.access_log': ['case_manager', 'supervisor'],
  'instrument.read': [...CASE_ROLES, 'tenant_admin'],
  'instrument.manage': ['tenant_admin'],
  'certification.manage': ['tenant_admin'],
  'assessment.read': CASE_READERS,
  'assessment.write': ['case_manager', 'psychologist', 'religious_counsellor', 'social_worker', 'supervisor'],
  // The academy: learners see only their own learning; facilitators their cohorts; coordinators all cohorts.
  'academy.learn': ['learner'],
  'cohort.read': ['coordinator', 'facilitator'],
  'cohort.manage': ['coordinator'],
  // Every cohort of the tenant (a facilitator reads only the cohorts they facilitate).
  'cohort.read_all': ['coordinator'],
  'academy.grade': ['facilitator', 'coordinator'],
  'certificate.revoke': ['coordinator'],
  // Review boards: who sits on a board (and may vote, or chair) is the board's membership; these are
  // the roles that may attempt it at all. Case teams read their cases' agenda items and decisions.
  'board.read': [...CASE_ROLES, 'review_board'],
  'board.manage': ['supervisor', 'program_director'],
  'board.agenda': ['case_manager', 'supervisor', 'program_director'],
  'board.vote': [...CASE_ROLES, 'review_board'],
  'board.decide': [...CASE_ROLES, 'review_board'],
  // Sections not built yet (the web shows a "coming in a later release" page); no route checks this.
  'statistics.read': ['coalition_analyst'],
};

/** Whether any of the given roles may attempt the action. Unknown actions are denied. */
export function allows(roles: readonly string[], action: string): boolean {
  const allowed = (POLICY as Record<string, readonly Role[] | undefined>)[action];
  if (!allowed) return false;
  return roles.some((r) => (allowed as readonly string[]).includes(r));
}

/** Whether a set of roles counts as staff (and therefore needs TOTP). */
export function isStaff(roles: readonly string[]): boolean {
  return roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r));
}

/** Whether a string names a known role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
