/** The authenticated person behind a request, as the access layer sees them. */

/** Who is acting: identity, tenant, roles and session state. Built by the session middleware. */
export interface Principal {
  userId: string;
  tenantId: string;
  email: string;
  displayName: string;
  roles: string[];
  sessionId: string;
  mfaPassed: boolean;
  mfaEnabled: boolean;
  /** True when the account must enrol TOTP before doing anything else. */
  mustEnrolMfa: boolean;
  isDemo: boolean;
  locale: 'en' | 'ar' | 'ur' | 'fr';
  calendar: 'gregory' | 'islamic-umalqura';
  tenantName: string;
  tenantIsDemo: boolean;
  sessionCreatedAt: Date;
  sessionExpiresAt: Date;
  lastSeenAt: Date;
}
