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
  /** Every column, in order; lists select these minus the encrypted ones. */
  columns: readonly (keyof DB[T] & string)[];
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
  // The case team and its supervisors: a subquery, so membership changes apply to the next request.
  visible: (eb, f) =>
    eb('participants.team_id', 'in', eb.selectFrom('team_members').select('team_members.team_id').where('team_members.user_id', '=', f.userId).where('team_members.tenant_id', '=', f.tenantId)),
  columns: ['id', 'tenant_id', 'code', 'team_id', 'notes', 'created_by', 'created_at', 'updated_at', 'version'],
  encrypted: ['notes'],
  fieldRoles: { notes: ['case_manager', 'psychologist', 'religious_counsellor', 'social_worker', 'supervisor', 'program_director'] },
  serverOwned: ['id', 'tenant_id', 'created_by', 'created_at', 'updated_at', 'version'],
  subjectOf: (row) => row.id,
};
