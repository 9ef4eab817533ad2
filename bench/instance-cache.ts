// What the embedded store's instance cache saves (`npm run bench -- cache`): two engines in this process, each
// on a new PGlite store, one keeping no instance rows in memory (instanceCache 0) and one as it comes, take turns
// running the same scenario a second at a time. Turns of a second on one machine at one time compare better than
// runs minutes apart on a machine whose speed swings, and the engine that starts each round alternates, since the
// second of two engines in one process measured a few per cent slower whatever it was.
import { createEngine } from '@dadms/process-engine';
import { createTestDatabase } from '@dadms/process-engine/testing';
import { engineDriver } from './drivers.js';
import { scenario, scenarioTitles, throughput, type Bounds, type ScenarioName } from './measure.js';
import { models } from './models.js';
import { table } from './table.js';

export interface InstanceCacheSettings {
  concurrency: number;
  warmup: Bounds;
  rounds: number;
}

export interface InstanceCacheRow {
  scenario: ScenarioName;
  /** CPU ms of this process (PGlite runs in it) per instance, without the cache and with it */
  cpuMs: { off: number; on: number };
  instances: { off: number; on: number };
}

const SCENARIOS: ScenarioName[] = ['start-end', 'user-task', 'call-activity'];
const TURN: Bounds = { seconds: 1, maxCount: 1e9 };

export async function benchInstanceCache(settings: InstanceCacheSettings, log: (line: string) => void): Promise<InstanceCacheRow[]> {
  const rows: InstanceCacheRow[] = [];
  for (const name of SCENARIOS) {
    const sides = await Promise.all((['off', 'on'] as const).map(async (side) => {
      const db = await createTestDatabase('pglite', `bench-cache-${side}`);
      const engine = await createEngine({ ...db.options, ...(side === 'off' ? { instanceCache: 0 } : {}) });
      return { side, db, engine, once: scenario(name, engineDriver(engine)), cpuMs: 0, instances: 0 };
    }));
    try {
      for (const { engine, once } of sides) {
        for (const model of models) await engine.deploy({ bpmn_xml: model.xml, name: model.key });
        await throughput(once, settings.concurrency, settings.warmup);
      }
      for (let round = 0; round < settings.rounds; round++) {
        for (const side of round % 2 ? [...sides].reverse() : sides) {
          const { once } = side;
          const result = await throughput(once, settings.concurrency, TURN);
          if (result.errors) throw new Error(`${scenarioTitles[name]}: ${result.errors} failed, the first: ${result.firstError}`);
          side.cpuMs += result.cpuMsPerInstance * result.completed;
          side.instances += result.completed;
        }
      }
      const [off, on] = sides;
      const row: InstanceCacheRow = {
        scenario: name, cpuMs: { off: off!.cpuMs / off!.instances, on: on!.cpuMs / on!.instances }, instances: { off: off!.instances, on: on!.instances },
      };
      rows.push(row);
      log(`  pglite ${scenarioTitles[name]}: ${row.cpuMs.off.toFixed(2)} ms CPU per instance without the cache, ${row.cpuMs.on.toFixed(2)} ms with it`);
    } finally {
      for (const s of sides) {
        await s.engine.close();
        await s.db.drop();
      }
    }
  }
  return rows;
}

export function printInstanceCache(rows: InstanceCacheRow[], settings: InstanceCacheSettings): void {
  console.log(`\nThe instance cache on PGlite: two engines taking turns of a second, ${settings.rounds} rounds, ${settings.concurrency} callers, `
    + 'CPU ms of the engine per instance');
  table(
    ['scenario', 'instanceCache 0', 'instanceCache 1,000', 'change', 'instances (0 / 1,000)'],
    rows.map((r) => [
      scenarioTitles[r.scenario], r.cpuMs.off.toFixed(2), r.cpuMs.on.toFixed(2), `${(100 * (r.cpuMs.on / r.cpuMs.off - 1)).toFixed(0)}%`,
      `${r.instances.off} / ${r.instances.on}`,
    ]),
  );
}
