// Where tokens wait: the mean time spent at each activity, from the activity history of the period.
import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { average, countDistinct, millis, ms } from './aggregates.js';
import { SCOPE_TYPES } from './activity-kinds.js';
import type { Period } from './period.js';
import { activitiesStartedIn } from './period-rows.js';
import { rolledUpWaits } from './wait-rollup.js';
import type { BottleneckSeverity, ProcessBottleneck } from './types.js';

const HOUR_MS = 3_600_000;

/**
 * Severity by the mean wait at the activity, in absolute time so that it reads the same for every
 * process: a day or more is critical, a working day (8 h) high, an hour medium, anything shorter low.
 */
export const SEVERITY_THRESHOLDS: readonly (readonly [BottleneckSeverity, number])[] = [
  ['critical', 24 * HOUR_MS],
  ['high', 8 * HOUR_MS],
  ['medium', HOUR_MS],
];

export const severityOf = (averageWaitMs: number): BottleneckSeverity =>
  SEVERITY_THRESHOLDS.find(([, threshold]) => averageWaitMs >= threshold)?.[0] ?? 'low';

export type KeyedBottleneck = ProcessBottleneck & { process_definition_key: string };

/** An activity's figures before they are graded. */
export interface ActivityWait {
  process_definition_key: string;
  activity_id: string;
  activity_name: string | null;
  average_wait_time: number | null;
  instances_affected: number;
}

/**
 * Every activity reached in the period at which tokens spent time, longest mean wait first. Tokens
 * still waiting count up to now: a task nobody has touched for a week is the bottleneck to see.
 * Empty when no activity history is kept. Whole past days are read from their rollup where it is current.
 */
export async function activityWaits(ctx: QueryContext, p: Period): Promise<KeyedBottleneck[]> {
  if (ctx.historyLevel === 'none') return [];
  return toBottlenecks((await rolledUpWaits(ctx, p)) ?? (await rawWaits(ctx, p)));
}

/** The same figures from every activity instance of the period. */
export async function rawWaits(ctx: QueryContext, p: Period): Promise<ActivityWait[]> {
  const wait = average(millis(sql.ref('start_time'), sql`coalesce(end_time, ${ctx.now()})`));
  return activitiesStartedIn(ctx, p)
    .where('in_path', '=', true)
    .where('activity_type', 'not in', SCOPE_TYPES)
    .select((eb) => [
      'process_definition_key', 'activity_id',
      eb.fn.max('activity_name').as('activity_name'),
      wait.as('average_wait_time'),
      countDistinct('process_instance_id').as('instances_affected'),
    ])
    .groupBy(['process_definition_key', 'activity_id'])
    .orderBy(wait, 'desc').orderBy('process_definition_key').orderBy('activity_id')
    .execute();
}

const toBottlenecks = (rows: readonly ActivityWait[]): KeyedBottleneck[] =>
  rows
    .map((row) => ({
      process_definition_key: row.process_definition_key,
      activity_id: row.activity_id,
      activity_name: row.activity_name ?? '',
      average_wait_time: ms(row.average_wait_time),
      instances_affected: row.instances_affected,
      severity: severityOf(ms(row.average_wait_time)),
    }))
    .filter((b) => b.average_wait_time > 0);
