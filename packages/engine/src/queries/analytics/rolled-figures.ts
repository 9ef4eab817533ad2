// The figures GET /statistics and /performance are made of, each from the daily rollup of migration 0014 for
// the whole past days of a period and from the raw rows for the rest (see rolled-sums.ts). Each is read at most
// once per period and answers undefined when a rolled-up day changed meanwhile, for the caller to read raw.
import { sql, type RawBuilder } from 'kysely';
import { wireStatus } from '../instances.js';
import type { QueryContext } from '../query-context.js';
import { WORK_TYPES } from './activity-kinds.js';
import { millis, utcDay, utcHour } from './aggregates.js';
import { instanceDuration, isCompleted, isOpenTask, isTerminated } from './figures.js';
import { rolledUpDays, rollUpStaleDays, type RolledDays } from './day-rollups.js';
import type { Period } from './period.js';
import { activitiesEndedIn, incidentsRaisedIn, instancesEndedIn, instancesStartedIn, tasksCreatedIn, tasksEndedIn } from './period-rows.js';
import { endedSteps, endedWorkSums, hadIncident } from './ended-work.js';
import { column, rolledSums, statisticsRollup, type Figure, type Rows } from './rolled-sums.js';

const TABLE = 'process_statistics';
const one = sql`1`;
const flag = (condition: RawBuilder<unknown>) => sql`(${condition})::int`;

/** The day a figure is counted on, as text on both sides. */
const dayColumn = (raw: string) => column('day', sql`to_char(s.date, 'YYYY-MM-DD')`, utcDay(raw));

const figures = (ctx: QueryContext) => {
  const now = ctx.now();
  const instancesStarted: Rows = (part, select) => instancesStartedIn(ctx, part).select(select);
  const stillActive: Rows = (part, select) => instancesStartedIn(ctx, part).where('process_instances.status', '=', 'active').select(select);
  const completedTasks: Rows = (part, select) => tasksEndedIn(ctx, part).where('tasks.status', '=', 'completed').select(select);
  return {
    /** instances started, per day and process */
    started: {
      table: TABLE, groups: 2,
      columns: [
        dayColumn('process_instances.start_time'),
        column('process_definition_key', 'process_definition_key', sql.ref('process_instances.process_definition_key')),
        column('total', 'instances_started', one),
        column('active', 0, flag(sql`${wireStatus} = 'active'`)),
        column('suspended', 0, flag(sql`${wireStatus} = 'suspended'`)),
        column('completed', 'instances_completed', flag(isCompleted)),
        column('terminated', 'instances_terminated', flag(isTerminated)),
        column('completed_duration', 'completed_duration', sql`case when ${isCompleted} then ${instanceDuration} end`),
        column('lead_time', 'lead_time', millis(sql.ref('process_instances.start_time'), sql`coalesce(process_instances.end_time, ${now})`)),
        column('with_incident', 'instances_with_incident', flag(hadIncident)),
      ],
      rows: instancesStarted,
      open: stillActive,
    },
    /** completed instances started in the period, by duration */
    durations: {
      table: 'process_statistics_durations', groups: 1,
      columns: [column('duration', 'duration', instanceDuration), column('instances', 'instances', one)],
      rows: (part, select) => instancesStartedIn(ctx, part).where(isCompleted).select(select),
    },
    /** instances started, by UTC hour of day */
    hours: {
      table: 'process_statistics_hours', groups: 1,
      columns: [
        column('hour', 'hour', utcHour('process_instances.start_time')),
        column('n', 'instances', one),
      ],
      rows: instancesStarted,
      open: stillActive,
    },
    /** tasks created, per process */
    tasksCreated: {
      table: TABLE, groups: 1,
      columns: [
        column('process_definition_key', 'process_definition_key', sql.ref('tasks.process_definition_key')),
        column('total', 'tasks_closed', one),
        column('open', 0, flag(isOpenTask)),
        column('completed', 'tasks_completed', flag(sql`tasks.status = 'completed'`)),
        column('cancelled', 'tasks_cancelled', flag(sql`tasks.status = 'cancelled'`)),
        column('overdue', 0, flag(sql`${isOpenTask} and tasks.due < ${now}`)),
        column('unassigned', 0, flag(sql`${isOpenTask} and tasks.assignee is null`)),
      ],
      rows: (part, select) => tasksCreatedIn(ctx, part).select(select),
      open: (part, select) => tasksCreatedIn(ctx, part).where(isOpenTask).select(select),
    },
    /** incidents raised, per day */
    incidents: {
      table: TABLE, groups: 1,
      columns: [dayColumn('incidents.incident_timestamp'), column('total', 'incidents', one), column('resolved', 'incidents_resolved', flag(sql`incidents.status = 'resolved'`))],
      rows: (part, select) => incidentsRaisedIn(ctx, part).select(select),
    },
    /** instances ended, per day */
    ended: {
      table: TABLE, groups: 1,
      columns: [
        dayColumn('process_instances.end_time'),
        column('n', 'ended', one),
        column('completed', 'ended_completed', flag(isCompleted)),
        column('clean', 'ended_clean', flag(sql`${isCompleted} and not ${hadIncident}`)),
        column('cycle_time', 'cycle_time', sql`case when ${isCompleted} then ${instanceDuration} end`),
      ],
      rows: (part, select) => instancesEndedIn(ctx, part).select(select),
    },
    /** the token time and rework of the instances ended */
    endedWork: {
      table: TABLE, groups: 0,
      columns: [
        column('processing', 'processing_time', endedWorkSums.processing),
        column('waiting', 'waiting_time', endedWorkSums.waiting),
        column('reworked', 'reworked', endedWorkSums.reworked),
      ],
      rows: (part, select) => ctx.db.selectFrom(endedSteps(ctx, part)).select(select),
    },
    /** tasks completed, per day */
    finishedTasks: {
      table: TABLE, groups: 1,
      columns: [
        dayColumn('tasks.end_time'),
        column('n', 'finished_tasks', one),
        column('with_due', 'finished_with_due', flag(sql`tasks.due is not null`)),
        column('on_time', 'finished_on_time', flag(sql`tasks.end_time <= tasks.due`)),
      ],
      rows: completedTasks,
    },
    /** tasks completed, per person */
    workers: {
      table: 'process_statistics_workers', groups: 1,
      columns: [column('user', 'user_id', sql`coalesce(tasks.completed_by, tasks.assignee)`), column('n', 'tasks', one)],
      rows: completedTasks,
    },
    /** units of work completed, per activity type */
    work: {
      table: 'process_statistics_activities', groups: 1,
      columns: [column('activity_type', 'activity_type', sql.ref('activity_instances.activity_type')), column('n', 'activities', one)],
      rows: (part, select) => activitiesEndedIn(ctx, part).where('activity_instances.status', '=', 'completed')
        .where('activity_instances.in_path', '=', true).where('activity_instances.activity_type', 'in', WORK_TYPES).select(select),
    },
  } satisfies Record<string, Figure>;
};

type FigureName = keyof ReturnType<typeof figures>;

interface InstancesStarted {
  day: string;
  process_definition_key: string;
  total: number;
  active: number;
  suspended: number;
  completed: number;
  terminated: number;
  completed_duration: number | null;
  lead_time: number;
  with_incident: number;
}

/** The rows each figure answers: a row per group, its sums as numbers (null where no row had a value). */
export interface FigureRows {
  started: InstancesStarted[];
  durations: { duration: number; instances: number }[];
  hours: { hour: number; n: number }[];
  tasksCreated: { process_definition_key: string; total: number; open: number; completed: number; cancelled: number; overdue: number; unassigned: number }[];
  incidents: { day: string; total: number; resolved: number }[];
  ended: { day: string; n: number; completed: number; clean: number; cycle_time: number | null }[];
  endedWork: { processing: number | null; waiting: number | null; reworked: number | null }[];
  finishedTasks: { day: string; n: number; with_due: number; on_time: number }[];
  workers: { user: string | null; n: number }[];
  work: { activity_type: string; n: number }[];
}

export interface RolledFigures {
  read<N extends FigureName>(name: N): Promise<FigureRows[N] | undefined>;
}

/**
 * The figures of a period whose whole past days are rolled up first; undefined when it has none, for the
 * caller to read the raw rows.
 */
export async function rolledFigures(ctx: QueryContext, p: Period): Promise<RolledFigures | undefined> {
  const days: RolledDays | undefined = rolledUpDays(p, ctx.now());
  if (!days) return undefined;
  await rollUpStaleDays(ctx, statisticsRollup, days);
  const all = figures(ctx);
  const read = new Map<FigureName, Promise<unknown>>();
  return {
    read: <N extends FigureName>(name: N) => {
      if (!read.has(name)) read.set(name, rolledSums(ctx, p, days, all[name]));
      return read.get(name) as Promise<FigureRows[N] | undefined>;
    },
  };
}
