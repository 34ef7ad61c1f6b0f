/**
 * The floor side of one run, in its own process: the statements recorded for one API call of the
 * scenario, replayed with fresh parameters (bench/replay.ts) from as many concurrent clients as the
 * API side had connections, for the same number of seconds. Prints the measured Side as JSON.
 */
import fs from 'node:fs';
import pg from 'pg';
import type { RecordedStatement } from '../src/server/cluster.ts';
import type { Fixtures } from './data.ts';
import { plan, replay, type Plan } from './replay.ts';
import { scenario } from './scenarios.ts';
import { summarise } from './stats.ts';

export interface FloorJob {
  databaseUrl: string;
  scenario: string;
  connections: number;
  seconds: number;
  fixtures: Fixtures;
  /** The recorded statements of request 1 of each scenario involved (a mixed workload has several). */
  recordings: Record<string, RecordedStatement[]>;
  /** The scenario variables of each recorded request. */
  recordedVars: Record<string, Record<string, string>>;
  /** The first connection slot of the floor's clients (the API's connections use the ones below). */
  firstSlot: number;
}

const job = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as FloorJob;
const sc = scenario(job.scenario);
const plans = new Map<string, Plan>();
for (const [name, rec] of Object.entries(job.recordings)) plans.set(name, plan(rec, job.fixtures));
const width = Math.max(...[...plans.values()].map((p) => p.connections), 1);
// pg parses int8 as text in the app too (connection.ts); the replay compares sequences as text.
pg.types.setTypeParser(20, (v) => v);
const pool = new pg.Pool({
  connectionString: job.databaseUrl,
  max: job.connections * width,
  application_name: 'sanad-bench-floor',
});
// Warm the pool as the server's is warm: every connection opened before the clock starts.
await Promise.all(
  Array.from({ length: job.connections * width }, async () => {
    const c = await pool.connect();
    return c;
  }),
).then((cs) => cs.forEach((c) => c.release()));

const lat: number[] = [];
let errors = 0;
const samples: string[] = [];
let next = 2;
const t0 = performance.now();
const end = t0 + job.seconds * 1000;
await Promise.all(
  Array.from({ length: job.connections }, async (_, j) => {
    const ctx = { slot: job.firstSlot + j };
    while (performance.now() < end) {
      const i = next++;
      const part = sc.mix ? scenario(sc.mix[i % sc.mix.length]!) : sc;
      const index = sc.mix ? Math.floor(i / sc.mix.length) + 2 : i;
      const p = plans.get(part.name)!;
      const from = job.recordedVars[part.name] ?? {};
      const to = part.vars?.(job.fixtures, index, ctx) ?? {};
      const s = performance.now();
      try {
        await replay(p, pool, from, to);
        lat.push(performance.now() - s);
      } catch (e) {
        errors++;
        if (samples.length < 5)
          samples.push(`${part.name}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300));
      }
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
await pool.end();
process.stdout.write(JSON.stringify(summarise(lat, errors, samples, seconds)) + '\n');
