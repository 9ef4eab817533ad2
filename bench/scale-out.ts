// Scale-out: start → end and the user-task cycle over HTTP against 1, 2 and 3 server processes on one
// PostgreSQL and Redis. The server runs as its own process, as `npm start` runs it, with CLUSTER_WORKERS=N
// on one port (1: a single process, no primary), which hands each new connection to the next worker: the
// load's keep-alive connections, one per caller, are spread over the workers. Each N gets a fresh database
// and queue prefix; the load comes from a child process (bench/http-load.ts). On a machine whose cores are
// all busy already, more processes cannot add speed: the CPU time the server's processes spend per instance
// (read from /proc, so on Linux only) says what each process costs, which the rate alone does not.
import { createTestDatabase, dropQueueKeys, freePort } from '@dadms/process-engine/testing';
import { ServerProcess, uniqueQueuePrefix } from '../apps/server/test/faults/harness.js';
import { workersAnswering } from '../apps/server/test/faults/workers.js';
import { API_PREFIX } from '../apps/server/src/app.js';
import { deployOverHttp } from './drivers.js';
import { runLoad } from './load-process.js';
import type { Bounds, ScenarioName, ThroughputResult } from './measure.js';
import { cpuMs } from './proc-cpu.js';

const SCALE_OUT_SCENARIOS: ScenarioName[] = ['start-end', 'user-task'];

export interface ScaleOutSettings {
  processes: number[];
  concurrency: number;
  warmup: Bounds;
  bounds: Bounds;
  redisUrl: string;
}

export interface ScaleOutRow {
  processes: number;
  scenario: ScenarioName;
  result: ThroughputResult;
  /** CPU ms of the server's processes (the primary and its workers) per instance, warm-up included; NaN off Linux */
  serverCpuMsPerInstance: number;
}

/** CPU ms the processes have used so far (user and system), NaN where /proc cannot tell */
function processesCpuMs(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
}

export async function benchScaleOut(settings: ScaleOutSettings, report: (row: ScaleOutRow) => void): Promise<ScaleOutRow[]> {
  const rows: ScaleOutRow[] = [];
  for (const processes of settings.processes) {
    const db = await createTestDatabase('postgres', 'bench-scale-out');
    const prefix = uniqueQueuePrefix('bench-scale-out');
    const server = new ServerProcess(await freePort(), {
      CLUSTER_WORKERS: String(processes), DATABASE_URL: db.options.databaseUrl!, REDIS_URL: settings.redisUrl,
      JOB_QUEUE_PREFIX: prefix, LOG_LEVEL: 'error',
    });
    try {
      await server.start();
      // /health answers once one worker is ready: the load waits for all of them
      const workers = await workersAnswering(server.url, processes);
      const pids = [...new Set([server.pid!, ...workers.keys()])];
      const baseUrl = `${server.url}${API_PREFIX}`;
      await deployOverHttp(baseUrl);
      for (const scenario of SCALE_OUT_SCENARIOS) {
        const { concurrency, warmup, bounds } = settings;
        const cpuBefore = processesCpuMs(pids);
        const result = await runLoad<ThroughputResult>({ kind: 'throughput', baseUrl, scenario, concurrency, warmup, bounds });
        // the warm-up's instances are not counted, but their CPU is: a slight overestimate, the same for every N
        const row = { processes, scenario, result, serverCpuMsPerInstance: (processesCpuMs(pids) - cpuBefore) / result.completed };
        rows.push(row);
        report(row);
      }
    } finally {
      const code = await server.terminate();
      if (code !== 0) console.log(`  the server with ${processes} process(es) exited with ${code} on SIGTERM:\n${server.text.slice(-10).join('\n')}`);
      await db.drop();
      await dropQueueKeys(settings.redisUrl, prefix);
    }
  }
  return rows;
}
