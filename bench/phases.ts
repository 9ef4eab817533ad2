// Where the user-task cycle's time goes (`npm run bench -- phases`): its three operations measured apart, on a
// fresh store warmed by start → end instances, each run the same number of times by the bench's callers: the
// start (to the user task), the task lookup by instance, and the completion (to the end), with start → end
// beside them. For each: the rate, the engine's CPU per operation (this process) and on PostgreSQL the CPU of
// its backends (bench/database-cpu.ts), which together bound the cycle's rate on the machine's cores.
import { createEngine } from '@dadms/process-engine';
import { createTestDatabase, type BackendName } from '@dadms/process-engine/testing';
import { backendsCpu, cpuBetween } from './database-cpu.js';
import { engineDriver } from './drivers.js';
import { throughput, type ThroughputResult } from './measure.js';
import { models, startEnd, userTask } from './models.js';
import { table } from './table.js';

export interface PhaseSettings {
  backends: BackendName[];
  concurrency: number;
  /** how many times each phase runs (and the warm-up's start → end instances) */
  operations: number;
}

const PHASES = ['start → end', 'start → user task', 'task lookup by instance', 'complete → end'] as const;
type Phase = (typeof PHASES)[number];

export interface PhaseRow {
  backend: BackendName;
  phase: Phase;
  perSecond: number;
  /** CPU ms of the engine's process per operation */
  engineCpuMs: number;
  /** CPU ms of PostgreSQL's backends per operation; undefined on PGlite, which runs in the engine's process */
  databaseCpuMs?: number;
}

export async function benchPhases(settings: PhaseSettings, log: (line: string) => void): Promise<PhaseRow[]> {
  const rows: PhaseRow[] = [];
  for (const backend of settings.backends) {
    const db = await createTestDatabase(backend, 'bench-phases');
    const engine = await createEngine(db.options);
    try {
      for (const model of models) await engine.deploy({ bpmn_xml: model.xml, name: model.key });
      const driver = engineDriver(engine);
      const databaseCpu = () => (db.options.databaseUrl === undefined ? undefined : backendsCpu(db.options.databaseUrl));
      const each = <T>(items: readonly T[], run: (item: T) => Promise<unknown>) => overEach(items, settings.concurrency, run);
      const times = Array.from({ length: settings.operations }, (_, i) => i);
      await each(times, () => driver.start(startEnd.key));
      const instances: string[] = [];
      const tasks: string[] = [];
      const phases: Record<Phase, () => Promise<ThroughputResult>> = {
        'start → end': () => each(times, () => driver.start(startEnd.key)),
        'start → user task': () => each(times, async () => instances.push((await driver.start(userTask.key)).id)),
        'task lookup by instance': () => each(instances, async (id) => tasks.push(await driver.openTask(id))),
        'complete → end': () => each(tasks, (id) => driver.complete(id)),
      };
      for (const phase of PHASES) {
        const databaseBefore = await databaseCpu();
        const result = await phases[phase]();
        const databaseAfter = await databaseCpu();
        const row: PhaseRow = {
          backend, phase, perSecond: result.perSecond, engineCpuMs: result.cpuMsPerInstance,
          databaseCpuMs: databaseBefore && databaseAfter ? cpuBetween(databaseBefore, databaseAfter) / result.completed : undefined,
        };
        rows.push(row);
        log(`  ${backend} ${phase}: ${row.perSecond.toFixed(0)}/s, engine ${row.engineCpuMs.toFixed(2)} ms CPU`
          + `${row.databaseCpuMs === undefined ? '' : `, PostgreSQL ${row.databaseCpuMs.toFixed(2)} ms CPU`} per operation`);
      }
    } finally {
      await engine.close();
      await db.drop();
    }
  }
  return rows;
}

/** runs `run` once for each item, from the bench's callers, as a throughput figure; a failed operation stops the bench */
async function overEach<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<unknown>): Promise<ThroughputResult> {
  let next = 0;
  const result = await throughput(async () => {
    await run(items[next++]!);
  }, concurrency, { seconds: Number.POSITIVE_INFINITY, maxCount: items.length });
  if (result.errors) throw new Error(`${result.errors} of ${items.length} operations failed, the first: ${result.firstError}`);
  return result;
}

export function printPhases(rows: PhaseRow[], settings: PhaseSettings): void {
  console.log(`\nThe user-task cycle's operations apart: ${settings.operations.toLocaleString('en')} of each, ${settings.concurrency} callers, `
    + 'CPU ms per operation (the cycle is the last three)');
  table(
    ['backend', 'phase', 'per second', 'engine CPU ms', 'PostgreSQL CPU ms', 'together'],
    rows.map((r) => [
      r.backend, r.phase, r.perSecond.toFixed(0), r.engineCpuMs.toFixed(2), r.databaseCpuMs?.toFixed(2) ?? '',
      (r.engineCpuMs + (r.databaseCpuMs ?? 0)).toFixed(2),
    ]),
  );
}
