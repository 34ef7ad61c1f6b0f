/**
 * The ONLY way to case data. A Scope is built per request from the principal and wraps one
 * transaction: it adds tenant and need-to-know predicates in SQL, re-checks rows before and after
 * writes, encrypts and strips fields, and writes audit events in the same transaction.
 */
import crypto from 'node:crypto';
import { sql, type SelectQueryBuilder, type Selectable } from 'kysely';
import { AppError } from '../../core/errors.ts';
import { allows, type Action } from '../../core/roles.ts';
import { AuditLog, auditApart, type AuditContext, type AuditEntry } from '../audit/log.ts';
import type { DB, Tx } from '../db/schema.ts';
import type { Services } from '../services.ts';
import type { Principal } from './principal.ts';
import type { CaseTable, EntityDef, ScopeFacts } from './entities.ts';
import { isRetryable } from '../db/connection.ts';
import { bindTenant } from './tenant.ts';

type Row<T extends CaseTable> = Selectable<DB[T]>;
/** A record as the principal may see it: encrypted (bytea) columns decrypted to strings or removed. */
export type Visible<T extends CaseTable> = {
  [K in keyof Row<T>]: Row<T>[K] extends Buffer | null ? string | null : Row<T>[K];
} & Record<string, unknown>;

/** A request-scoped gateway to case data for one principal, inside one transaction. */
export class Scope {
  readonly audit: AuditLog;
  private teams?: string[];
  /** Denials to record after the transaction rolls back. */
  readonly denials: AuditEntry[] = [];

  private constructor(
    readonly principal: Principal,
    readonly tx: Tx,
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

  /** Facts the need-to-know predicates are built from. */
  scopeFacts(): ScopeFacts {
    return { tenantId: this.principal.tenantId, userId: this.principal.userId, roles: this.principal.roles };
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
    const qb = this.tx.selectFrom(def.table as CaseTable) as unknown as SelectQueryBuilder<DB, T, {}>;
    const predicate = opts.forList && def.listVisible ? def.listVisible : def.visible;
    return qb.where(sql.ref(`${def.table}.tenant_id`), '=', f.tenantId).where((eb) => predicate(eb as never, f));
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

  /** Encrypts a value of a side table owned by a scoped record (e.g. an assessment item's evidence). */
  async encryptOwned(table: string, field: string, rowId: string, plaintext: string): Promise<Buffer> {
    return this.services.fields.encrypt({ tenantId: this.principal.tenantId, table, field, rowId }, plaintext, this.tx);
  }

  /** Decrypts a value written by `encryptOwned`. */
  async decryptOwned(table: string, field: string, rowId: string, blob: Buffer): Promise<string> {
    return this.services.fields.decrypt({ tenantId: this.principal.tenantId, table, field, rowId }, blob, this.tx);
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
      subjectId: def.subjectOf(row as Record<string, unknown>),
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
      subjectId: def.subjectOf(row as Record<string, unknown>),
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
      if (field in out && out[field] !== null && out[field] !== undefined) {
        out[field] = await this.services.fields.encrypt(
          { tenantId: this.principal.tenantId, table: def.table, field, rowId: id },
          String(out[field]),
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
    await this.tx
      .insertInto(def.table as CaseTable)
      .values({ ...clean, id, tenant_id: this.principal.tenantId, created_by: this.principal.userId } as never)
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
      subjectId: def.subjectOf(after as Record<string, unknown>),
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
    await this.tx
      .updateTable(def.table as CaseTable)
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
    await this.tx
      .updateTable(def.table as CaseTable)
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
      subjectId: def.subjectOf(after as Record<string, unknown>),
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
