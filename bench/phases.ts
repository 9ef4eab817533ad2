// Where the user-task cycle's time goes (`npm run bench -- phases`): its three operations measured apart, on a
// fresh store warmed by start → end instances, each run the same number of times by the bench's callers: the
// start (to the user task), the task lookup by instance, and the completion (to the end), with start → end
// beside them. For each: the rate, the engine's CPU per operation (this process) and on PostgreSQL the CPU of
// its backends (bench/database-cpu.ts), which together bound the cycle's rate on the machine's cores.
import { createEngine } from '@dadms/process-engine';
import { createTestDatabase, type BackendName } from '@dadms/process-engine/testing';
import { backendsCpu, cpuBetween } from './database-cpu.js';
import { engineDriver } from './drivers.js';
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
      const databaseCpu = db.options.databaseUrl === undefined ? undefined : () => backendsCpu(db.options.databaseUrl!);
      const each = <T>(items: readonly T[], run: (item: T) => Promise<unknown>) => inTurns(items, settings.concurrency, run);
      const times = Array.from({ length: settings.operations }, (_, i) => i);
      await each(times, () => driver.start(startEnd.key));
      const instances: string[] = [];
      const tasks: string[] = [];
      const phases: Record<Phase, () => Promise<void>> = {
        'start → end': () => each(times, () => driver.start(startEnd.key)),
        'start → user task': () => each(times, async () => instances.push((await driver.start(userTask.key)).id)),
        'task lookup by instance': () => each(instances, async (id) => tasks.push(await driver.openTask(id))),
        'complete → end': () => each(tasks, (id) => driver.complete(id)),
      };
      for (const phase of PHASES) {
        const row = { backend, phase, ...await measured(settings.operations, phases[phase], databaseCpu) };
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

/** runs `run` once for each item, `callers` at a time, in the items' order */
async function inTurns<T>(items: readonly T[], callers: number, run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: callers }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

async function measured(operations: number, phase: () => Promise<void>, databaseCpu?: () => Promise<Map<number, number>>) {
  const databaseBefore = await databaseCpu?.();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await phase();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const databaseAfter = await databaseCpu?.();
  return {
    perSecond: operations / seconds,
    engineCpuMs: (cpu.user + cpu.system) / 1000 / operations,
    databaseCpuMs: databaseBefore && databaseAfter ? cpuBetween(databaseBefore, databaseAfter) / operations : undefined,
  };
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
