/**
 * Case-data entities the scope knows: their table, the need-to-know predicate, which fields are
 * encrypted and which roles may see them. Adding an entity here is the only way to expose case data.
 */
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Action } from '../../core/roles.ts';
import type { DB } from '../db/schema.ts';

/** What the scope needs to know about a principal to build predicates. */
export interface ScopeFacts {
  tenantId: string;
  userId: string;
  roles: readonly string[];
  /** Teams the principal belongs to or supervises. */
  teamIds: readonly string[];
}

/** Tables that hold case data and carry tenant_id, id and version columns. */
export type CaseTable = 'participants';

/** The access definition of one entity. */
export interface EntityDef<T extends CaseTable> {
  table: T;
  /** Entity type as written in audit events. */
  auditType: string;
  actions: { list: Action; read: Action; create: Action; update: Action };
  /** Need-to-know predicate added to every query besides the tenant predicate. */
  visible(eb: ExpressionBuilder<DB, T>, f: ScopeFacts): Expression<SqlBool>;
  /** Columns holding AES-GCM ciphertext, decrypted for roles in `fieldRoles` only. */
  encrypted: readonly (keyof DB[T] & string)[];
  /** Roles that may see a field; fields not listed are visible to whoever may read the record. */
  fieldRoles: Partial<Record<keyof DB[T] & string, readonly string[]>>;
  /** Columns a client may never set: the scope sets them itself. */
  serverOwned: readonly (keyof DB[T] & string)[];
  /** Whose record this is (a person), for the audit event's subject. */
  subjectOf(row: { id: string }): string | null;
}

/** Participants (placeholder for case work): visible to their case team and its supervisors. */
export const participants: EntityDef<'participants'> = {
  table: 'participants',
  auditType: 'participant',
  actions: { list: 'participant.list', read: 'participant.read', create: 'participant.create', update: 'participant.update' },
  visible: (eb, f) => (f.teamIds.length === 0 ? eb.val(false) : eb('participants.team_id', 'in', f.teamIds)),
  encrypted: ['notes'],
  fieldRoles: { notes: ['case_manager', 'psychologist', 'religious_counsellor', 'social_worker', 'supervisor', 'program_director'] },
  serverOwned: ['id', 'tenant_id', 'created_by', 'created_at', 'updated_at', 'version'],
  subjectOf: (row) => row.id,
};
