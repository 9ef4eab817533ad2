// The seed's PerformanceMetrics for a period, each figure computed from the stored rows. Figures that
// need activity history are 0 when none is kept (history level `none`).
import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { average, avgWhere, count, countWhere, millis, ms, ratio, sumWhere } from './aggregates.js';
import { AUTOMATED_TASK_TYPES, WAITING_TYPES, WORK_TYPES } from './activity-kinds.js';
import { periodHours, type Period } from './period.js';
import { activitiesEndedIn, instancesEndedIn, instancesStartedIn, tasksEndedIn } from './period-rows.js';
import type { PerformanceMetrics } from './types.js';

const hadIncident = sql`exists (select 1 from incidents where incidents.process_instance_id = process_instances.id)`;
const isCompleted = sql`process_instances.status = 'completed'`;
const activityDuration = millis(sql.ref('activity_instances.start_time'), sql.ref('activity_instances.end_time'));
const inList = (types: readonly string[]) => sql.join(types);

/**
 * The activities of the instances ended in the period, read in one pass: the token time of the completed
 * ones split into work and waiting, and the instances in which a unit of work was entered twice (a loop back).
 * A multi-instance body spans its inner instances, so only steps of the path count; the inner instances
 * repeat their activity by design, and their parent is that body, so they are no rework.
 */
const endedInstanceWork = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom(
    instancesEndedIn(ctx, p)
      .innerJoin('activity_instances', 'activity_instances.process_instance_id', 'process_instances.id')
      .leftJoin('activity_instances as body', (join) => join.onRef('body.id', '=', 'activity_instances.parent_activity_instance_id').on('body.in_path', '=', false))
      .where('activity_instances.in_path', '=', true)
      .select([
        'process_instances.id', 'activity_instances.activity_type', isCompleted.as('completed'),
        sql<number>`sum(${activityDuration})`.as('duration'),
        countWhere(sql`activity_instances.activity_type in (${inList(WORK_TYPES)}) and body.id is null`).as('work_entries'),
      ])
      .groupBy(['process_instances.id', 'process_instances.status', 'activity_instances.activity_id', 'activity_instances.activity_type'])
      .as('steps'),
  ).select([
    sumWhere(sql.ref('duration'), sql`completed and activity_type in (${inList(AUTOMATED_TASK_TYPES)})`).as('processing'),
    sumWhere(sql.ref('duration'), sql`completed and activity_type in (${inList(WAITING_TYPES)})`).as('waiting'),
    sql<number>`(count(distinct id) filter (where work_entries > 1))::int`.as('reworked'),
  ]).executeTakeFirstOrThrow();

export async function performanceMetrics(ctx: QueryContext, p: Period): Promise<PerformanceMetrics> {
  const now = ctx.now();
  const keepsActivities = ctx.historyLevel !== 'none';
  const [started, peak, ended, tasks, people, endedWork, work] = await Promise.all([
    instancesStartedIn(ctx, p).select([
      count().as('n'),
      average(millis(sql.ref('process_instances.start_time'), sql`coalesce(process_instances.end_time, ${now})`)).as('lead_time'),
      countWhere(hadIncident).as('with_incident'),
    ]).executeTakeFirstOrThrow(),
    instancesStartedIn(ctx, p)
      .select([sql<number>`extract(hour from process_instances.start_time at time zone 'UTC')::int`.as('hour'), count().as('n')])
      .groupBy('hour').orderBy('n', 'desc').orderBy('hour').limit(1)
      .executeTakeFirst(),
    instancesEndedIn(ctx, p).select([
      count().as('n'),
      countWhere(isCompleted).as('completed'),
      avgWhere(millis(sql.ref('process_instances.start_time'), sql.ref('process_instances.end_time')), isCompleted).as('cycle_time'),
      countWhere(sql`${isCompleted} and not ${hadIncident}`).as('clean'),
    ]).executeTakeFirstOrThrow(),
    tasksEndedIn(ctx, p).where('tasks.status', '=', 'completed').select([
      count().as('n'),
      countWhere(sql`tasks.due is not null`).as('with_due'),
      countWhere(sql`tasks.end_time <= tasks.due`).as('on_time'),
    ]).executeTakeFirstOrThrow(),
    tasksEndedIn(ctx, p).where('tasks.status', '=', 'completed')
      .select([sql<string | null>`coalesce(tasks.completed_by, tasks.assignee)`.as('user'), count().as('n')])
      .groupBy('user').orderBy('user').execute(),
    keepsActivities ? endedInstanceWork(ctx, p) : { processing: null, waiting: null, reworked: 0 },
    activitiesEndedIn(ctx, p).where('activity_instances.status', '=', 'completed').where('activity_instances.in_path', '=', true)
      .where('activity_instances.activity_type', 'in', WORK_TYPES)
      .select(['activity_instances.activity_type', count().as('n')])
      .groupBy('activity_instances.activity_type').orderBy('activity_instances.activity_type').execute(),
  ]);
  const hours = periodHours(p);
  const automated = work.filter((w) => AUTOMATED_TASK_TYPES.includes(w.activity_type));
  const workDone = work.reduce((sum, w) => sum + w.n, 0);
  const perCompletedInstance = (total: number | null) => ms(ended.completed > 0 ? (total ?? 0) / ended.completed : 0);
  return {
    throughput: {
      instances_per_hour: ratio(started.n, hours),
      tasks_per_hour: ratio(tasks.n, hours),
      peak_load_time: peak ? `${String(peak.hour).padStart(2, '0')}:00` : '',
      // the engine is given no capacity (workers, staff) to measure the load against
      capacity_utilization: 0,
    },
    efficiency: {
      cycle_time: ms(ended.cycle_time),
      // no request time is recorded before an instance starts, so lead time runs from the start to the
      // end, or to now for instances still running
      lead_time: ms(started.lead_time),
      processing_time: keepsActivities ? perCompletedInstance(endedWork.processing) : 0,
      wait_time: keepsActivities ? perCompletedInstance(endedWork.waiting) : 0,
      automation_rate: keepsActivities ? ratio(automated.reduce((sum, w) => sum + w.n, 0), workDone) : 0,
    },
    quality: {
      first_pass_yield: ratio(ended.clean, ended.n),
      rework_rate: keepsActivities ? ratio(endedWork.reworked, ended.n) : 0,
      error_rate: ratio(started.with_incident, started.n),
      sla_compliance: ratio(tasks.on_time, tasks.with_due),
    },
    resource_utilization: {
      // availability is unknown, so a person's share is shown as the tasks they completed
      human_resources: Object.fromEntries(people.filter((row) => row.user !== null).map((row) => [row.user, row.n])),
      system_resources: keepsActivities ? Object.fromEntries(automated.map((w) => [w.activity_type, w.n])) : {},
      // the engine records no costs
      cost_per_instance: 0,
    },
  };
}
