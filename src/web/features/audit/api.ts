/** The audit feature's reads: the event log page by page, the chain check, the signed heads export. */
import { useWrite } from '../../api/hooks';
import { usePagedList } from '../../api/use-paged-list';

const AUDIT = '/api/v1/audit';

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

export type AuditFilters = Partial<Record<'actorId' | 'entityType' | 'entityId' | 'action' | 'from' | 'to', string>>;

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
