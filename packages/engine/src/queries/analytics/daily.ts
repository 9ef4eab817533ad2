// The period day by day (UTC): what started, completed and was raised on each day, with days of no
// activity as zeros so that a chart has no gaps.
import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { average, count, millis, ms, utcDay } from './aggregates.js';
import { periodDays, type Period } from './period.js';
import { incidentsRaisedIn, instancesEndedIn, instancesStartedIn, tasksEndedIn } from './period-rows.js';
import type { DailyStats } from './types.js';

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
  const byDay = <R extends { day: string }>(rows: R[]) => new Map(rows.map((r) => [r.day, r]));
  const [s, c, t, i] = [byDay(started), byDay(completed), byDay(tasks), byDay(incidents)];
  return periodDays(p).map((date) => ({
    date,
    instances: s.get(date)?.n ?? 0,
    completed_instances: c.get(date)?.n ?? 0,
    average_duration: ms(c.get(date)?.average_duration),
    tasks_completed: t.get(date)?.n ?? 0,
    incidents: i.get(date)?.n ?? 0,
  }));
}
