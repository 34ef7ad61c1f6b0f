/**
 * Migration 0007: PostgreSQL row-level security as the backstop behind the Scope. Every case table
 * shows and accepts only rows of the tenant named by the transaction-local setting
 * `sanad.tenant_id`, which `Scope.run` sets first thing in its transaction. A query that forgets the
 * Scope (or a bug that drops its tenant predicate) therefore sees 0 rows and cannot write; code that
 * must touch case tables outside a Scope binds its tenant explicitly (`bindTenant`, access/tenant.ts).
 * The schema owner — migrations, backup, restore — is not subject to these policies (no FORCE), and
 * the app role cannot bypass them (NOBYPASSRLS). Need-to-know within a tenant stays the Scope's job.
 */
import { sql, type Kysely } from 'kysely';

/** The case tables as of this migration (frozen: a later case table enables RLS in its own migration). */
const RLS_TABLES = ['participants', 'participant_blind_index', 'consents', 'goals', 'goal_notes', 'plan_versions', 'sessions', 'session_attendance', 'transitions', 'handovers', 'assessments', 'assessment_ratings'] as const;

/** Enables row-level security with one tenant policy per case table. Forward-only. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of RLS_TABLES) {
    await sql`alter table ${sql.table(t)} enable row level security`.execute(db);
    await sql`
      create policy tenant_scope on ${sql.table(t)}
        using (tenant_id = nullif(current_setting('sanad.tenant_id', true), '')::uuid)
        with check (tenant_id = nullif(current_setting('sanad.tenant_id', true), '')::uuid)`.execute(db);
  }
}
