/**
 * Side tables of case records (`ChildDef`: session attendance, assessment item ratings, the identity
 * blind index), read and written only through their parent: a row is visible and writable exactly
 * when the parent record it names is visible to the principal.
 */
import {
  sql,
  type DeleteQueryBuilder,
  type DeleteResult,
  type Insertable,
  type OnConflictBuilder,
  type OnConflictDoNothingBuilder,
  type OnConflictUpdateBuilder,
  type SelectQueryBuilder,
  type Updateable,
  type UpdateQueryBuilder,
  type UpdateResult,
} from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { DB } from '../db/schema.ts';
import type { CaseTable, ChildDef, ChildTable } from './entities.ts';
import { ScopeReads } from './scope-reads.ts';

/** The Scope's reads plus the child tables of the records it can see. */
export class ScopeChildren extends ScopeReads {
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
  protected visibleParents<T extends ChildTable, P extends CaseTable>(def: ChildDef<T, P>) {
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
    // The parents are share-locked, so a handover accepted meanwhile cannot slip between check and insert.
    const seen = await this.select(def.parent)
      .select(sql.ref<string>(`${def.parent.table}.id`).as('id'))
      .where(sql.ref(`${def.parent.table}.id`), 'in', parentIds)
      .forShare()
      .execute();
    if (seen.length !== parentIds.length) throw new AppError('NOT_FOUND', 'not found');
    for (const other of def.alsoNames ?? []) {
      const ids = [...new Set(rows.map((r) => String((r as Record<string, unknown>)[other.key])))].filter(
        (id) => !this.createdHere.has(id),
      );
      if (ids.length === 0) continue;
      const visible = await this.select(other.def)
        .select(sql.ref<string>(`${other.def.table}.id`).as('id'))
        .where(sql.ref(`${other.def.table}.id`), 'in', ids)
        .execute();
      if (visible.length !== ids.length) throw new AppError('NOT_FOUND', 'not found');
    }
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
    for (const other of def.alsoNames ?? []) delete clean[other.key];
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
}
