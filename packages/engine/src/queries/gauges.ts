// The figures instrumentation reads on demand (the server's /metrics, on scrape): a few counts in one
// round trip and the open incidents by type, from indexed or small sets (open rows, pending jobs).
import { sql } from 'kysely';
import type { EngineGauges } from '../api/observer.js';
import type { QueryContext } from './query-context.js';
import { OPEN_TASK_STATUSES } from './tasks.js';

export type WorkloadGauges = Omit<EngineGauges, 'outbox'>;

/** a subquery's count, as a column `n` */
export const count = sql<number>`count(*)::int`.as('n');

/** running instances, suspended ones included: they still hold work */
export const activeInstances = (db: QueryContext['db']) =>
  db.selectFrom('process_instances').select(count).where('status', 'in', ['active', 'suspended']).as('active_instances');
export const openTasks = (db: QueryContext['db']) =>
  db.selectFrom('tasks').select(count).where('status', 'in', OPEN_TASK_STATUSES).as('open_tasks');

export async function workloadGauges(ctx: QueryContext): Promise<WorkloadGauges> {
  const { db } = ctx;
  const now = ctx.now();
  const [counts, incidents] = await Promise.all([
    db.selectNoFrom([
      activeInstances(db),
      openTasks(db),
      db.selectFrom('jobs').select(count).where('retries', '>', 0).where('suspended', '=', false).where('due_at', '<=', now)
        .where((eb) => eb.or([eb('lock_expires_at', 'is', null), eb('lock_expires_at', '<', now)])).as('jobs_due'),
      db.selectFrom('jobs').select(count).where('lock_expires_at', '>=', now).as('jobs_running'),
      db.selectFrom('jobs').select(count).where('retries', '=', 0).as('jobs_failed'),
    ]).executeTakeFirstOrThrow(),
    db.selectFrom('incidents').select(['incident_type', count]).where('status', '=', 'open').groupBy('incident_type').execute(),
  ]);
  // a scalar subquery is nullable to the type system; count(*) never is
  return {
    active_instances: counts.active_instances ?? 0,
    open_tasks: counts.open_tasks ?? 0,
    jobs_due: counts.jobs_due ?? 0,
    jobs_running: counts.jobs_running ?? 0,
    jobs_failed: counts.jobs_failed ?? 0,
    open_incidents: Object.fromEntries(incidents.map((row) => [row.incident_type, row.n])),
  };
}
