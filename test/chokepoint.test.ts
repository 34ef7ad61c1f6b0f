/**
 * Structural guard for the chokepoint (TypeScript AST, not text matching): outside the access layer
 * (`src/server/access/`) and the migrations that define the tables, no code may name a case table —
 * in a query builder call, in a join, in SQL text, or through a table name only known at run time —
 * unless it sits inside a named `unscoped('reason', …)` call. Every such call is listed below with
 * its reason, so adding one is a reviewed change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { CASE_TABLES } from '../src/server/access/tenant.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Query-builder methods whose first argument names a table. */
const TABLE_METHODS = new Set([
  'selectFrom',
  'insertInto',
  'replaceInto',
  'updateTable',
  'deleteFrom',
  'mergeInto',
  'using',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'innerJoinLateral',
  'leftJoinLateral',
  'crossJoin',
  'table',
]);
/** Of those, the ones where a table name known only at run time is refused too. */
const DYNAMIC_REFUSED = new Set(['selectFrom', 'insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto']);
/** Calls whose string argument is SQL text. */
const SQL_TEXT_CALLS = new Set(['raw', 'query']);

const TABLES = new Set<string>(CASE_TABLES);
const SQL_NAMES = new RegExp(
  `\\b(from|join|into|update|table|truncate)\\s+(only\\s+)?("?public"?\\.)?"?(${CASE_TABLES.join('|')})"?(?![\\w.])`,
  'i',
);

export interface Finding {
  file: string;
  line: number;
  what: string;
}
export interface UnscopedUse {
  file: string;
  reason: string;
}

/** The table a builder argument names: `'participants as p'` → `participants`. */
function tableOf(text: string): string {
  return text
    .trim()
    .split(/\s+as\s+/i)[0]!
    .replace(/^public\./, '')
    .trim();
}

function calleeName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** Checks one source text; returns what names a case table outside `unscoped`, and the unscoped uses. */
export function inspect(file: string, source: string): { findings: Finding[]; unscoped: UnscopedUse[] } {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const uses: UnscopedUse[] = [];
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const textOf = (n: ts.Node): string | undefined =>
    ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : undefined;
  const sqlText = (n: ts.TemplateLiteral): string =>
    ts.isNoSubstitutionTemplateLiteral(n)
      ? n.text
      : [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ? ');

  const visit = (node: ts.Node, inUnscoped: boolean): void => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name === 'unscoped') {
        const reason = node.arguments[0] && textOf(node.arguments[0]);
        if (!reason) findings.push({ file, line: at(node), what: 'unscoped() needs its reason as a string literal' });
        else uses.push({ file, reason });
        node.arguments.forEach((a) => visit(a, true));
        visit(node.expression, inUnscoped);
        return;
      }
      if (!inUnscoped && name && TABLE_METHODS.has(name) && node.arguments[0]) {
        const arg = node.arguments[0];
        const literal = textOf(arg);
        if (literal !== undefined) {
          if (TABLES.has(tableOf(literal))) findings.push({ file, line: at(node), what: `${name}('${literal}')` });
        } else if (
          DYNAMIC_REFUSED.has(name) &&
          !ts.isArrowFunction(arg) &&
          !ts.isFunctionExpression(arg) &&
          !ts.isCallExpression(arg)
        ) {
          findings.push({ file, line: at(node), what: `${name}(<table named at run time>)` });
        }
      }
      if (!inUnscoped && name && SQL_TEXT_CALLS.has(name) && node.arguments[0]) {
        const arg = node.arguments[0];
        const text = textOf(arg) ?? (ts.isTemplateExpression(arg) ? sqlText(arg) : undefined);
        if (text && SQL_NAMES.test(text))
          findings.push({ file, line: at(node), what: `${name}(SQL naming a case table)` });
      }
    }
    // The transaction is protected in the Scope's classes: a subclass elsewhere would reach it.
    if (ts.isHeritageClause(node) && node.types.some((t) => /^Scope(Reads|Children)?$/.test(t.expression.getText(sf))))
      findings.push({ file, line: at(node), what: 'extends the Scope' });
    if (!inUnscoped && ts.isTaggedTemplateExpression(node) && SQL_NAMES.test(sqlText(node.template))) {
      findings.push({ file, line: at(node), what: 'SQL text naming a case table' });
    }
    ts.forEachChild(node, (c) => visit(c, inUnscoped));
  };
  visit(sf, false);
  return { findings, unscoped: uses };
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.tsx?$/.test(p) && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Where case tables may be named freely: the access layer, and the migrations that create them. */
function exempt(rel: string): boolean {
  return (
    rel.startsWith('src/server/access/') ||
    rel.startsWith('src/server/db/migrations/') ||
    /^src\/server\/db\/(schema|generated|columns\.generated)\.ts$/.test(rel)
  );
}

function scan() {
  const findings: Finding[] = [];
  const unscoped: UnscopedUse[] = [];
  for (const dir of ['src/server', 'src/cli', 'src/core']) {
    for (const f of files(path.join(ROOT, dir))) {
      const rel = path.relative(ROOT, f).split(path.sep).join('/');
      if (exempt(rel)) continue;
      const r = inspect(rel, fs.readFileSync(f, 'utf8'));
      findings.push(...r.findings);
      unscoped.push(...r.unscoped);
    }
  }
  return { findings, unscoped };
}

test('no code outside the access layer names a case table, except inside unscoped()', () => {
  const { findings } = scan();
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line} ${f.what}`),
    [],
    'read and write case data through the Scope (scope.get/list/select/children…); see docs/ARCHITECTURE.md',
  );
});

test('every unscoped() use is listed here with its reason (a new one is a reviewed change)', () => {
  const { unscoped } = scan();
  assert.deepEqual(
    unscoped.map((u) => `${u.file}: ${u.reason}`).sort(),
    [
      'src/server/demo/casework.ts: resetting the demo tenant deletes its whole synthetic case files',
      'src/server/demo/casework.ts: the synthetic demo seed writes whole demo case files',
      'src/server/demo/boards.ts: resetting the demo tenant deletes its synthetic review boards',
      'src/server/demo/boards.ts: the synthetic demo seed writes review boards with their agendas, votes and decisions',
      'src/server/modules/boards/pack.ts: the evidence pack of a case on an agenda, for its case team or a member of the open meeting',
      'src/server/modules/casework/timeline/service.ts: the case history lists every handover of a case the caller may read',
      'src/server/modules/participants/service.ts: a new code must be unused in the whole tenant, not only in my teams',
      'src/server/modules/programs/service.ts: which phases of a program hold participants (keys only, no case data leaves)',
    ].sort(),
  );
});

test('the guard sees builder calls, joins with aliases, SQL text and run-time table names', () => {
  const bad = [
    "db.selectFrom('participants').selectAll()",
    "q.innerJoin('participants as p', 'p.id', 'x.participant_id')",
    "tx.leftJoin('session_attendance as a', 'a.session_id', 's.id')",
    'sql`update participants set notes = null`.execute(tx)',
    'sql`select 1 from public.consents c where c.id = ${id}`',
    "client.query('DELETE FROM goals')",
    'for (const t of names) await tx.deleteFrom(t).execute()',
    "sql.raw('select * from assessment_ratings')",
    'class Sneaky extends ScopeReads { peek() { return this.tx; } }',
  ];
  for (const src of bad) assert.notEqual(inspect('x.ts', src).findings.length, 0, src);
  const good = [
    'scope.get(participants, id)',
    "scope.select(goals).where('goals.participant_id', '=', id)",
    "tx.selectFrom('programs').selectAll()",
    "tx.selectFrom('participants_archive_notes')",
    'sql`select * from user_sessions`',
    "const tags = ['participants', 'sessions']",
    "unscoped('the demo seed writes its synthetic files', () => tx.deleteFrom('participants').execute())",
    "scope.unscoped('a tenant-wide uniqueness check on codes', (tx) => tx.selectFrom('participants'))",
  ];
  for (const src of good) assert.deepEqual(inspect('x.ts', src).findings, [], src);
  assert.equal(inspect('x.ts', "unscoped(why, () => tx.selectFrom('participants'))").findings.length, 1);
});
