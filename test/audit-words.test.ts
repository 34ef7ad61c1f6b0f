/**
 * The audit trail, the access log and the case timeline speak words, not codes: every action code the
 * server (and the CLI) can write, every purpose code and every timeline kind has words in every web
 * catalogue; and a structural check (TypeScript AST) finds every action the source writes, so a new
 * one cannot be added without being listed in src/core/audit-actions.ts (and so without words).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  isAuditEntityType,
  AUDIT_PURPOSES,
  auditActionKey,
  auditPurposeKey,
  isAuditAction,
  knownPurpose,
  TIMELINE_KINDS,
} from '../src/core/audit-actions.ts';
import { ACTIONS } from '../src/core/roles.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const LOCALES = ['en', 'ar', 'ur', 'fr'] as const;
type Catalogues = Record<string, Record<string, string>>;

const catalogues: Catalogues = Object.fromEntries(
  LOCALES.map((l) => [l, JSON.parse(fs.readFileSync(path.join(ROOT, 'src/web/i18n', `${l}.json`), 'utf8'))]),
);

/** `<locale>.json lacks "<key>"` for every key without words (missing or blank) in a catalogue. */
export function keysWithoutWords(keys: readonly string[], cats: Catalogues): string[] {
  const out: string[] = [];
  for (const [l, cat] of Object.entries(cats))
    for (const k of keys) if (!cat[k]?.trim()) out.push(`${l}.json lacks "${k}"`);
  return out;
}

test('every audit action code has words in every catalogue', () => {
  assert.ok(AUDIT_ACTIONS.length > 60, 'the list holds the policy actions and the written ones');
  assert.deepEqual(keysWithoutWords(AUDIT_ACTIONS.map(auditActionKey), catalogues), []);
  assert.deepEqual(keysWithoutWords(['audit.action.unknown'], catalogues), []);
});

test('every access-log purpose code has words in every catalogue', () => {
  assert.deepEqual(keysWithoutWords(AUDIT_PURPOSES.map(auditPurposeKey), catalogues), []);
});

test('every record kind an audit event names has words in every catalogue', () => {
  assert.deepEqual(
    keysWithoutWords([...AUDIT_ENTITY_TYPES.map((e) => `audit.entity.${e}`), 'audit.entity.unknown'], catalogues),
    [],
  );
});

/** Record kinds written in source text: `entityType: 'x'`, `auditType: 'x'`, `require(…, { type: 'x' })`, `authorize(…, 'x')`, `ofParticipant('t', 'x'`. */
export function writtenEntityTypes(files: readonly { file: string; text: string }[]): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /\b(?:entityType|auditType): (?:[\w.]+ \? )?'([a-z_]+)'/g,
    /\.require\([^;]*?\{ type: '([a-z_]+)'/g,
    /\bauthorize\([^;]*?, '([a-z_]+)'\)/g,
    /\bofParticipant\(\s*'[a-z_]+',\s*'([a-z_]+)'/g,
  ];
  for (const { file, text } of files)
    for (const re of patterns) for (const m of text.matchAll(re)) found.set(m[1]!, file);
  return found;
}

test('every record kind the server and the CLI write is in the core list', () => {
  const found = writtenEntityTypes([...sourceFiles('src/server'), ...sourceFiles('src/cli')]);
  assert.ok(found.size >= 15, `the scan found the record kinds (${found.size})`);
  const missing = [...found].filter(([e]) => !isAuditEntityType(e)).map(([e, f]) => `${e} (${f})`);
  assert.deepEqual(missing, [], 'add these to AUDIT_ENTITY_TYPES in src/core/audit-actions.ts, with words');
  const probe = writtenEntityTypes([
    { file: 'x.ts', text: "audit.append({ action: 'a.b', entityType: user ? 'brand_new' : undefined });" },
  ]);
  assert.deepEqual([...probe.keys()], ['brand_new']);
});

test('every timeline kind has words in every catalogue', () => {
  assert.deepEqual(
    keysWithoutWords(
      TIMELINE_KINDS.map((k) => `timeline.${k}`),
      catalogues,
    ),
    [],
  );
});

test('words are not the code itself, and Arabic, Urdu and French are not English copies', () => {
  const problems: string[] = [];
  for (const code of AUDIT_ACTIONS) {
    const key = auditActionKey(code);
    for (const l of LOCALES) if (catalogues[l]![key]?.includes(code)) problems.push(`${l}: ${key} shows the code`);
    for (const l of ['ar', 'ur', 'fr'])
      if (catalogues[l]![key] === catalogues.en![key]) problems.push(`${l}: ${key} is English`);
  }
  assert.deepEqual(problems, []);
});

test('the checker itself catches an action without words in one language', () => {
  const cats = { en: { 'audit.action.a.b': 'A', 'audit.action.c.d': 'C' }, ar: { 'audit.action.a.b': 'أ' } };
  assert.deepEqual(keysWithoutWords(['audit.action.a.b', 'audit.action.c.d'], cats), [
    'ar.json lacks "audit.action.c.d"',
  ]);
  assert.deepEqual(keysWithoutWords(['audit.action.a.b'], { fr: { 'audit.action.a.b': '  ' } }), [
    'fr.json lacks "audit.action.a.b"',
  ]);
});

test('the list has every policy action (denials write them) and no code twice', () => {
  for (const a of ACTIONS) assert.ok(isAuditAction(a), a);
  assert.equal(new Set(AUDIT_ACTIONS).size, AUDIT_ACTIONS.length);
  assert.equal(isAuditAction('participant.reveal'), false);
  assert.equal(knownPurpose('safeguarding: called by the court'), 'safeguarding');
  assert.equal(knownPurpose('made_up: x'), null);
  assert.equal(knownPurpose(null), null);
});

/**
 * Places where the action of an audit entry is not a literal but a value typed `Action` (a policy
 * action, all of which are listed) or an entry passed through (readers and the writer itself).
 * A new one is a reviewed change.
 */
const PASS_THROUGH = new Map<string, readonly string[]>([
  ['src/server/access/policy.ts', ['action']],
  ['src/server/access/scope-reads.ts', ['action', 'def.actions.read']],
  ['src/server/access/scope.ts', ['d.action', 'def.actions.create', 'def.actions.update']],
  ['src/server/audit/chain.ts', ['r.action']],
  ['src/server/audit/log.ts', ['e.action']],
  ['src/server/modules/audit/service.ts', ['what', 'r.action']],
  ['src/server/modules/casework/timeline/service.ts', ['r.action']],
]);

/** The strings a literal, a choice of literals or a template of such choices can be; null when any part is not. */
function choices(e: ts.Expression): string[] | null {
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))
    return choices(e.expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isConditionalExpression(e)) {
    const a = choices(e.whenTrue);
    const b = choices(e.whenFalse);
    return a && b ? [...a, ...b] : null;
  }
  if (ts.isTemplateExpression(e)) return expand(e);
  return null;
}

function expand(e: ts.TemplateExpression): string[] | null {
  let out = [e.head.text];
  for (const span of e.templateSpans) {
    const c = choices(span.expression);
    if (!c) return null;
    out = out.flatMap((prefix) => c.map((x) => prefix + x + span.literal.text));
  }
  return out;
}

export interface Written {
  literals: Map<string, string>;
  problems: string[];
}

/** Action codes written in source text: `{ action: 'x.y' }`, `{ action: c ? 'a.b' : 'c.d' }`; anything else is a problem unless listed. */
export function writtenActions(files: readonly { file: string; text: string }[]): Written {
  const literals = new Map<string, string>();
  const problems: string[] = [];
  for (const { file, text } of files) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const allowed = PASS_THROUGH.get(file) ?? [];
    const where = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
    const take = (e: ts.Expression): void => {
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))
        return take(e.expression);
      if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
        literals.set(e.text, where(e));
        return;
      }
      if (ts.isConditionalExpression(e)) {
        take(e.whenTrue);
        take(e.whenFalse);
        return;
      }
      // A template whose every substitution is a literal choice: each code it can make.
      if (ts.isTemplateExpression(e)) {
        const made = expand(e);
        if (made) for (const code of made) literals.set(code, where(e));
        else problems.push(`${where(e)}: action is \`${e.getText(sf)}\`, not a literal`);
        return;
      }
      // A zod schema field named `action` describes a response or a filter, it writes nothing.
      if (ts.isCallExpression(e) && /^z\./.test(e.getText(sf))) return;
      if (!allowed.includes(e.getText(sf))) problems.push(`${where(e)}: action is \`${e.getText(sf)}\`, not a literal`);
    };
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAssignment(n) && n.name.getText(sf) === 'action' && ts.isObjectLiteralExpression(n.parent))
        take(n.initializer);
      else if (ts.isShorthandPropertyAssignment(n) && n.name.text === 'action' && !allowed.includes('action'))
        problems.push(`${where(n)}: action is a variable, not a literal`);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { literals, problems };
}

function sourceFiles(dir: string): { file: string; text: string }[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sourceFiles(rel);
    if (!e.name.endsWith('.ts') || e.name.endsWith('.test.ts')) return [];
    return [{ file: rel, text: fs.readFileSync(path.join(ROOT, rel), 'utf8') }];
  });
}

test('every action the server and the CLI write is in the core list (and so has words)', () => {
  const found = writtenActions([...sourceFiles('src/server'), ...sourceFiles('src/cli')]);
  assert.deepEqual(found.problems, [], 'write the action as a literal (or list a typed pass-through here)');
  assert.ok(found.literals.size > 40, `the scan found the written actions (${found.literals.size})`);
  const missing = [...found.literals].filter(([code]) => !isAuditAction(code)).map(([c, at]) => `${c} (${at})`);
  assert.deepEqual(missing, [], 'add these to WRITTEN_ACTIONS in src/core/audit-actions.ts, with words');
});

test('the scan itself catches a new literal, a template and an unlisted variable', () => {
  const found = writtenActions([
    {
      file: 'src/server/modules/x/service.ts',
      text: [
        "await audit.append({ action: 'x.brand_new', entityType: 'x' });",
        "await audit.append({ action: ok ? 'user.enable' : ('x.other' as const) });",
        'await audit.append({ action: `audit.${what}` });',
        "await audit.append({ action: `x.meeting.${to === 'open' ? 'open' : 'close'}` });",
        'await audit.append({ action: someVar });',
        'await audit.append({ action });',
        'const S = z.object({ action: z.string() });',
      ].join('\n'),
    },
  ]);
  assert.deepEqual([...found.literals.keys()].sort(), [
    'user.enable',
    'x.brand_new',
    'x.meeting.close',
    'x.meeting.open',
    'x.other',
  ]);
  assert.equal(found.problems.length, 3, found.problems.join('\n'));
  assert.equal(isAuditAction('x.brand_new'), false);
});
