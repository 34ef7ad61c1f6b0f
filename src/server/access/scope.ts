/**
 * The ONLY way to case data. A Scope is built per request from the principal and wraps one
 * transaction: it adds tenant and need-to-know predicates in SQL, re-checks rows before and after
 * writes, encrypts and strips fields, and writes audit events in the same transaction.
 */
import crypto from 'node:crypto';
import {
  sql,
  type Insertable,
  type OnConflictBuilder,
  type OnConflictDoNothingBuilder,
  type OnConflictUpdateBuilder,
  type SelectQueryBuilder,
  type Selectable,
  type Updateable,
  type UpdateQueryBuilder,
  type DeleteQueryBuilder,
  type UpdateResult,
  type DeleteResult,
} from 'kysely';
import { AppError } from '../../core/errors.ts';
import { allows, type Action } from '../../core/roles.ts';
import { AuditLog, auditApart, type AuditContext, type AuditEntry } from '../audit/log.ts';
import type { DB, Tx } from '../db/schema.ts';
import type { Services } from '../services.ts';
import type { Principal } from './principal.ts';
import type { CaseTable, ChildDef, ChildTable, EntityDef, ScopeFacts } from './entities.ts';
import { unscoped } from './unscoped.ts';
import { isRetryable } from '../db/connection.ts';
import { bindTenant } from './tenant.ts';

type Row<T extends CaseTable> = Selectable<DB[T]>;
/**
 * A record as the principal may see it: plain columns as stored; encrypted (bytea) columns decrypted to
 * strings, and absent when the principal's roles may not read them (or they are reveal-only).
 */
export type Visible<T extends CaseTable> = {
  [K in keyof Row<T> as Row<T>[K] extends Buffer | null ? never : K]: Row<T>[K];
} & {
  [K in keyof Row<T> as Row<T>[K] extends Buffer | null ? K : never]?: string | null;
};

/** A request-scoped gateway to case data for one principal, inside one transaction. */
export class Scope {
  readonly audit: AuditLog;
  private teams?: string[];
  /** Denials to record after the transaction rolls back. */
  readonly denials: AuditEntry[] = [];

  private constructor(
    readonly principal: Principal,
    /** The transaction. Private: case tables are reached only through the methods below. */
    private readonly tx: Tx,
    private services: Services,
    readonly ctx: AuditContext,
  ) {
    this.audit = new AuditLog(tx, ctx);
  }

  /** Runs `fn` in a transaction with a scope; commits on success, rolls back and audits denials on error. */
  static async run<R>(
    services: Services,
    principal: Principal,
    requestId: string,
    fn: (scope: Scope) => Promise<R>,
  ): Promise<R> {
    const ctx: AuditContext = { tenantId: principal.tenantId, actorId: principal.userId, requestId };
    let scope: Scope | undefined;
    try {
      // A deadlock or serialization failure rolled the whole transaction back: it is safe to run again.
      for (let attempt = 1; ; attempt++) {
        try {
          return await services.db.transaction().execute(async (tx) => {
            // The database's own backstop (row-level security) sees only this tenant's case rows.
            await bindTenant(tx, principal.tenantId);
            scope = new Scope(principal, tx, services, ctx);
            return fn(scope);
          });
        } catch (e) {
          if (attempt >= 3 || !isRetryable(e)) throw e;
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
        }
      }
    } catch (e) {
      if (scope && scope.denials.length > 0) {
        for (const d of scope.denials) {
          // A failing denial record must not replace the original error.
          await auditApart(services.db, ctx, d).catch(() =>
            auditApart(services.db, ctx, {
              action: d.action,
              outcome: 'denied',
              details: { reason: 'unrecordable_input' },
            }).catch(() => undefined),
          );
        }
      }
      throw e;
    }
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

  private async decryptField<T extends CaseTable>(
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

  /** Encrypts a value of a child row (e.g. an assessment item's evidence); `rowKey` names the row. */
  async encryptChild<T extends ChildTable, P extends CaseTable>(
    def: ChildDef<T, P>,
    field: ChildDef<T, P>['encrypted'][number],
    rowKey: string,
    plaintext: string,
  ): Promise<Buffer> {
    const ctx = { tenantId: this.principal.tenantId, table: def.table, field, rowId: rowKey };
    return this.services.fields.encrypt(ctx, plaintext, this.tx);
  }

  /** Decrypts a value written by `encryptChild`. */
  async decryptChild<T extends ChildTable, P extends CaseTable>(
    def: ChildDef<T, P>,
    field: ChildDef<T, P>['encrypted'][number],
    rowKey: string,
    blob: Buffer,
  ): Promise<string> {
    const ctx = { tenantId: this.principal.tenantId, table: def.table, field, rowId: rowKey };
    return this.services.fields.decrypt(ctx, blob, this.tx);
  }

  /** Ids of the parent records of a child table that the principal may see, as a subquery. */
  private visibleParents<T extends ChildTable, P extends CaseTable>(def: ChildDef<T, P>) {
    return this.select(def.parent).select(sql.ref<string>(`${def.parent.table}.id`).as('id'));
  }

  /**
   * A select over a child table, restricted to the principal's tenant and to rows whose parent record
   * the principal may see. Not audited: read the parent with `get` first when a read must be.
   */
  children<T extends ChildTable, P extends CaseTable>(def: ChildDef<T, P>): SelectQueryBuilder<DB, T, {}> {
    const qb = this.tx.selectFrom(def.table) as unknown as SelectQueryBuilder<DB, T, {}>;
    return qb
      .where(sql.ref(`${def.table}.tenant_id`), '=', this.principal.tenantId)
      .where(sql.ref(`${def.table}.${def.parentKey}`), 'in', this.visibleParents(def));
  }

  /**
   * Inserts child rows in the principal's tenant. Every parent they name must be visible, or nothing
   * is written. `onConflict` may turn the insert into an upsert on the table's unique key.
   */
  async insertChildren<T extends ChildTable, P extends CaseTable>(
    def: ChildDef<T, P>,
    rows: Omit<Insertable<DB[T]>, 'tenant_id'>[],
    onConflict?: (oc: OnConflictBuilder<DB, T>) => OnConflictUpdateBuilder<DB, T> | OnConflictDoNothingBuilder<DB, T>,
  ): Promise<void> {
    if (rows.length === 0) return;
    const parentIds = [...new Set(rows.map((r) => String((r as Record<string, unknown>)[def.parentKey])))];
    const seen = await this.select(def.parent)
      .select(sql.ref<string>(`${def.parent.table}.id`).as('id'))
      .where(sql.ref(`${def.parent.table}.id`), 'in', parentIds)
      .execute();
    if (seen.length !== parentIds.length) throw new AppError('NOT_FOUND', 'not found');
    const values = rows.map((r) => ({ ...r, tenant_id: this.principal.tenantId }));
    // kysely cannot check an object type against a generic table's Insertable; rows are typed by the parameter.
    let q = this.tx.insertInto(def.table).values(values as never);
    if (onConflict) q = q.onConflict(onConflict);
    await q.execute();
  }

  /** Updates child rows whose parent the principal may see; `where` narrows them further. */
  async updateChildren<T extends ChildTable, P extends CaseTable>(
    def: ChildDef<T, P>,
    set: Updateable<DB[T]>,
    where: (q: UpdateQueryBuilder<DB, T, T, UpdateResult>) => UpdateQueryBuilder<DB, T, T, UpdateResult>,
  ): Promise<void> {
    const clean: Record<string, unknown> = { ...(set as Record<string, unknown>) };
    delete clean.tenant_id;
    delete clean[def.parentKey];
    const q = (this.tx.updateTable(def.table) as unknown as UpdateQueryBuilder<DB, T, T, UpdateResult>)
      .set(clean as never)
      .where(sql.ref(`${def.table}.tenant_id`), '=', this.principal.tenantId)
      .where(sql.ref(`${def.table}.${def.parentKey}`), 'in', this.visibleParents(def));
    await where(q).execute();
  }

  /** Deletes child rows whose parent the principal may see; `where` narrows them further. */
  async deleteChildren<T extends ChildTable, P extends CaseTable>(
    def: ChildDef<T, P>,
    where: (q: DeleteQueryBuilder<DB, T, DeleteResult>) => DeleteQueryBuilder<DB, T, DeleteResult>,
  ): Promise<void> {
    const q = (this.tx.deleteFrom(def.table) as unknown as DeleteQueryBuilder<DB, T, DeleteResult>)
      .where(sql.ref(`${def.table}.tenant_id`), '=', this.principal.tenantId)
      .where(sql.ref(`${def.table}.${def.parentKey}`), 'in', this.visibleParents(def));
    await where(q).execute();
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

  private async findRow<T extends CaseTable>(
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

  private async encryptValues<T extends CaseTable>(
    def: EntityDef<T>,
    id: string,
    values: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const out = { ...values };
    for (const field of def.encrypted) {
      const value = out[field];
      if (field in out && value !== null && value !== undefined) {
        // Encrypted columns hold text; anything else is a caller's bug, not something to store as "[object Object]".
        if (typeof value !== 'string') throw new Error(`${def.table}.${field} takes a string to encrypt`);
        out[field] = await this.services.fields.encrypt(
          { tenantId: this.principal.tenantId, table: def.table, field, rowId: id },
          value,
          this.tx,
        );
      }
    }
    return out;
  }

  /** Drops server-owned columns and refuses fields the principal may not see (and so may not write). */
  private stripServerOwned<T extends CaseTable>(
    def: EntityDef<T>,
    values: Record<string, unknown>,
  ): Record<string, unknown> {
    const out = { ...values };
    for (const k of def.serverOwned) delete out[k];
    delete out.tenant_id;
    for (const [field, roles] of Object.entries(def.fieldRoles) as [string, readonly string[]][]) {
      if (field in out && out[field] !== undefined && !this.principal.roles.some((r) => roles.includes(r))) {
        this.denials.push({
          action: def.actions.update,
          entityType: def.auditType,
          outcome: 'denied',
          details: { reason: 'field_write', field },
        });
        throw new AppError('FORBIDDEN', 'your role may not change this field', {
          details: [{ path: camel(field), code: 'field_forbidden' }],
        });
      }
    }
    return out;
  }

  /**
   * Creates a record in the principal's tenant. Tenant, id, creator and version are set here whatever
   * the caller passed; the new row must be visible to the principal afterwards or nothing is written.
   */
  async create<T extends CaseTable>(
    def: EntityDef<T>,
    values: Record<string, unknown>,
    audit: Omit<AuditEntry, 'action' | 'entityType' | 'entityId'> = {},
    opts: { beforeCheck?: (id: string) => Promise<void> } = {},
  ): Promise<Visible<T>> {
    this.require(def.actions.create, { type: def.auditType });
    const id = crypto.randomUUID();
    const clean = await this.encryptValues(def, id, this.stripServerOwned(def, values));
    // Widened to the union: kysely cannot type a query over a generic table.
    const table: CaseTable = def.table;
    await this.tx
      .insertInto(table)
      .values({ ...clean, id, tenant_id: this.principal.tenantId, created_by: this.principal.userId })
      .execute();
    // Rows whose visibility depends on child rows (a session's attendees) add them before the re-check.
    if (opts.beforeCheck) await opts.beforeCheck(id);
    const after = await this.findRow(def, id, false);
    if (!after) throw new AppError('FORBIDDEN', 'the record would be outside your scope');
    await this.audit.append({
      ...audit,
      action: def.actions.create,
      entityType: def.auditType,
      entityId: id,
      subjectId: def.subjectOf(after),
    });
    return this.reveal(def, after);
  }

  /**
   * Sets server-owned columns (phase, plan status, last session…) of a record the principal can see,
   * as part of an operation the service has already authorised and audits. Nothing else may be set.
   */
  async setOwned<T extends CaseTable>(
    def: EntityDef<T>,
    id: string,
    fields: Record<string, unknown>,
    opts: { bumpVersion?: boolean } = {},
  ): Promise<void> {
    const bad = Object.keys(fields).filter(
      (k) =>
        !(def.serverOwned as readonly string[]).includes(k) ||
        ['id', 'tenant_id', 'created_by', 'created_at', 'version'].includes(k),
    );
    if (bad.length > 0) throw new Error(`setOwned may not set ${bad.join(', ')}`);
    if (!(await this.findRow(def, id, true))) throw new AppError('NOT_FOUND', 'not found');
    const set: Record<string, unknown> = { ...fields };
    if (opts.bumpVersion) set.version = sql`version + 1`;
    if ((def.columns as readonly string[]).includes('updated_at')) set.updated_at = new Date();
    // Widened to the union: kysely cannot type a query over a generic table.
    const table: CaseTable = def.table;
    await this.tx
      .updateTable(table)
      .set(set as never)
      .where('id', '=', id)
      .where('tenant_id', '=', this.principal.tenantId)
      .execute();
  }

  /**
   * Accepts a pending handover offered to one of the principal's teams: the only way a case moves to a
   * team that cannot see it yet. The offer and the case are locked; the case must still be with the
   * offering team. Audited in this transaction.
   */
  async acceptHandover(handoverId: string, expectedVersion: number): Promise<void> {
    this.require('handover.decide', { type: 'handover', id: handoverId });
    if (!isUuid(handoverId)) throw new AppError('NOT_FOUND', 'not found');
    const teams = await this.teamIds();
    const h = await this.tx
      .selectFrom('handovers')
      .selectAll()
      .where('id', '=', handoverId)
      .where('tenant_id', '=', this.principal.tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!h || !teams.includes(h.to_team_id)) {
      if (!h || !teams.includes(h.from_team_id)) {
        this.denials.push({
          action: 'handover.decide',
          entityType: 'handover',
          entityId: handoverId,
          outcome: 'denied',
          details: { reason: 'not_found_or_out_of_scope' },
        });
        throw new AppError('NOT_FOUND', 'not found');
      }
      throw new AppError('FORBIDDEN', 'only the receiving team can accept', {
        details: [{ path: 'decision', code: 'wrong_team' }],
      });
    }
    if (h.status !== 'pending')
      throw new AppError('VALIDATION_FAILED', 'this handover was already decided', {
        details: [{ path: 'status', code: h.status }],
      });
    if (h.version !== expectedVersion)
      throw new AppError('VERSION_CONFLICT', 'this record changed since you opened it', {
        details: [{ path: 'version', code: `current:${h.version}` }],
      });
    const p = await this.tx
      .selectFrom('participants')
      .select(['id', 'team_id'])
      .where('id', '=', h.participant_id)
      .where('tenant_id', '=', this.principal.tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!p || p.team_id !== h.from_team_id)
      throw new AppError('VALIDATION_FAILED', 'the case is no longer with the offering team', {
        details: [{ path: 'status', code: 'stale_offer' }],
      });
    await this.tx
      .updateTable('participants')
      .set({ team_id: h.to_team_id, version: sql`version + 1`, updated_at: new Date() })
      .where('id', '=', p.id)
      .execute();
    await this.tx
      .updateTable('handovers')
      .set({
        status: 'accepted',
        decided_by: this.principal.userId,
        decided_at: new Date(),
        version: h.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', h.id)
      .execute();
    await this.audit.append({
      action: 'handover.accept',
      entityType: 'handover',
      entityId: h.id,
      subjectId: p.id,
      details: { from: h.from_team_id, to: h.to_team_id },
    });
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
          .where('membership', '=', membership),
      )
      .execute();
  }

  /**
   * Updates a record the principal can see, if its version still matches (409 otherwise). The row is
   * locked and re-checked before the write and must still be visible after it.
   */
  async update<T extends CaseTable>(
    def: EntityDef<T>,
    id: string,
    expectedVersion: number,
    patch: Record<string, unknown>,
    audit: Omit<AuditEntry, 'action' | 'entityType' | 'entityId'> = {},
  ): Promise<Visible<T>> {
    this.require(def.actions.update, { type: def.auditType, id });
    const before = await this.findRow(def, id, true);
    if (!before) {
      this.denials.push({
        action: def.actions.update,
        entityType: def.auditType,
        entityId: id,
        outcome: 'denied',
        details: { reason: 'not_found_or_out_of_scope' },
      });
      throw new AppError('NOT_FOUND', 'not found');
    }
    const current = (before as { version: number }).version;
    if (current !== expectedVersion) {
      throw new AppError('VERSION_CONFLICT', 'this record changed since you opened it', {
        details: [{ path: 'version', code: `current:${current}` }],
      });
    }
    const clean = await this.encryptValues(def, id, this.stripServerOwned(def, patch));
    // Widened to the union: kysely cannot type a query over a generic table.
    const table: CaseTable = def.table;
    await this.tx
      .updateTable(table)
      .set({ ...clean, version: current + 1, updated_at: new Date() } as never)
      .where('id', '=', id)
      .where('tenant_id', '=', this.principal.tenantId)
      .execute();
    const after = await this.findRow(def, id, false);
    if (!after) throw new AppError('FORBIDDEN', 'the change would move the record outside your scope');
    await this.audit.append({
      ...audit,
      action: def.actions.update,
      entityType: def.auditType,
      entityId: id,
      subjectId: def.subjectOf(after),
      details: { ...(audit.details ?? {}), fields: Object.keys(clean).sort().join(',') },
    });
    return this.reveal(def, after);
  }
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID (so malformed ids look exactly like missing ones). */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}
