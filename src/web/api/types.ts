/** Wire types the whole web app shares (session, health, paging); each feature keeps its own in its folder. */
import type { z } from 'zod';
import type { Action } from '../../core/roles';
import type { Prefs } from '../../server/modules/users/schema';
import type { Locale } from '../../core/program';

export type { Locale };
/** The calendar dates are shown in (as PATCH /me/preferences takes it). */
export type CalendarPref = NonNullable<z.input<typeof Prefs>['calendar']>;

export interface Health {
  status: 'ok';
  database: 'embedded' | 'external';
  version: string;
  demo: boolean;
}

/** GET /api/v1/me: who is signed in, where, until when, and what they may do. */
export interface Me {
  user: {
    id: string;
    email: string;
    displayName: string;
    roles: string[];
    locale: Locale;
    calendar: CalendarPref;
    mfaEnabled: boolean;
    isDemo: boolean;
  };
  tenant: { id: string; name: string; isDemo: boolean };
  session: { mfaPassed: boolean; expiresAt: string; idleExpiresAt: string };
  /** The policy actions the user's roles allow, sorted (see core/abilities.ts). */
  abilities: Action[];
}

/** A page of a keyset-paginated list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
