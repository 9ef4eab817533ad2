// The workload figures /health reports, in one statement: the gauges' counts of instances and tasks, and the
// open incidents of every type together, as the seed's health shape has them (a probe needs no job counts).
import type { QueryContext } from './query-context.js';
import { activeInstances, count, openTasks } from './gauges.js';

export interface HealthCounts {
  /** running instances, suspended ones included: they still hold work */
  active_instances: number;
  /** open user tasks */
  pending_tasks: number;
  open_incidents: number;
}

export async function healthCounts(ctx: QueryContext): Promise<HealthCounts> {
  const { db } = ctx;
  const counts = await db.selectNoFrom([
    activeInstances(db),
    openTasks(db),
    db.selectFrom('incidents').select(count).where('status', '=', 'open').as('open_incidents'),
  ]).executeTakeFirstOrThrow();
  // a scalar subquery is nullable to the type system; count(*) never is
  return { active_instances: counts.active_instances ?? 0, pending_tasks: counts.open_tasks ?? 0, open_incidents: counts.open_incidents ?? 0 };
}
