// The seed's ProcessSummary: instances, tasks and incidents that began in the period.
import type { QueryContext } from '../query-context.js';
import { ms } from './aggregates.js';
import { incidentFigures, instanceFigures, taskFigures } from './figures.js';
import type { Period } from './period.js';
import { incidentsRaisedIn, instancesStartedIn, tasksCreatedIn } from './period-rows.js';
import type { RolledFigures } from './rolled-figures.js';
import { addUp, instanceTotals, medianOf } from './rolled-totals.js';
import type { ProcessSummary } from './types.js';

interface SummaryRows {
  instances: ReturnType<typeof instanceTotals> & { median_duration: number | null };
  tasks: { total: number; completed: number; open: number; overdue: number };
  incidents: { total: number; resolved: number };
}

export async function processSummary(ctx: QueryContext, p: Period): Promise<ProcessSummary> {
  const [instances, tasks, incidents] = await Promise.all([
    instancesStartedIn(ctx, p).select(instanceFigures).executeTakeFirstOrThrow(),
    tasksCreatedIn(ctx, p).select(taskFigures(ctx.now())).executeTakeFirstOrThrow(),
    incidentsRaisedIn(ctx, p).select(incidentFigures).executeTakeFirstOrThrow(),
  ]);
  return toSummary({ instances, tasks, incidents });
}

/** The same from the daily rollup; undefined when a rolled-up day changed meanwhile. */
export async function rolledSummary(figures: RolledFigures): Promise<ProcessSummary | undefined> {
  const [started, durations, tasks, incidents] = await Promise.all([
    figures.read('started'), figures.read('durations'), figures.read('tasksCreated'), figures.read('incidents'),
  ]);
  if (!started || !durations || !tasks || !incidents) return undefined;
  const taskSums = addUp(tasks);
  const incidentSums = addUp(incidents);
  return toSummary({
    instances: { ...instanceTotals(started), median_duration: medianOf(durations) },
    tasks: { total: taskSums.total ?? 0, completed: taskSums.completed ?? 0, open: taskSums.open ?? 0, overdue: taskSums.overdue ?? 0 },
    incidents: { total: incidentSums.total ?? 0, resolved: incidentSums.resolved ?? 0 },
  });
}

const toSummary = ({ instances, tasks, incidents }: SummaryRows): ProcessSummary => ({
  total_instances: instances.total,
  active_instances: instances.active,
  completed_instances: instances.completed,
  terminated_instances: instances.terminated,
  suspended_instances: instances.suspended,
  average_duration: ms(instances.average_duration),
  median_duration: ms(instances.median_duration),
  total_tasks: tasks.total,
  completed_tasks: tasks.completed,
  open_tasks: tasks.open,
  overdue_tasks: tasks.overdue,
  incidents: incidents.total,
  resolved_incidents: incidents.resolved,
});
