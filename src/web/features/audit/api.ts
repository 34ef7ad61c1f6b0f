/** The audit feature's reads: the event log page by page, the chain check, the signed heads export. */
import type { z } from 'zod';
import type { AuditEvent as AuditEventSchema, Problem, VerifyResponse } from '../../../server/modules/audit/schema';
import { useWrite } from '../../api/hooks';
import { usePagedList } from '../../api/use-paged-list';

const AUDIT = '/api/v1/audit';

export type AuditEvent = z.infer<typeof AuditEventSchema>;
/** One problem verify found: the event (or anchor line) and a stable reason code. */
export type AuditProblem = z.infer<typeof Problem>;
export type AuditVerify = z.infer<typeof VerifyResponse>;

export type AuditFilters = Partial<
  Record<'actorId' | 'actorEmail' | 'entityType' | 'entityId' | 'action' | 'from' | 'to', string>
>;

/** GET /audit/events, newest first, filtered. */
export function useAuditEvents(filters: AuditFilters) {
  return usePagedList<AuditEvent>(['audit'], `${AUDIT}/events`, filters);
}

/** GET /audit/verify: checks the chains and anchors now (the check itself is audited). */
export function useVerifyAudit() {
  return useWrite<void, AuditVerify>({ method: 'GET', path: () => `${AUDIT}/verify` });
}

/** GET /audit/heads: a signed statement of the chain heads, to keep outside (audited). */
export function useExportAuditHeads(options?: { onSuccess?: (data: unknown) => unknown }) {
  return useWrite<void, unknown>({ method: 'GET', path: () => `${AUDIT}/heads` }, options);
}
