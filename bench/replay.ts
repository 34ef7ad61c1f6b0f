/**
 * The floor of a scenario: the statements the API sent for one recorded request (see recordingFetch in
 * src/server/cluster.ts), replayed through pg with fresh parameters for request i —
 *  - the scenario's variables of the recorded request (e.g. its participant) swapped for request i's;
 *  - ids the server minted during the call (a UUID first seen in an INSERT, such as the new row's id
 *    or the request id in the audit event) replaced by new ones, the same new one everywhere in a replay;
 *  - participant codes minted by an intake replaced by new random codes;
 *  - the chained audit append continued from the chain the replay itself claimed: when a transaction
 *    appends a second event, the API sends the chain number, sequence and previous hash it got back
 *    from its first append; the replay sends the ones its own first append returned.
 * Statements keep their connections: those the API sent on one pooled connection (a transaction)
 * run on one connection of the floor's pool, taken at the first and given back after the last.
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import type { RecordedStatement } from '../src/server/cluster.ts';
import { participantCode } from '../src/core/codes.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const CODE = /\bSN-[0-9A-Z]{8}\b/g;
const CHAINED_APPEND = /insert into audit_events[\s\S]*values[\s\S]*update audit_chains set seq/i;

/** A parameter back from JSON: { $bytes } to a Buffer. */
function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object' && '$bytes' in v) return Buffer.from((v as { $bytes: string }).$bytes, 'base64');
  return v;
}

/** Every UUID in a JSON value. */
function uuidsIn(v: unknown, out: Set<string>): Set<string> {
  if (typeof v === 'string') for (const m of v.matchAll(UUID)) out.add(m[0].toLowerCase());
  else if (Array.isArray(v)) for (const x of v) uuidsIn(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) uuidsIn(x, out);
  return out;
}

/** A replay plan for one recorded request. */
export interface Plan {
  statements: { conn: number; text: string; values: unknown[]; last: boolean }[];
  /** UUIDs minted by the server during the call. */
  minted: Set<string>;
  connections: number;
}

export function plan(recorded: RecordedStatement[], known: unknown): Plan {
  const fixtureIds = uuidsIn(known, new Set());
  const seen = new Set<string>();
  const minted = new Set<string>();
  for (const s of recorded) {
    const ids = uuidsIn(s.values, new Set());
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      if (/\binsert\s+into\b/i.test(s.text) && !fixtureIds.has(id)) minted.add(id);
    }
  }
  const lastOf = new Map<number, number>();
  recorded.forEach((s, k) => lastOf.set(s.conn, k));
  return {
    statements: recorded.map((s, k) => ({ ...s, values: s.values.map(decode), last: lastOf.get(s.conn) === k })),
    minted,
    connections: lastOf.size,
  };
}

/** Runs one replay of the plan with request i's values; throws on the first failing statement. */
export async function replay(p: Plan, pool: pg.Pool, from: Record<string, string>, to: Record<string, string>) {
  const fresh = new Map<string, string>();
  const swap = (s: string): string => {
    let out = s;
    for (const [k, v] of Object.entries(from))
      if (v && to[k] !== undefined && v !== to[k]) out = out.replaceAll(v, to[k]);
    out = out.replace(UUID, (m) => {
      const id = m.toLowerCase();
      if (!p.minted.has(id)) return m;
      if (!fresh.has(id)) fresh.set(id, crypto.randomUUID());
      return fresh.get(id)!;
    });
    return out.replace(CODE, (m) => {
      if (!fresh.has(m)) fresh.set(m, participantCode(crypto.randomBytes(8)));
      return fresh.get(m)!;
    });
  };
  const value = (v: unknown): unknown => (typeof v === 'string' ? swap(v) : Array.isArray(v) ? v.map(value) : v);
  const clients = new Map<number, pg.PoolClient>();
  const inTx = new Set<number>();
  /** The audit chain each connection's transaction holds: from its first append's answer. */
  const held = new Map<number, { chainNo: number; seq: bigint; hash: Buffer }>();
  try {
    for (const st of p.statements) {
      let client = clients.get(st.conn);
      if (!client) {
        client = await pool.connect();
        clients.set(st.conn, client);
      }
      let values = st.values.map(value);
      const h = held.get(st.conn);
      if (h && CHAINED_APPEND.test(st.text)) {
        // values: id, tenant, chain_no, seq, prev_hash, hash, … then seq, hash, tenant, chain_no (see audit/log.ts).
        const [chainNo, seq, hash] = [values[2], values[3], values[5]];
        const next = { chainNo: h.chainNo, seq: h.seq + 1n, hash: crypto.randomBytes(32) };
        values = values.map((v, k) =>
          k === 4
            ? h.hash
            : v === chainNo
              ? next.chainNo
              : v === seq
                ? next.seq.toString()
                : Buffer.isBuffer(v) && Buffer.isBuffer(hash) && v.equals(hash)
                  ? next.hash
                  : v,
        );
        held.set(st.conn, next);
      }
      const text = st.text.trim().toLowerCase();
      if (text === 'begin' || text.startsWith('begin ') || text.startsWith('start transaction')) inTx.add(st.conn);
      const r = await client.query(st.text, values);
      if (text === 'commit' || text === 'rollback') inTx.delete(st.conn);
      const row = (r.rows as Record<string, unknown>[] | undefined)?.[0];
      if (row && 'chain_no' in row && 'seq' in row && ('hash' in row || 'head_hash' in row))
        held.set(st.conn, {
          chainNo: Number(row.chain_no),
          seq: BigInt(String(row.seq)),
          hash: (row.hash ?? row.head_hash) as Buffer,
        });
      if (st.last) {
        client.release();
        clients.delete(st.conn);
      }
    }
  } catch (e) {
    for (const [conn, c] of clients) {
      if (inTx.has(conn)) await c.query('rollback').catch(() => undefined);
      c.release();
    }
    throw e;
  }
}
