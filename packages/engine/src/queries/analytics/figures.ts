// Aggregate select lists for what began in a period (instances started, tasks created, incidents
// raised), each row counted in the state it has now. Used whole for the summary and grouped by key,
// assignee or task for the finer figures, so every breakdown adds up to its total.
import { sql, type SqlBool } from 'kysely';
import { wireStatus } from '../instances.js';
import { OPEN_TASK_STATUSES } from '../tasks.js';
import { avgWhere, count, countWhere, medianWhere, millis } from './aggregates.js';

// shared with the rollup (rolled-figures.ts), whose answers must be these exactly
export const isCompleted = sql<SqlBool>`process_instances.status = 'completed'`;
export const isTerminated = sql<SqlBool>`process_instances.status in ('terminated', 'externally_terminated')`;
export const instanceDuration = millis(sql.ref('process_instances.start_time'), sql.ref('process_instances.end_time'));

export const instanceFigures = [
  count().as('total'),
  countWhere(sql`${wireStatus} = 'active'`).as('active'),
  countWhere(sql`${wireStatus} = 'suspended'`).as('suspended'),
  countWhere(isCompleted).as('completed'),
  countWhere(isTerminated).as('terminated'),
  avgWhere(instanceDuration, isCompleted).as('average_duration'),
  medianWhere(instanceDuration, isCompleted).as('median_duration'),
] as const;

export const isOpenTask = sql<SqlBool>`tasks.status in (${sql.join(OPEN_TASK_STATUSES)})`;

export const taskFigures = (now: Date) => [
  count().as('total'),
  countWhere(isOpenTask).as('open'),
  countWhere(sql`tasks.status = 'completed'`).as('completed'),
  countWhere(sql`tasks.status = 'cancelled'`).as('cancelled'),
  countWhere(sql`${isOpenTask} and tasks.due < ${now}`).as('overdue'),
  countWhere(sql`${isOpenTask} and tasks.assignee is null`).as('unassigned'),
  avgWhere(millis(sql.ref('tasks.created'), sql.ref('tasks.end_time')), sql`tasks.status = 'completed'`).as('average_completion_time'),
] as const;

export const incidentFigures = [count().as('total'), countWhere(sql`incidents.status = 'resolved'`).as('resolved')] as const;
