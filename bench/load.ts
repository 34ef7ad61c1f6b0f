/**
 * The load side of one run, in its own process: autocannon (keep-alive, a fixed number of connections)
 * against the running server for a number of seconds. Reads its job from the JSON file named on the
 * command line and prints the measured Side as JSON on stdout.
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import type { Fixtures } from './data.ts';
import { requestOf, scenario, type Ctx } from './scenarios.ts';
import { summarise } from './stats.ts';

export interface LoadJob {
  base: string;
  origin: string;
  scenario: string;
  connections: number;
  seconds: number;
  fixtures: Fixtures;
}

const job = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as LoadJob;
const sc = scenario(job.scenario);
let next = 2; // requests 0 and 1 were the warm-up and the recorded one
// Connection slots: autocannon's request context does not outlive a request, so the state a connection
// keeps across requests (the version it last saw) lives here, leased for the time of each request.
const free = Array.from({ length: job.connections }, (_, k) => job.connections - 1 - k);
const state = new Map<number, Ctx>();
const lat: number[] = [];
let errors = 0;
const samples: string[] = [];

const t0 = performance.now();
const instance = autocannon(
  {
    url: job.base,
    connections: job.connections,
    pipelining: 1,
    duration: job.seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (req, context: object) => {
          const lease = context as { slot?: number; expect?: number; part?: string };
          lease.slot = free.pop() ?? 0;
          if (!state.has(lease.slot)) state.set(lease.slot, { slot: lease.slot });
          const { part, req: r } = requestOf(sc, job.fixtures, next++, job.origin, state.get(lease.slot)!);
          lease.expect = part.status;
          lease.part = part.name;
          return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
        },
        onResponse: (status, body, context: object) => {
          const lease = context as { slot: number; expect: number; part: string };
          scenario(lease.part).onResponse?.(state.get(lease.slot)!, status, body);
          free.push(lease.slot);
          if (status !== lease.expect) {
            errors++;
            if (samples.length < 5) samples.push(`${status} ${body.slice(0, 200)}`);
          }
        },
      },
    ],
  },
  (err, result) => {
    if (err) throw err;
    const seconds = (performance.now() - t0) / 1000;
    const transport = result.errors + result.timeouts;
    if (transport && samples.length < 5) samples.push(`${result.errors} socket errors, ${result.timeouts} timeouts`);
    process.stdout.write(JSON.stringify(summarise(lat, errors + transport, samples, seconds)) + '\n');
  },
);
// 'response' carries the latency; onResponse above counts the unexpected statuses.
instance.on('response', (_client, status: number, _bytes: number, ms: number) => {
  if (status >= 200 && status < 300) lat.push(ms);
});
