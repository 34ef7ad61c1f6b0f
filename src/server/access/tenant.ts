/**
 * The setting the database's row-level security reads (migration 0007): which tenant a transaction
 * works for. It is transaction-local (`set_config(…, true)`), so a pooled connection never carries it
 * over to the next request. There is no way for the app role to lift the backstop: work on a whole
 * table (backup, restore, migrations) runs as the schema owner, to whom the policies do not apply.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/schema.ts';

/**
 * Every table holding a person's case data. Each has row-level security with the tenant policy (a new
 * one gets it in its own migration; `test/rls.test.ts` checks the database) and only the access layer
 * may query it (`test/chokepoint.test.ts`).
 */
export const CASE_TABLES = [
  'participants',
  'participant_blind_index',
  'consents',
  'goals',
  'goal_notes',
  'plan_versions',
  'sessions',
  'session_attendance',
  'transitions',
  'handovers',
  'assessments',
  'assessment_ratings',
  'agenda_items',
  'agenda_recusals',
  'board_votes',
  'board_decisions',
] as const;

/** Binds a transaction to one tenant: case tables then show and accept only that tenant's rows. */
export async function bindTenant(tx: Tx, tenantId: string): Promise<void> {
  await sql`select set_config('sanad.tenant_id', ${tenantId}, true)`.execute(tx);
}
