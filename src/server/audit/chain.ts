/** The hash-chain rule of the audit log: pure functions shared by the writer and `audit verify`. */
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from '../db/schema.ts';

/** Number of independent chains per tenant; writers pick any unlocked one. */
export const CHAINS_PER_TENANT = 32;

/** The fields of an event that its hash covers, in wire form. */
export interface ChainedEvent {
  id: string;
  tenantId: string;
  chainNo: number;
  seq: string;
  at: string;
  actorId: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  subjectId: string | null;
  purpose: string | null;
  outcome: 'ok' | 'denied' | 'error';
  requestId: string | null;
  details: Record<string, unknown>;
}

/** The hash a chain starts from, distinct per tenant and chain. */
export function genesisHash(tenantId: string, chainNo: number): Buffer {
  return crypto.createHash('sha256').update(`sanad-audit-genesis:v1:${tenantId}:${chainNo}`).digest();
}

/** RFC 8785 canonical JSON of the event, as hashed. */
export function canonicalBody(e: ChainedEvent): string {
  const body = canonicalize({ v: 1, ...e });
  if (body === undefined) throw new Error('event cannot be canonicalised');
  return body;
}

/** sha256(previous hash ‖ RFC 8785 canonical JSON of the event). */
export function eventHash(prev: Buffer, e: ChainedEvent): Buffer {
  return crypto.createHash('sha256').update(prev).update(canonicalBody(e), 'utf8').digest();
}

/** A stored audit event row, as PostgreSQL returns it. */
export type AuditEventRow = Selectable<AuditEventsTable>;

/** The hashed fields of a stored row, in wire form (what the writer hashed when it appended it). */
export function chainedFromRow(r: AuditEventRow): ChainedEvent {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    chainNo: r.chain_no,
    seq: r.seq,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    subjectId: r.subject_id,
    purpose: r.purpose,
    outcome: r.outcome,
    requestId: r.request_id,
    details: r.details,
  };
}
