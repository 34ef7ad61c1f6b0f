/**
 * The ONLY way to case data. A Scope is built per request from the principal and wraps one
 * transaction: it adds tenant and need-to-know predicates in SQL, re-checks rows before and after
 * writes, encrypts and strips fields, and writes audit events in the same transaction.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../core/errors.ts';
import { auditApart, type AuditContext, type AuditEntry } from '../audit/log.ts';
import type { Tx } from '../db/schema.ts';
import type { Services } from '../services.ts';
import type { Principal } from './principal.ts';
import type { CaseTable, EntityDef } from './entities.ts';
import { isRetryable } from '../db/connection.ts';
import { bindTenant } from './tenant.ts';
import { ScopeChildren } from './scope-children.ts';
import { isUuid, type Visible } from './scope-reads.ts';

export { isUuid, type Visible } from './scope-reads.ts';

/**
 * A request-scoped gateway to case data for one principal, inside one transaction: the reads of
 * `scope-reads.ts`, the child tables of `scope-children.ts`, and here the writes and the transaction.
 */
export class Scope extends ScopeChildren {
  private constructor(principal: Principal, tx: Tx, services: Services, ctx: AuditContext) {
    super(principal, tx, services, ctx);
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
    this.createdHere.add(id);
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
    const changed = (def.immutable ?? []).find((k) => k in patch && patch[k] !== undefined);
    if (changed) {
      this.denials.push({
        action: def.actions.update,
        entityType: def.auditType,
        entityId: id,
        outcome: 'denied',
        details: { reason: 'immutable_field', field: changed },
      });
      throw new AppError('FORBIDDEN', 'this field cannot be changed', {
        details: [{ path: camel(changed), code: 'field_forbidden' }],
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
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
