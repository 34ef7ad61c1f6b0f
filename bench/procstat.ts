/** CPU time and resident memory of the server's processes, from Linux /proc. */
import fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** The process and its children (the cluster's workers), by pid. */
export function family(pid: number): number[] {
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return [pid, ...kids.map(Number)];
  } catch {
    return [pid];
  }
}

/** CPU time (user + system, ms) of each process. */
export function cpuMs(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 (utime, stime) are at 11 and 12 after the command name.
      out.set(pid, (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch {
      // the process has gone
    }
  }
  return out;
}

/** Resident set size (MB) of each process. */
export function rssMb(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) out.set(pid, Math.round(Number(m[1]) / 102.4) / 10);
    } catch {
      // the process has gone
    }
  }
  return out;
}
