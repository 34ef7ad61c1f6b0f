/**
 * Structural check (TypeScript AST): inside a transaction callback — `….transaction().execute(cb)`,
 * `Scope.run(…, cb)`, `auditedTx`/`adminTx`/`academyTx(…, cb)` — no code reads the pool (`….db` of the services, `this.db`).
 * The runtime guard in db/connection.ts throws on such a query; this finds the ones no test reaches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Whether a call opens a transaction whose last argument is the callback that runs inside it. */
function opensTransaction(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if (name === 'execute' && ts.isCallExpression(callee.expression)) {
      const inner = callee.expression.expression;
      // db.transaction().execute(cb), db.transaction().setIsolationLevel(…).execute(cb)
      return (
        ts.isPropertyAccessExpression(inner) &&
        ['transaction', 'setIsolationLevel', 'setAccessMode'].includes(inner.name.text)
      );
    }
    if (name === 'run' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Scope') return true;
  }
  // auditedTx, adminTx, academyTx …: helpers that open a transaction and hand the callback its `tx`.
  return ts.isIdentifier(callee) && /Tx$/.test(callee.text);
}

/** `x.db`, `this.db`, `c.get('services').db`, `services.db`, `s.db` — the pool, whatever it is called. */
function isPoolRead(n: ts.Node): n is ts.PropertyAccessExpression {
  return (
    ts.isPropertyAccessExpression(n) &&
    n.name.text === 'db' &&
    !(
      ts.isPropertyAccessExpression(n.parent) &&
      n.parent.name.text === 'transaction' &&
      ts.isCallExpression(n.parent.parent)
    )
  );
}

/** A function that receives a Scope (or a transaction `tx: Tx`) runs inside a transaction: its whole body counts. */
function takesTransaction(n: ts.Node): boolean {
  if (!(
    ts.isFunctionDeclaration(n) ||
    ts.isArrowFunction(n) ||
    ts.isFunctionExpression(n) ||
    ts.isMethodDeclaration(n)
  ))
    return false;
  return n.parameters.some((p) => {
    const t = p.type?.getText() ?? '';
    return /^(Scope|Tx|Transaction<DB>)$/.test(t);
  });
}

/** Pool reads inside transaction callbacks of one source file, as `line: text`. */
function poolReadsIn(sf: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (n: ts.Node, inside: boolean) => {
    if (inside && isPoolRead(n))
      found.push(`${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText().slice(0, 60)}`);
    if (takesTransaction(n)) {
      n.forEachChild((c) => visit(c, true));
      return;
    }
    if (ts.isCallExpression(n) && opensTransaction(n)) {
      const cb = n.arguments[n.arguments.length - 1];
      n.expression.forEachChild((c) => visit(c, inside));
      n.arguments.forEach((a) => visit(a, inside || a === cb));
      return;
    }
    n.forEachChild((c) => visit(c, inside));
  };
  visit(sf, false);
  return found;
}

test('no transaction callback in src/ reads the connection pool', () => {
  const found: string[] = [];
  for (const file of files(path.join(root, 'src'))) {
    const sf = ts.createSourceFile(
      file,
      fs.readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    found.push(...poolReadsIn(sf).map((f) => `${path.relative(root, file)}:${f}`));
  }
  assert.deepEqual(
    found,
    [],
    'inside a transaction (a callback, or a function given a Scope or a Tx) use it (tx, scope.shared), never the pool',
  );
});

test('the check itself finds a pool read inside each kind of transaction callback', () => {
  const sample = `
    await s.db.transaction().execute(async (tx) => { await s.db.selectFrom('x').execute(); });
    await Scope.run(s, p, r, async (scope) => { await c.get('services').db.selectFrom('x').execute(); });
    await auditedTx(s.db, ctx, async (tx) => { await this.db.selectFrom('x').execute(); });
    await academyTx(s, p, r, async (tx) => { await services.db.selectFrom('x').execute(); });
    await s.db.selectFrom('fine').execute();
    async function op(scope: Scope, s: Services) { return s.db.selectFrom('x').execute(); }
    const op2 = async (tx: Tx) => services.db.selectFrom('x').execute();
    function fine(s: Services) { return s.db.selectFrom('x').execute(); }`;
  const hits = poolReadsIn(ts.createSourceFile('sample.ts', sample, ts.ScriptTarget.Latest, true));
  assert.deepEqual(
    hits.map((h) => h.split(':')[0]),
    ['2', '3', '4', '5', '7', '8'],
  );
});
