/** What backup and restore need to know about the live schema, read from the PostgreSQL catalog. */
import type pg from 'pg';

/** The table of applied migrations: its presence means a Sanad schema. */
export const MIGRATIONS_TABLE = 'sanad_migrations';

/** Kysely's lock table: transient, never backed up or restored. */
export const LOCK_TABLE = 'sanad_migration_lock';

/** An application table with its copyable columns (generated columns excluded: COPY cannot load them). */
export interface TableInfo {
  name: string;
  columns: { name: string; type: string }[];
}

/** Quotes an identifier for SQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The comma-separated, quoted column list of a table. */
export function columnList(t: TableInfo): string {
  return t.columns.map((c) => ident(c.name)).join(', ');
}

/**
 * All base tables in `public` (the migration table included, its lock table not), ordered so that
 * every table comes after the tables its foreign keys reference; ties alphabetical.
 */
export async function listTables(c: pg.ClientBase): Promise<TableInfo[]> {
  const cols = await c.query<{ tbl: string; col: string | null; type: string | null }>(
    `select cl.relname as tbl, a.attname as col, format_type(a.atttypid, a.atttypmod) as type
       from pg_class cl
       join pg_namespace n on n.oid = cl.relnamespace
       left join pg_attribute a on a.attrelid = cl.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where n.nspname = 'public' and cl.relkind = 'r' and cl.relname <> $1
      order by cl.relname, a.attnum`,
    [LOCK_TABLE],
  );
  const byName = new Map<string, TableInfo>();
  for (const r of cols.rows) {
    const t = byName.get(r.tbl) ?? { name: r.tbl, columns: [] };
    if (r.col && r.type) t.columns.push({ name: r.col, type: r.type });
    byName.set(r.tbl, t);
  }
  const parents = await foreignKeyParents(c);
  const deps = new Map<string, Set<string>>(
    [...byName.keys()].map((k) => [k, new Set([...(parents.get(k) ?? [])].filter((p) => byName.has(p)))]),
  );
  // Rank ties: tables many others reference first (tenants, users…), unrelated tables (audit log,
  // counters, migrations) last, then by name — a stable order wherever the catalog lists tables.
  const dependents = new Map<string, number>([...byName.keys()].map((k) => [k, 0]));
  const reach = (from: string, seen: Set<string>): void => {
    for (const p of deps.get(from) ?? []) {
      if (seen.has(p)) continue;
      seen.add(p);
      dependents.set(p, dependents.get(p)! + 1);
      reach(p, seen);
    }
  };
  for (const k of byName.keys()) reach(k, new Set());
  const standalone = (n: string): number => (deps.get(n)!.size === 0 && dependents.get(n) === 0 ? 1 : 0);
  const rank = (a: string, b: string): number =>
    dependents.get(b)! - dependents.get(a)! || standalone(a) - standalone(b) || (a < b ? -1 : a > b ? 1 : 0);
  const order: TableInfo[] = [];
  const placed = new Set<string>();
  while (placed.size < byName.size) {
    const ready = [...byName.keys()]
      .filter((n) => !placed.has(n) && [...deps.get(n)!].every((d) => placed.has(d)))
      .sort(rank);
    if (ready.length === 0) throw new Error('the schema has a foreign-key cycle; backup cannot order its tables');
    placed.add(ready[0]!);
    order.push(byName.get(ready[0]!)!);
  }
  return order;
}

/** Tables (by name) that each table's foreign keys reference. */
export async function foreignKeyParents(c: pg.ClientBase): Promise<Map<string, Set<string>>> {
  const fks = await c.query<{ child: string; parent: string }>(
    `select ch.relname as child, pa.relname as parent
       from pg_constraint k join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
       join pg_namespace n on n.oid = ch.relnamespace
      where k.contype = 'f' and n.nspname = 'public'`,
  );
  const m = new Map<string, Set<string>>();
  for (const f of fks.rows) {
    if (f.child === f.parent) continue;
    m.set(f.child, (m.get(f.child) ?? new Set()).add(f.parent));
  }
  return m;
}

/** Moves every serial/identity sequence in `public` past the largest value its column holds. */
export async function resetSequences(c: pg.ClientBase): Promise<number> {
  const seqs = await c.query<{ seq: string; tbl: string; col: string }>(
    `select s.relname as seq, t.relname as tbl, a.attname as col
       from pg_depend d
       join pg_class s on s.oid = d.objid and s.relkind = 'S'
       join pg_class t on t.oid = d.refobjid
       join pg_namespace n on n.oid = t.relnamespace
       join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
        and d.deptype in ('a', 'i') and n.nspname = 'public'`,
  );
  for (const r of seqs.rows) {
    const max = `(select max(${ident(r.col)}) from ${ident(r.tbl)})`;
    await c.query(`select setval($1::regclass, coalesce(${max}, 1), ${max} is not null)`, [`public.${ident(r.seq)}`]);
  }
  return seqs.rows.length;
}

/** Tables whose row-level security applies to the connected role (it neither owns them nor bypasses RLS). */
export async function rlsHidden(client: pg.ClientBase): Promise<string[]> {
  const r = await client.query<{ t: string }>(
    `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity
       and not pg_has_role(current_user, c.relowner, 'MEMBER')
       and not (select rolsuper or rolbypassrls from pg_roles where rolname = current_user)
     order by 1`,
  );
  return r.rows.map((x) => x.t);
}
