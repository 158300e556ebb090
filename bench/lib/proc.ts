/** CPU time and RSS of a process, read from /proc (Linux). */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

interface Stat {
  ppid: number;
  /** user + system CPU time, ms. */
  cpuMs: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { ppid, cpuMs: (ticks * 1000) / ticksPerSecond() };
}

/** CPU time (user + system, ms) of one process; NaN when it is gone. */
export function cpuTimeMs(pid: number): number {
  return readStat(pid)?.cpuMs ?? Number.NaN;
}

/** Resident set size in bytes (VmRSS); NaN when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The process and every live descendant (e.g. a postmaster and its backends). */
export function processTree(root: number): number[] {
  if (!existsSync('/proc')) return [root];
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * CPU use of a set of processes over an interval, as % of one core (200% = both cores of a
 * 2-core machine). For a tree (postgres), processes that start during the interval count from
 * their start and those that exit are lost: an approximation, stated as such in the report.
 */
export class CpuMeter {
  private start = new Map<number, number>();
  private startedAt = 0;

  constructor(private readonly pids: () => number[]) {}

  begin(): this {
    this.start = new Map(this.pids().map((p) => [p, cpuTimeMs(p)]));
    this.startedAt = performance.now();
    return this;
  }

  /** % of one core since begin(). */
  end(): number {
    const wallMs = performance.now() - this.startedAt;
    let used = 0;
    for (const pid of this.pids()) {
      const now = cpuTimeMs(pid);
      if (!Number.isFinite(now)) continue;
      used += now - (this.start.get(pid) ?? 0);
    }
    return wallMs > 0 ? (used / wallMs) * 100 : Number.NaN;
  }
}

/** CPU time of this very process (ms), from Node itself. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
