// The seed's ProcessSummary: instances, tasks and incidents that began in the period.
import type { QueryContext } from '../query-context.js';
import { ms } from './aggregates.js';
import { incidentFigures, instanceFigures, taskFigures } from './figures.js';
import type { Period } from './period.js';
import { incidentsRaisedIn, instancesStartedIn, tasksCreatedIn } from './period-rows.js';
import type { ProcessSummary } from './types.js';

export async function processSummary(ctx: QueryContext, p: Period): Promise<ProcessSummary> {
  const [instances, tasks, incidents] = await Promise.all([
    instancesStartedIn(ctx, p).select(instanceFigures).executeTakeFirstOrThrow(),
    tasksCreatedIn(ctx, p).select(taskFigures(ctx.now())).executeTakeFirstOrThrow(),
    incidentsRaisedIn(ctx, p).select(incidentFigures).executeTakeFirstOrThrow(),
  ]);
  return {
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
  };
}
