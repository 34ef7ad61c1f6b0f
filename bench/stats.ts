/** Latency summaries shared by the load and floor processes. */

/** What one side (API or floor) of a run measured. */
export interface Side {
  requests: number;
  errors: number;
  /** The first few error messages or unexpected statuses, for the report. */
  errorSamples: string[];
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Percentile p (0–100) of sorted values, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Summarises latencies (ms) of the successful requests of a run. */
export function summarise(lat: number[], errors: number, errorSamples: string[], seconds: number): Side {
  const sorted = [...lat].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 100) / 100;
  return {
    requests: lat.length,
    errors,
    errorSamples,
    seconds: r(seconds),
    rps: r(lat.length / seconds),
    p50: r(percentile(sorted, 50)),
    p95: r(percentile(sorted, 95)),
    p99: r(percentile(sorted, 99)),
  };
}
