// Runs one HTTP load job (bench/http-load.ts) in a child process, so that the clients' work does not share
// the server's event loop, and answers its result.
import { fork } from 'node:child_process';
import type { LoadJob } from './http-load.js';

/** what the load process sends once its warm-up is over */
export const MEASURING = 'measuring';

export interface HostCpu {
  /** CPU ms of this process (the server's, where it runs the server) during the load's measured part, warm-up excluded */
  hostCpuMs: number;
}

export function runLoad<T>(job: LoadJob): Promise<T & HostCpu> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./http-load.ts', import.meta.url), [JSON.stringify(job)]);
    const limit = setTimeout(() => child.kill(), (job.warmup.seconds + job.bounds.seconds + 60) * 1000);
    let result: T | undefined;
    let measuredFrom: NodeJS.CpuUsage | undefined;
    let hostCpuMs = Number.NaN;
    child.on('message', (msg) => {
      if (msg === MEASURING) {
        measuredFrom = process.cpuUsage();
        return;
      }
      result = msg as T;
      const cpu = measuredFrom && process.cpuUsage(measuredFrom);
      if (cpu) hostCpuMs = (cpu.user + cpu.system) / 1000;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      if (result !== undefined) resolve({ ...result, hostCpuMs });
      else reject(new Error(`HTTP load process ended (${signal ?? `exit code ${code}`}) without a result`));
    });
  });
}
