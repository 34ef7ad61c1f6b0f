/**
 * The reading half of the Scope (`scope.ts` has the whole story): policy checks, the need-to-know
 * predicates, and reads of case records (audited where a record is opened). Only the access layer
 * extends it; the transaction stays protected, so code outside cannot reach a case table through it.
 */
import { sql, type SelectQueryBuilder, type Selectable } from 'kysely';
import { AppError } from '../../core/errors.ts';
import { allows, type Action } from '../../core/roles.ts';
import { AuditLog, type AuditContext, type AuditEntry } from '../audit/log.ts';
import type { DB, Tx } from '../db/schema.ts';
import type { Services } from '../services.ts';
import type { Principal } from './principal.ts';
import type { CaseTable, EntityDef, ScopeFacts } from './entities.ts';
import { unscoped } from './unscoped.ts';

export type Row<T extends CaseTable> = Selectable<DB[T]>;
/**
 * A record as the principal may see it: plain columns as stored; encrypted (bytea) columns decrypted to
 * strings, and absent when the principal's roles may not read them (or they are reveal-only).
 */
export type Visible<T extends CaseTable> = {
  [K in keyof Row<T> as Row<T>[K] extends Buffer | null ? never : K]: Row<T>[K];
} & {
  [K in keyof Row<T> as Row<T>[K] extends Buffer | null ? K : never]?: string | null;
};

/** Reads through the scope of one principal inside one transaction. */
export class ScopeReads {
  readonly audit: AuditLog;
  private teams?: string[];
  /** Denials to record after the transaction rolls back. */
  readonly denials: AuditEntry[] = [];
  /** Ids of the records this scope created (in its transaction). */
  protected readonly createdHere = new Set<string>();

  protected constructor(
    readonly principal: Principal,
    /** The transaction: case tables are reached only through the methods of the Scope. */
    protected readonly tx: Tx,
    protected services: Services,
    readonly ctx: AuditContext,
  ) {
    this.audit = new AuditLog(tx, ctx);
  }

  /** Type-level check against the policy table; a refusal is audited and answers 403. */
  require(action: Action, entity?: { type: string; id?: string }): void {
    if (!allows(this.principal.roles, action)) {
      this.denials.push({
        action,
        entityType: entity?.type,
        entityId: entity?.id ?? null,
        outcome: 'denied',
        details: { reason: 'policy' },
      });
      throw new AppError('FORBIDDEN', 'your role does not allow this');
    }
  }

  /** Whether the policy table lets the principal's roles attempt an action (no audit; for showing more or less). */
  may(action: Action): boolean {
    return allows(this.principal.roles, action);
  }

  /** Whether the principal's roles may read a field the entity restricts (`fieldRoles`); unrestricted fields: yes. */
  mayRead<T extends CaseTable>(def: EntityDef<T>, field: keyof DB[T] & string): boolean {
    const roles = def.fieldRoles[field];
    return !roles || this.principal.roles.some((r) => roles.includes(r));
  }

  /** Facts the need-to-know predicates are built from. */
  scopeFacts(): ScopeFacts {
    return { tenantId: this.principal.tenantId, userId: this.principal.userId, roles: this.principal.roles };
  }

  /**
   * This transaction, for tables that hold no case data (programs, teams, users, instruments, audit
   * events). Case tables go through the methods of this class; `test/chokepoint.test.ts` fails when
   * code outside the access layer names one. Inside a scope, never use the pool: use this.
   */
  get shared(): Tx {
    return this.tx;
  }

  /**
   * A deliberate query over case tables that the entity predicates cannot express, with the reason
   * in words. The transaction stays bound to the principal's tenant (row-level security), but the
   * need-to-know predicates are the caller's to apply. Every use is listed by `test/chokepoint.test.ts`.
   */
  unscoped<R>(reason: string, fn: (tx: Tx) => Promise<R>): Promise<R> {
    return unscoped(reason, () => fn(this.tx));
  }

  /** Ids of the teams the principal belongs to or supervises (loaded once per request). */
  async teamIds(): Promise<string[]> {
    if (!this.teams) {
      const rows = await this.tx
        .selectFrom('team_members')
        .select('team_id')
        .where('user_id', '=', this.principal.userId)
        .where('tenant_id', '=', this.principal.tenantId)
        .execute();
      this.teams = rows.map((r) => r.team_id);
    }
    return this.teams;
  }

  /** A select over the entity restricted to the principal's tenant and need-to-know. */
  select<T extends CaseTable>(def: EntityDef<T>, opts: { forList?: boolean } = {}): SelectQueryBuilder<DB, T, {}> {
    const f = { ...this.scopeFacts(), ...(opts.forList && this.teams ? { teamIds: this.teams } : {}) };
    const qb = this.tx.selectFrom(def.table) as unknown as SelectQueryBuilder<DB, T, {}>;
    return qb
      .where(sql.ref(`${def.table}.tenant_id`), '=', f.tenantId)
      .where((eb) => (opts.forList && def.listVisible ? def.listVisible(eb as never, f) : def.visible(eb as never, f)));
  }

  /** Decrypts the fields this principal may see and removes the others (and every reveal-only field). */
  async reveal<T extends CaseTable>(def: EntityDef<T>, row: Row<T>): Promise<Visible<T>> {
    const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
    for (const field of def.revealOnly ?? []) delete out[field];
    for (const [field, roles] of Object.entries(def.fieldRoles) as [string, readonly string[]][]) {
      if (!this.principal.roles.some((r) => roles.includes(r))) delete out[field];
    }
    for (const field of def.encrypted) {
      if (!(field in out)) continue;
      out[field] = await this.decryptField(def, field, String(out.id), out[field] as Buffer | null);
    }
    delete out.tenant_id;
    return out as Visible<T>;
  }

  protected async decryptField<T extends CaseTable>(
    def: EntityDef<T>,
    field: string,
    rowId: string,
    blob: Buffer | null,
  ): Promise<string | null> {
    return blob === null
      ? null
      : this.services.fields.decrypt(
          { tenantId: this.principal.tenantId, table: def.table, field, rowId },
          blob,
          this.tx,
        );
  }

  /**
   * Shows reveal-only fields (e.g. identity) of one visible record for a stated purpose. The policy
   * action must allow it; the reveal is audited with the purpose in the same transaction.
   */
  async revealFields<T extends CaseTable>(
    def: EntityDef<T>,
    id: string,
    action: Action,
    purpose: string,
  ): Promise<Record<string, string | null>> {
    this.require(action, { type: def.auditType, id });
    const row = await this.findRow(def, id, false);
    if (!row) {
      this.denials.push({
        action,
        entityType: def.auditType,
        entityId: id,
        outcome: 'denied',
        details: { reason: 'not_found_or_out_of_scope' },
      });
      throw new AppError('NOT_FOUND', 'not found');
    }
    const out: Record<string, string | null> = {};
    for (const field of def.revealOnly ?? [])
      out[field] = await this.decryptField(def, field, id, (row as Record<string, unknown>)[field] as Buffer | null);
    await this.audit.append({
      action,
      entityType: def.auditType,
      entityId: id,
      subjectId: def.subjectOf(row),
      purpose,
      details: { fields: (def.revealOnly ?? []).join(',') },
    });
    return out;
  }

  /**
   * Lists visible records without their encrypted fields; `shape` adds filters, order and limit.
   * Lists show pseudonymous codes only, so a listing is not audited per row; reading one record is.
   */
  async list<T extends CaseTable>(
    def: EntityDef<T>,
    shape: (q: SelectQueryBuilder<DB, T, {}>) => SelectQueryBuilder<DB, T, {}>,
  ): Promise<Visible<T>[]> {
    this.require(def.actions.list, { type: def.auditType });
    if (def.listVisible) await this.teamIds();
    const cols = def.columns
      .filter((c) => !(def.encrypted as readonly string[]).includes(c))
      .map((c) => `${def.table}.${c}`);
    const rows = (await shape(this.select(def, { forList: true }))
      .select(cols as never)
      .execute()) as unknown as Row<T>[];
    return Promise.all(rows.map((r) => this.reveal(def, r)));
  }

  /**
   * Lists visible records whole, encrypted fields decrypted for the roles that may see them. For
   * the few child rows of a record whose read was just audited (a participant's consents, phase
   * history…), not for caseload-sized lists.
   */
  async listFull<T extends CaseTable>(
    def: EntityDef<T>,
    shape: (q: SelectQueryBuilder<DB, T, {}>) => SelectQueryBuilder<DB, T, {}>,
  ): Promise<Visible<T>[]> {
    this.require(def.actions.list, { type: def.auditType });
    const rows = (await shape(this.select(def)).selectAll().execute()) as unknown as Row<T>[];
    return Promise.all(rows.map((r) => this.reveal(def, r)));
  }

  /** Reads one record by id. Out of scope and missing look identical (404); both are audited. */
  async get<T extends CaseTable>(
    def: EntityDef<T>,
    id: string,
    opts: { purpose?: string; forUpdate?: boolean } = {},
  ): Promise<Visible<T>> {
    this.require(def.actions.read, { type: def.auditType, id });
    const row = await this.findRow(def, id, opts.forUpdate ?? false);
    if (!row) {
      this.denials.push({
        action: def.actions.read,
        entityType: def.auditType,
        entityId: id,
        outcome: 'denied',
        details: { reason: 'not_found_or_out_of_scope' },
      });
      throw new AppError('NOT_FOUND', 'not found');
    }
    await this.audit.append({
      action: def.actions.read,
      entityType: def.auditType,
      entityId: id,
      subjectId: def.subjectOf(row),
      purpose: opts.purpose ?? null,
    });
    return this.reveal(def, row);
  }

  protected async findRow<T extends CaseTable>(
    def: EntityDef<T>,
    id: string,
    forUpdate: boolean,
  ): Promise<Row<T> | undefined> {
    if (!isUuid(id)) return undefined;
    let q = this.select(def)
      .where(sql.ref(`${def.table}.id`), '=', id)
      .selectAll();
    if (forUpdate) q = q.forUpdate();
    return (await q.executeTakeFirst()) as Row<T> | undefined;
  }

  /**
   * Cases offered to the principal's teams (as member or supervisor) in a pending handover: the code,
   * program and phase only, which the receiving team may see before it accepts.
   */
  async offeredCases(membership: 'member' | 'supervisor') {
    return this.tx
      .selectFrom('handovers as h')
      .innerJoin('participants as p', 'p.id', 'h.participant_id')
      .select(['h.participant_id', 'p.code', 'p.program_id', 'p.phase_key', 'h.created_at'])
      .where('h.tenant_id', '=', this.principal.tenantId)
      .where('h.status', '=', 'pending')
      .where('h.to_team_id', 'in', (eb) =>
        eb
          .selectFrom('team_members')
          .select('team_id')
          .where('user_id', '=', this.principal.userId)
          .where('tenant_id', '=', this.principal.tenantId)
          .where('membership', '=', membership),
      )
      .execute();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID (so malformed ids look exactly like missing ones). */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}
