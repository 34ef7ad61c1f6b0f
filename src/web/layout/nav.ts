/** Which sections a user sees, computed from their roles (union of every role, deduplicated). */
import type { IconName } from '../components/icons';
import type { MessageKey } from '../i18n/locales';

export interface NavItem {
  id: string;
  path: string;
  label: MessageKey;
  icon: IconName;
  /** Roles that see this section. */
  roles: readonly string[];
}

/** Discipline staff who work cases day to day. */
export const CASE_STAFF = [
  'case_manager',
  'psychologist',
  'religious_counsellor',
  'social_worker',
  'vocational_trainer',
  'mentor',
  'aftercare_officer',
] as const;

const LEADS = ['supervisor', 'program_director'] as const;

/** Every section in display order; a user's bar is the subset their roles allow. */
export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'work', path: '/work', label: 'nav.work', icon: 'work', roles: [...CASE_STAFF, ...LEADS] },
  { id: 'overview', path: '/overview', label: 'nav.overview', icon: 'overview', roles: LEADS },
  { id: 'cases', path: '/cases', label: 'nav.cases', icon: 'cases', roles: [...CASE_STAFF, ...LEADS] },
  { id: 'boards', path: '/boards', label: 'nav.boards', icon: 'boards', roles: ['review_board'] },
  { id: 'users', path: '/admin/users', label: 'nav.users', icon: 'users', roles: ['tenant_admin'] },
  { id: 'programs', path: '/admin/programs', label: 'nav.programs', icon: 'programs', roles: ['tenant_admin'] },
  {
    id: 'instruments',
    path: '/admin/instruments',
    label: 'instruments.nav',
    icon: 'instrument',
    roles: ['tenant_admin'],
  },
  { id: 'audit', path: '/audit', label: 'nav.audit', icon: 'audit', roles: ['dpo'] },
  { id: 'learning', path: '/learning', label: 'nav.learning', icon: 'learning', roles: ['learner'] },
  { id: 'certificates', path: '/learning/certificates', label: 'nav.certificates', icon: 'award', roles: ['learner'] },
  { id: 'cohorts', path: '/cohorts', label: 'nav.cohorts', icon: 'cohorts', roles: ['facilitator', 'coordinator'] },
  {
    id: 'grading',
    path: '/cohorts/grading',
    label: 'nav.grading',
    icon: 'grade',
    roles: ['facilitator', 'coordinator'],
  },
  { id: 'statistics', path: '/statistics', label: 'nav.statistics', icon: 'stats', roles: ['coalition_analyst'] },
];

/** The sections visible to a set of roles, in display order, without duplicates. */
export function navFor(roles: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles.some((r) => roles.includes(r)));
}

/** Whether the roles may open the section with this id. */
export function canSee(roles: readonly string[], id: string): boolean {
  return navFor(roles).some((i) => i.id === id);
}

/** The id of the item that marks the current path: the longest item path that is a prefix of it. */
export function activeItem(items: readonly NavItem[], pathname: string): string | null {
  let best: NavItem | null = null;
  for (const i of items) {
    if ((pathname === i.path || pathname.startsWith(`${i.path}/`)) && (!best || i.path.length > best.path.length))
      best = i;
  }
  return best?.id ?? null;
}

/** The landing path for a set of roles (their first section), or the profile page. */
export function homePath(roles: readonly string[]): string {
  return navFor(roles)[0]?.path ?? '/profile';
}
