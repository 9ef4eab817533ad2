// The period day by day (UTC): what started, completed and was raised on each day, with days of no
// activity as zeros so that a chart has no gaps.
import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { average, count, millis, ms, utcDay } from './aggregates.js';
import { periodDays, type Period } from './period.js';
import { incidentsRaisedIn, instancesEndedIn, instancesStartedIn, tasksEndedIn } from './period-rows.js';
import type { RolledFigures } from './rolled-figures.js';
import { addUp, groupBy, meanOf } from './rolled-totals.js';
import type { DailyStats } from './types.js';

interface DayCount { day: string; n: number }

interface DailyRows {
  started: DayCount[];
  completed: (DayCount & { average_duration: number | null })[];
  tasks: DayCount[];
  incidents: DayCount[];
}

export async function dailyStats(ctx: QueryContext, p: Period): Promise<DailyStats[]> {
  const [started, completed, tasks, incidents] = await Promise.all([
    instancesStartedIn(ctx, p)
      .select([utcDay('process_instances.start_time').as('day'), count().as('n')])
      .groupBy('day').execute(),
    instancesEndedIn(ctx, p)
      .where('process_instances.status', '=', 'completed')
      .select([
        utcDay('process_instances.end_time').as('day'), count().as('n'),
        average(millis(sql.ref('process_instances.start_time'), sql.ref('process_instances.end_time'))).as('average_duration'),
      ])
      .groupBy('day').execute(),
    tasksEndedIn(ctx, p)
      .where('tasks.status', '=', 'completed')
      .select([utcDay('tasks.end_time').as('day'), count().as('n')])
      .groupBy('day').execute(),
    incidentsRaisedIn(ctx, p)
      .select([utcDay('incidents.incident_timestamp').as('day'), count().as('n')])
      .groupBy('day').execute(),
  ]);
  return toDaily(p, { started, completed, tasks, incidents });
}

/** The same from the daily rollup; undefined when a rolled-up day changed meanwhile. */
export async function rolledDailyStats(figures: RolledFigures, p: Period): Promise<DailyStats[] | undefined> {
  const [started, ended, tasks, incidents] = await Promise.all([
    figures.read('started'), figures.read('ended'), figures.read('finishedTasks'), figures.read('incidents'),
  ]);
  if (!started || !ended || !tasks || !incidents) return undefined;
  return toDaily(p, {
    started: [...groupBy(started, 'day')].map(([day, rows]) => ({ day, n: addUp(rows).total ?? 0 })),
    completed: ended.map((row) => ({ day: row.day, n: row.completed ?? 0, average_duration: meanOf(row.cycle_time ?? 0, row.completed ?? 0) })),
    tasks: tasks.map((row) => ({ day: row.day, n: row.n ?? 0 })),
    incidents: incidents.map((row) => ({ day: row.day, n: row.total ?? 0 })),
  });
}

function toDaily(p: Period, rows: DailyRows): DailyStats[] {
  const byDay = <R extends { day: string }>(list: R[]) => new Map(list.map((r) => [r.day, r]));
  const [s, c, t, i] = [byDay(rows.started), byDay(rows.completed), byDay(rows.tasks), byDay(rows.incidents)];
  return periodDays(p).map((date) => ({
    date,
    instances: s.get(date)?.n ?? 0,
    completed_instances: c.get(date)?.n ?? 0,
    average_duration: ms(c.get(date)?.average_duration),
    tasks_completed: t.get(date)?.n ?? 0,
    incidents: i.get(date)?.n ?? 0,
  }));
}
