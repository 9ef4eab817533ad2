// The seed's ProcessStats: the summary's instance and task figures per process key, with the
// activities where that process's tokens wait longest.
import type { QueryContext } from '../query-context.js';
import { ms, ratio } from './aggregates.js';
import type { KeyedBottleneck } from './bottlenecks.js';
import { instanceFigures, taskFigures } from './figures.js';
import type { Period } from './period.js';
import { instancesStartedIn, tasksCreatedIn } from './period-rows.js';
import type { RolledFigures } from './rolled-figures.js';
import { groupBy, instanceTotals } from './rolled-totals.js';
import type { ProcessStats } from './types.js';

/** the worst few are what a reader acts on; the bottleneck report lists them all */
export const BOTTLENECKS_PER_PROCESS = 5;

type InstanceRow = ReturnType<typeof instanceTotals>;
interface TaskRow { total: number; completed: number; open: number }

export async function processStats(ctx: QueryContext, p: Period, waits: readonly KeyedBottleneck[]): Promise<ProcessStats[]> {
  const [instances, tasks] = await Promise.all([
    instancesStartedIn(ctx, p).select(instanceFigures).select('process_instances.process_definition_key')
      .groupBy('process_instances.process_definition_key').execute(),
    tasksCreatedIn(ctx, p).select(taskFigures(ctx.now())).select('tasks.process_definition_key')
      .groupBy('tasks.process_definition_key').execute(),
  ]);
  return toProcessStats(ctx, byKey(instances), byKey(tasks), waits);
}

/** The same from the daily rollup; undefined when a rolled-up day changed meanwhile. */
export async function rolledProcessStats(ctx: QueryContext, figures: RolledFigures, waits: readonly KeyedBottleneck[]): Promise<ProcessStats[] | undefined> {
  const [started, tasks] = await Promise.all([figures.read('started'), figures.read('tasksCreated')]);
  if (!started || !tasks) return undefined;
  // a rollup row of a process may hold none of these figures (an incident only): such a process began nothing
  const instances = [...groupBy(started, 'process_definition_key')]
    .map(([key, rows]) => ({ process_definition_key: key, ...instanceTotals(rows) }));
  return toProcessStats(ctx, byKey(instances.filter((i) => i.total > 0)), byKey(tasks.filter((t) => t.total > 0)), waits);
}

const byKey = <R extends { process_definition_key: string }>(rows: readonly R[]) => new Map(rows.map((row) => [row.process_definition_key, row]));

async function toProcessStats(
  ctx: QueryContext, instancesByKey: Map<string, InstanceRow>, tasksByKey: Map<string, TaskRow>, waits: readonly KeyedBottleneck[],
): Promise<ProcessStats[]> {
  const keys = [...new Set([...instancesByKey.keys(), ...tasksByKey.keys()])];
  const names = await latestNames(ctx, keys);
  return keys
    .map((key): ProcessStats => {
      const i = instancesByKey.get(key);
      const t = tasksByKey.get(key);
      const ended = (i?.completed ?? 0) + (i?.terminated ?? 0);
      return {
        process_definition_key: key,
        process_definition_name: names.get(key) ?? key,
        instances: i?.total ?? 0,
        active_instances: i?.active ?? 0,
        completed_instances: i?.completed ?? 0,
        average_duration: ms(i?.average_duration),
        success_rate: ratio(i?.completed ?? 0, ended),
        tasks: t?.total ?? 0,
        completed_tasks: t?.completed ?? 0,
        open_tasks: t?.open ?? 0,
        bottlenecks: waits.filter((w) => w.process_definition_key === key).slice(0, BOTTLENECKS_PER_PROCESS)
          .map(({ process_definition_key: _, ...bottleneck }) => bottleneck),
      };
    })
    .sort((a, b) => b.instances - a.instances || a.process_definition_key.localeCompare(b.process_definition_key));
}

/** A key's name is the name of its newest version. */
async function latestNames(ctx: QueryContext, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await ctx.db.selectFrom('process_definitions').select(['key', 'name'])
    .where('key', 'in', [...keys])
    .orderBy('version', 'asc').orderBy('deployed_at', 'asc')
    .execute();
  return new Map(rows.map((row) => [row.key, row.name]));
}
