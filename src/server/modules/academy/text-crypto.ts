/**
 * Free text about a learner, encrypted at rest like case free text: assignment answers, graders'
 * feedback and certificate revocation reasons (AES-256-GCM under the tenant's data key, AAD
 * tenant:table:field:row, via FieldCrypto). Rows from before migration 0006 hold plaintext in
 * `<field>_legacy` until `encryptLegacyAcademyText` encrypts them; reads accept either form.
 */
import type { FieldCrypto } from '../../crypto/envelope.ts';
import type { Db, DbOrTx } from '../../db/schema.ts';

/** The encrypted academy fields: table → fields. */
export const ACADEMY_ENCRYPTED = {
  academy_submissions: ['body', 'feedback'],
  academy_certificates: ['revoked_reason'],
} as const;

type Table = keyof typeof ACADEMY_ENCRYPTED;
type Field<T extends Table> = (typeof ACADEMY_ENCRYPTED)[T][number];

/** Where one academy ciphertext belongs. */
export interface AcademyRef<T extends Table = Table> {
  tenantId: string;
  table: T;
  field: Field<T>;
  rowId: string;
}

/** Encrypts one academy field of one row; pass the open transaction as `via`. */
export function sealAcademyText(fields: FieldCrypto, ref: AcademyRef, text: string, via: DbOrTx): Promise<Buffer> {
  return fields.encrypt(ref, text, via);
}

/** The plaintext of one academy field: the ciphertext decrypted, else the not-yet-encrypted legacy text, else null. */
export async function openAcademyText(
  fields: FieldCrypto,
  ref: AcademyRef,
  sealed: Buffer | null,
  legacy: string | null,
  via: DbOrTx,
): Promise<string | null> {
  if (sealed) return fields.decrypt(ref, sealed, via);
  return legacy;
}

/** Rows per transaction in the one-time encryption. */
const BATCH = 100;

/**
 * One-time step after migration 0006: encrypts the plaintext that rows written before it still hold
 * in `_legacy` columns, and empties those columns. Needs the keys, so it runs after FieldCrypto is
 * ready (at start), not inside the migration. Idempotent and safe on several nodes at once (rows are
 * claimed with FOR UPDATE SKIP LOCKED, batch by batch). Returns the number of rows encrypted.
 */
export async function encryptLegacyAcademyText(db: Db, fields: FieldCrypto): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (tx) => {
      const subs = await tx
        .selectFrom('academy_submissions')
        .select(['id', 'tenant_id', 'body_legacy', 'feedback_legacy'])
        .where((eb) => eb.or([eb('body_legacy', 'is not', null), eb('feedback_legacy', 'is not', null)]))
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const r of subs) {
        const ref = (field: 'body' | 'feedback'): AcademyRef => ({
          tenantId: r.tenant_id,
          table: 'academy_submissions',
          field,
          rowId: r.id,
        });
        await tx
          .updateTable('academy_submissions')
          .set({
            ...(r.body_legacy !== null
              ? { body: await sealAcademyText(fields, ref('body'), r.body_legacy, tx), body_legacy: null }
              : {}),
            ...(r.feedback_legacy !== null
              ? {
                  feedback: await sealAcademyText(fields, ref('feedback'), r.feedback_legacy, tx),
                  feedback_legacy: null,
                }
              : {}),
          })
          .where('id', '=', r.id)
          .execute();
      }
      const certs = await tx
        .selectFrom('academy_certificates')
        .select(['id', 'tenant_id', 'revoked_reason_legacy'])
        .where('revoked_reason_legacy', 'is not', null)
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const r of certs) {
        const sealed = await sealAcademyText(
          fields,
          { tenantId: r.tenant_id, table: 'academy_certificates', field: 'revoked_reason', rowId: r.id },
          r.revoked_reason_legacy!,
          tx,
        );
        await tx
          .updateTable('academy_certificates')
          .set({ revoked_reason: sealed, revoked_reason_legacy: null })
          .where('id', '=', r.id)
          .execute();
      }
      return subs.length + certs.length;
    });
    total += n;
    if (n === 0) return total;
  }
}
