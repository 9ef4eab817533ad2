// The CPU time and memory of another process, read from /proc (Linux only).
import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second, in which /proc gives CPU times */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU ms (user and system) the process has used so far; NaN where /proc cannot tell */
export function cpuMs(pid: number): number {
  try {
    // the fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [utime, stime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 13).map(Number);
    return ((utime! + stime!) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** resident set size (VmRSS) of the process in MiB; NaN where /proc cannot tell */
export function residentMiB(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}
