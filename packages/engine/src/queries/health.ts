// The workload figures /health reports, in one round trip.
import { sql } from 'kysely';
import type { QueryContext } from './query-context.js';
import { OPEN_TASK_STATUSES } from './tasks.js';

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
    db.selectFrom('process_instances').select(sql<number>`count(*)::int`.as('n'))
      .where('status', 'in', ['active', 'suspended']).as('active_instances'),
    db.selectFrom('tasks').select(sql<number>`count(*)::int`.as('n'))
      .where('status', 'in', OPEN_TASK_STATUSES).as('pending_tasks'),
    db.selectFrom('incidents').select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'open').as('open_incidents'),
  ]).executeTakeFirstOrThrow();
  // a scalar subquery is nullable to the type system; count(*) never is
  return {
    active_instances: counts.active_instances ?? 0,
    pending_tasks: counts.pending_tasks ?? 0,
    open_incidents: counts.open_incidents ?? 0,
  };
}
