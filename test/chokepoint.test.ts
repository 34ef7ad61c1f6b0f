/**
 * Structural guard for the chokepoint: outside the access layer, only an explicit short list of files
 * (seeding, backup/restore) may touch case-data tables directly. A new module that queries them
 * without the Scope fails this test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CASE_TABLES as ALL_CASE_TABLES } from '../src/server/access/tenant.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
/** The case tables: the same list row-level security covers (one list for both guards). */
const CASE_TABLES: readonly string[] = ALL_CASE_TABLES;
/** Files allowed to bypass the Scope, each for a reason. */
const ALLOWED = new Set([
  'src/server/access/scope.ts', // the chokepoint itself
  'src/server/access/entities.ts', // entity definitions
  'src/server/db/schema.ts', // table types
  'src/server/modules/programs/routes.ts', // which phase keys are in use (no case data leaves)
  'src/server/modules/participants/service.ts', // alert flags computed inside the scoped participant query; blind-index side table
]);
/** Files allowed to touch one side table that has no entity of its own, after the Scope checked the parent. */
const SIDE_TABLES: Record<string, string[]> = {
  'src/server/modules/casework/sessions.ts': ['session_attendance', 'goals'], // attendance rows of a scoped session; goal ownership check
  'src/server/modules/assessments/routes.ts': ['assessment_ratings'], // item ratings of an assessment the Scope returned
  'src/server/modules/assessments/pdf.ts': ['assessment_ratings'], // item ratings of an assessment the Scope returned
  'src/server/modules/casework/summary.ts': ['sessions', 'session_attendance'], // sessions of a participant the Scope just read
  'src/server/modules/casework/work.ts': ['handovers', 'participants'], // codes of cases offered to my teams (visible to them by the pending-handover rule)
  'src/server/modules/casework/timeline.ts': [
    'participants',
    'transitions',
    'consents',
    'sessions',
    'session_attendance',
    'goals',
    'plan_versions',
    'handovers',
  ], // child rows of a participant the Scope just read
};

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Finds direct query-builder or SQL access to a case table in a source text. */
export function directAccess(src: string, table: string): boolean {
  const builder = new RegExp(`(selectFrom|insertInto|updateTable|deleteFrom)\\(\\s*['"\`]${table}['"\`]`);
  const rawSql = new RegExp(`\\b(from|into|update|join)\\s+${table}\\b`, 'i');
  return builder.test(src) || rawSql.test(src);
}

test('only the access layer and the listed files query case-data tables', () => {
  const offenders: string[] = [];
  for (const f of files(path.join(ROOT, 'src/server'))) {
    const rel = path.relative(ROOT, f);
    // Migrations, backup/restore and the synthetic demo seed work on whole tables as the operator.
    if (
      ALLOWED.has(rel) ||
      rel.startsWith('src/server/db/migrations/') ||
      rel.startsWith('src/server/ops/') ||
      rel.startsWith('src/server/demo/')
    )
      continue;
    const src = fs.readFileSync(f, 'utf8');
    for (const t of CASE_TABLES)
      if (directAccess(src, t) && !(SIDE_TABLES[rel] ?? []).includes(t)) offenders.push(`${rel} → ${t}`);
  }
  assert.deepEqual(offenders, []);
});

test('the guard recognises direct access', () => {
  assert.equal(directAccess("db.selectFrom('participants').selectAll()", 'participants'), true);
  assert.equal(directAccess('sql`update participants set notes = null`', 'participants'), true);
  assert.equal(directAccess('scope.get(participants, id)', 'participants'), false);
});
