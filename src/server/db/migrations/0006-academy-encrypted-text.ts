/**
 * Migration 0006: free text about a learner is encrypted like case free text (AES-256-GCM, AAD
 * tenant:table:field:row): assignment answers, graders' feedback and certificate revocation reasons.
 *
 * SQL cannot encrypt (the keys live outside the database), so this migration only reshapes the
 * columns: each text column is renamed `<field>_legacy` and a `bytea` column takes its name. From
 * now on the code writes ciphertext only. Rows written before keep their plaintext in `_legacy`
 * until `encryptLegacyAcademyText` (modules/academy/text-crypto.ts) encrypts them, which runs once
 * the keys are loaded at start, and the code reads either form in the meantime. A later migration
 * can drop the `_legacy` columns once every deployment has run the step.
 */
import { sql, type Kysely } from 'kysely';

/** Adds the encrypted columns and keeps existing plaintext aside for the one-time encryption. Forward-only. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table academy_submissions rename column body to body_legacy;
    alter table academy_submissions alter column body_legacy drop not null;
    alter table academy_submissions rename column feedback to feedback_legacy;
    alter table academy_submissions add column body bytea, add column feedback bytea;
    -- Every answer is kept in one form or the other.
    alter table academy_submissions add constraint academy_submissions_body_kept check (body is not null or body_legacy is not null);

    alter table academy_certificates rename column revoked_reason to revoked_reason_legacy;
    alter table academy_certificates add column revoked_reason bytea;

    -- Only Sanad ciphertexts (format byte 1, key version, IV and tag: at least 33 bytes) go into the
    -- encrypted columns: an older node still writing plain text during a rolling upgrade is refused
    -- instead of leaving plaintext bytes that nothing would encrypt later.
    alter table academy_submissions add constraint academy_submissions_body_sealed check (body is null or (octet_length(body) >= 33 and get_byte(body, 0) = 1));
    alter table academy_submissions add constraint academy_submissions_feedback_sealed check (feedback is null or (octet_length(feedback) >= 33 and get_byte(feedback, 0) = 1));
    alter table academy_certificates add constraint academy_certificates_revoked_reason_sealed check (revoked_reason is null or (octet_length(revoked_reason) >= 33 and get_byte(revoked_reason, 0) = 1));
  `.execute(db);
}
