/** Which sections a user sees: each section needs one ability (a policy action, from /me). */
import type { Action } from '../../core/roles';
import type { Can } from '../api/abilities';
import type { IconName } from '../components/icons';
import type { MessageKey } from '../i18n/locales';

export interface NavItem {
  id: string;
  path: string;
  label: MessageKey;
  icon: IconName;
  /** The ability that opens this section. */
  ability: Action;
}

/** Every section in display order; a user's bar is the subset their abilities open. */
export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'work', path: '/work', label: 'nav.work', icon: 'work', ability: 'participant.list' },
  // The supervision overview: for those who approve plans.
  { id: 'overview', path: '/overview', label: 'nav.overview', icon: 'overview', ability: 'plan.approve' },
  { id: 'cases', path: '/cases', label: 'nav.cases', icon: 'cases', ability: 'participant.list' },
  { id: 'boards', path: '/boards', label: 'nav.boards', icon: 'boards', ability: 'board.read' },
  { id: 'users', path: '/admin/users', label: 'nav.users', icon: 'users', ability: 'user.list' },
  { id: 'programs', path: '/admin/programs', label: 'nav.programs', icon: 'programs', ability: 'program.manage' },
  {
    id: 'instruments',
    path: '/admin/instruments',
    label: 'instruments.nav',
    icon: 'instrument',
    ability: 'instrument.manage',
  },
  { id: 'audit', path: '/audit', label: 'nav.audit', icon: 'audit', ability: 'audit.read' },
  { id: 'learning', path: '/learning', label: 'nav.learning', icon: 'learning', ability: 'academy.learn' },
  {
    id: 'certificates',
    path: '/learning/certificates',
    label: 'nav.certificates',
    icon: 'award',
    ability: 'academy.learn',
  },
  { id: 'cohorts', path: '/cohorts', label: 'nav.cohorts', icon: 'cohorts', ability: 'cohort.read' },
  { id: 'grading', path: '/cohorts/grading', label: 'nav.grading', icon: 'grade', ability: 'academy.grade' },
  { id: 'statistics', path: '/statistics', label: 'nav.statistics', icon: 'stats', ability: 'statistics.read' },
];

/** The sections the user's abilities open, in display order. */
export function navFor(can: Can): NavItem[] {
  return NAV_ITEMS.filter((item) => can(item.ability));
}

/** Whether the user may open the section with this id. */
export function canSee(can: Can, id: string): boolean {
  return navFor(can).some((i) => i.id === id);
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

/** The landing path: the user's first section, or the profile page. */
export function homePath(can: Can): string {
  return navFor(can)[0]?.path ?? '/profile';
}
