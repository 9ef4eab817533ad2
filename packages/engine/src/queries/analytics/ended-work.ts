// The activities of the instances ended in a period, read in one pass: the token time of the completed ones
// split into work and waiting, and the instances in which a unit of work was entered twice (a loop back).
// A multi-instance body spans its inner instances, so only steps of the path count; the inner instances
// repeat their activity by design, and their parent is that body, so they are no rework. Migration 0014's
// rollup computes the same per day.
import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { AUTOMATED_TASK_TYPES, WAITING_TYPES, WORK_TYPES } from './activity-kinds.js';
import { countWhere, millis, sumWhere } from './aggregates.js';
import type { Period } from './period.js';
import { instancesEndedIn } from './period-rows.js';

export const hadIncident = sql`exists (select 1 from incidents where incidents.process_instance_id = process_instances.id)`;
const inList = (types: readonly string[]) => sql.join(types);
const activityDuration = millis(sql.ref('activity_instances.start_time'), sql.ref('activity_instances.end_time'));

/** Each step of the path of each instance ended in the period: its summed token time and its entries as a unit of work. */
export const endedSteps = (ctx: QueryContext, p: Period) =>
  instancesEndedIn(ctx, p)
    .innerJoin('activity_instances', 'activity_instances.process_instance_id', 'process_instances.id')
    .leftJoin('activity_instances as body', (join) => join.onRef('body.id', '=', 'activity_instances.parent_activity_instance_id').on('body.in_path', '=', false))
    .where('activity_instances.in_path', '=', true)
    .select([
      'process_instances.id', 'activity_instances.activity_type', sql<boolean>`process_instances.status = 'completed'`.as('completed'),
      sql<number>`sum(${activityDuration})`.as('duration'),
      countWhere(sql`activity_instances.activity_type in (${inList(WORK_TYPES)}) and body.id is null`).as('work_entries'),
    ])
    .groupBy(['process_instances.id', 'process_instances.status', 'activity_instances.activity_id', 'activity_instances.activity_type'])
    .as('steps');

/** Over endedSteps: token time of completed instances at automated work and waiting, and the instances with rework. */
export const endedWorkSums = {
  processing: sumWhere(sql.ref('duration'), sql`completed and activity_type in (${inList(AUTOMATED_TASK_TYPES)})`),
  waiting: sumWhere(sql.ref('duration'), sql`completed and activity_type in (${inList(WAITING_TYPES)})`),
  reworked: sql<number>`(count(distinct id) filter (where work_entries > 1))::int`,
};

export const endedWork = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom(endedSteps(ctx, p)).select([
    endedWorkSums.processing.as('processing'), endedWorkSums.waiting.as('waiting'), endedWorkSums.reworked.as('reworked'),
  ]).executeTakeFirstOrThrow();
