// The seed's PerformanceMetrics for a period, each figure computed from the stored rows. Figures that
// need activity history are 0 when none is kept (history level `none`).
import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { average, avgWhere, count, countWhere, millis, ms, ratio, utcHour } from './aggregates.js';
import { AUTOMATED_TASK_TYPES, WORK_TYPES } from './activity-kinds.js';
import { endedWork, hadIncident } from './ended-work.js';
import { isCompleted } from './figures.js';
import { periodHours, type Period } from './period.js';
import { activitiesEndedIn, instancesEndedIn, instancesStartedIn, tasksEndedIn } from './period-rows.js';
import type { RolledFigures } from './rolled-figures.js';
import { addUp, meanOf } from './rolled-totals.js';
import type { PerformanceMetrics } from './types.js';

interface PerformanceRows {
  started: { n: number; lead_time: number | null; with_incident: number };
  peak: { hour: number; n: number } | undefined;
  ended: { n: number; completed: number; cycle_time: number | null; clean: number };
  tasks: { n: number; with_due: number; on_time: number };
  people: { user: string | null; n: number }[];
  endedWork: { processing: number | null; waiting: number | null; reworked: number };
  work: { activity_type: string; n: number }[];
}

const NO_WORK = { processing: null, waiting: null, reworked: 0 };

export async function performanceMetrics(ctx: QueryContext, p: Period): Promise<PerformanceMetrics> {
  const now = ctx.now();
  const keepsActivities = ctx.historyLevel !== 'none';
  const [started, peak, ended, tasks, people, work, workDone] = await Promise.all([
    instancesStartedIn(ctx, p).select([
      count().as('n'),
      average(millis(sql.ref('process_instances.start_time'), sql`coalesce(process_instances.end_time, ${now})`)).as('lead_time'),
      countWhere(hadIncident).as('with_incident'),
    ]).executeTakeFirstOrThrow(),
    instancesStartedIn(ctx, p)
      .select([utcHour('process_instances.start_time').as('hour'), count().as('n')])
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
    keepsActivities ? endedWork(ctx, p) : NO_WORK,
    activitiesEndedIn(ctx, p).where('activity_instances.status', '=', 'completed').where('activity_instances.in_path', '=', true)
      .where('activity_instances.activity_type', 'in', WORK_TYPES)
      .select(['activity_instances.activity_type', count().as('n')])
      .groupBy('activity_instances.activity_type').orderBy('activity_instances.activity_type').execute(),
  ]);
  return toPerformance(ctx, p, { started, peak, ended, tasks, people, endedWork: work, work: workDone });
}

/** The same from the daily rollup; undefined when a rolled-up day changed meanwhile. */
export async function rolledPerformanceMetrics(ctx: QueryContext, p: Period, figures: RolledFigures): Promise<PerformanceMetrics | undefined> {
  const keepsActivities = ctx.historyLevel !== 'none';
  const [started, hours, ended, tasks, people, work, workDone] = await Promise.all([
    figures.read('started'), figures.read('hours'), figures.read('ended'), figures.read('finishedTasks'), figures.read('workers'),
    keepsActivities ? figures.read('endedWork') : [NO_WORK], figures.read('work'),
  ]);
  if (!started || !hours || !ended || !tasks || !people || !work || !workDone) return undefined;
  const [s, e, t, w] = [addUp(started), addUp(ended), addUp(tasks), addUp(work)];
  // as `order by n desc, hour limit 1` picks it
  const peak = hours.filter((h) => h.n > 0).reduce<PerformanceRows['peak']>((best, h) => (!best || h.n > best.n ? h : best), undefined);
  return toPerformance(ctx, p, {
    started: { n: s.total ?? 0, lead_time: meanOf(s.lead_time, s.total), with_incident: s.with_incident ?? 0 },
    peak,
    ended: { n: e.n ?? 0, completed: e.completed ?? 0, cycle_time: meanOf(e.cycle_time, e.completed), clean: e.clean ?? 0 },
    tasks: { n: t.n ?? 0, with_due: t.with_due ?? 0, on_time: t.on_time ?? 0 },
    people,
    endedWork: { processing: w.processing ?? null, waiting: w.waiting ?? null, reworked: w.reworked ?? 0 },
    work: workDone,
  });
}

function toPerformance(ctx: QueryContext, p: Period, rows: PerformanceRows): PerformanceMetrics {
  const { started, peak, ended, tasks, people, endedWork: ew, work } = rows;
  const keepsActivities = ctx.historyLevel !== 'none';
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
      processing_time: keepsActivities ? perCompletedInstance(ew.processing) : 0,
      wait_time: keepsActivities ? perCompletedInstance(ew.waiting) : 0,
      automation_rate: keepsActivities ? ratio(automated.reduce((sum, w) => sum + w.n, 0), workDone) : 0,
    },
    quality: {
      first_pass_yield: ratio(ended.clean, ended.n),
      rework_rate: keepsActivities ? ratio(ew.reworked, ended.n) : 0,
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
