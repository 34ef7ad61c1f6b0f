/** Wire types of the Sanad HTTP API as the web front-end uses them (JSON, camelCase). */

export type Locale = 'en' | 'ar' | 'ur' | 'fr';
export type CalendarPref = 'gregory' | 'islamic-umalqura';

export interface Health {
  status: 'ok';
  database: 'embedded' | 'external';
  version: string;
  demo: boolean;
}

export interface LoginResult {
  status: 'ok' | 'mfa_required' | 'mfa_enrol_required';
}

export interface MfaSetup {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

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
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  current: boolean;
}

export interface Invitation {
  email: string;
  tenantName: string;
  expiresAt: string;
}

export type UserStatus = 'active' | 'disabled' | 'invited';

export interface UserRow {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  status: UserStatus;
  mfaEnabled: boolean;
  version: number;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface InvitationCreated {
  invitation: { id: string; email: string; roles: string[]; expiresAt: string };
  link: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorId: string;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  subjectId: string | null;
  purpose: string | null;
  outcome: 'ok' | 'denied' | 'error';
  requestId: string;
}

/** One problem verify found: the event (or anchor line) and a stable reason code. */
export interface AuditProblem {
  id: string | null;
  chainNo: number | null;
  seq: string | null;
  reason: string;
  line?: number;
  detail?: string;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  firstBad: AuditProblem | null;
  problems: AuditProblem[];
  anchors: {
    records: number;
    comparedEvents: number;
    lastAnchoredAt: string | null;
    unanchoredEvents: number;
    oldestUnanchoredAt: string | null;
    lagSeconds: number;
    maxLagSeconds: number;
    incompleteLines: number;
  };
}

export interface ParticipantRow {
  id: string;
  code: string;
  teamId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A page of a keyset-paginated list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
