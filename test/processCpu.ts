// CPU seconds of the processes around a test, read from /proc (Linux), so that a speed test can
// say where time went and not only how long it took: wall time on a shared machine says little,
// CPU seconds per process say who spent them. Used by the VS Code speed test (the extension host
// runs in Node, so its trainers and the CLI are its children, and code-server's server and the
// browser are children of the host script that started it).
import * as fs from 'node:fs';

interface Stat {
  ppid: number;
  /** utime + stime, in seconds. */
  own: number;
  /** cutime + cstime: children it waited for, in seconds. */
  reaped: number;
  start: string;
}

const TICK = 100; // USER_HZ: clock ticks per second on Linux

function stat(pid: number): Stat | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // After the command name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14) … starttime(19)
    return { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICK, reaped: (Number(f[13]) + Number(f[14])) / TICK, start: f[19] };
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The nearest ancestor of this process whose command line matches `re`, if any. */
export function ancestorMatching(re: RegExp): number | undefined {
  for (let pid = process.ppid; pid > 1; ) {
    if (re.test(cmdline(pid))) return pid;
    const s = stat(pid);
    if (!s) return undefined;
    pid = s.ppid;
  }
  return undefined;
}

/** Which group a process counts in (undefined: not counted), from its command line and whether it descends from `root`. */
export type Classify = (pid: number, cmd: string, descendsFrom: (root: number) => boolean) => string | undefined;

/**
 * Samples every `everyMs` the CPU time of the processes `classify` names, and returns per group the
 * seconds they spent between start and stop. A process that ends between two samples loses at
 * most that interval; the caller reads exact figures where it has them (process.cpuUsage, reaped
 * children).
 */
export function cpuSampler(classify: Classify, everyMs = 1000): { stop(): Record<string, number> } {
  const first = new Map<string, number>();
  const last = new Map<string, { group: string; own: number }>();
  const groupOf = new Map<string, string | null>();
  const sample = (initial: boolean) => {
    const stats = new Map<number, Stat>();
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const s = stat(Number(d));
      if (s) stats.set(Number(d), s);
    }
    const descends = (pid: number) => (root: number) => {
      for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
        if (p === root) return true;
        p = stats.get(p)?.ppid ?? 0;
      }
      return false;
    };
    for (const [pid, s] of stats) {
      const key = `${pid}@${s.start}`;
      if (!groupOf.has(key)) groupOf.set(key, classify(pid, cmdline(pid), descends(pid)) ?? null);
      const group = groupOf.get(key);
      if (!group) continue;
      if (initial) first.set(key, s.own);
      last.set(key, { group, own: s.own });
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      const totals: Record<string, number> = {};
      for (const [key, { group, own }] of last) totals[group] = (totals[group] ?? 0) + own - (first.get(key) ?? 0);
      return totals;
    },
  };
}

/** This process's own CPU seconds and those of its children it has waited for (exited ones). */
export function selfCpu(): { own: number; reaped: number } {
  const s = stat(process.pid)!;
  const u = process.cpuUsage();
  return { own: (u.user + u.system) / 1e6, reaped: s.reaped };
}
