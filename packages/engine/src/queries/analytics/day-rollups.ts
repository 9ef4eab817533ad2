// What the daily rollups of the analytics (migrations 0010 and 0014) share: which whole days of a period a
// rollup answers for, rolling those days up when first read, the filter that narrows a rollup table to them,
// and the check that every day read was at its current version.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { tenantsOf } from '../../access/caller.js';
import type { QueryContext } from '../query-context.js';
import type { Period } from './period.js';

const DAY_MS = 86_400_000;
/**
 * How long after a day's changes start to be recorded (at the midnight that ends the day after it) the day is
 * rolled up, so that a transaction that wrote to it unrecorded just before has committed (migration 0019).
 */
const SETTLE_MS = 3_600_000;
const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

export interface RolledDays {
  first: Date;
  /** exclusive */
  end: Date;
  count: number;
}

/** Whole UTC days in the period up to the day before yesterday (from 01:00; before, the day before that): [first, end). */
export function rolledUpDays(p: Period, now: Date): RolledDays | undefined {
  const first = floorDay(p.from.getTime() + DAY_MS - 1);
  const end = Math.min(floorDay(p.to.getTime()), floorDay(now.getTime() - SETTLE_MS) - DAY_MS);
  return first < end ? { first: new Date(first), end: new Date(end), count: (end - first) / DAY_MS } : undefined;
}

/** A rollup: the table of the version each rolled-up day was made at, and the call that rolls up days given as text[]. */
export interface DayRollup {
  versions: string;
  rollUp: (days: RawBuilder<unknown>) => RawBuilder<unknown>;
}

/** the UTC date of an instant, as the rollup tables' `date` columns hold it */
export const utcDate = (t: Date) => sql`${t}::timestamptz at time zone 'UTC'`;

/**
 * The current version of each day of `days` that has changes, the summed weight of its changes (migration 0014),
 * and how many rows they are in. Aggregated in one pass over the days' changes, not per day, so that the planner
 * sees a small read (a misestimate made PostgreSQL compile a plan per call with JIT, 100 ms and more).
 */
const dayVersions = (days: RolledDays) => sql`(
  select date, sum(weight) as version, count(*) as changes from activity_day_changes
  where date >= ${utcDate(days.first)} and date < ${utcDate(days.end)} group by date)`;

/** Whether the version table holds every day of `days` at its current version. */
export const daysCurrent = (rollup: DayRollup, days: RolledDays): RawBuilder<boolean> => sql<boolean>`(
  select count(*) = ${days.count} from ${sql.table(rollup.versions)} r left join ${dayVersions(days)} c on c.date = r.date
  where r.date >= ${utcDate(days.first)} and r.date < ${utcDate(days.end)} and r.version = coalesce(c.version, 0))`;

/**
 * Rolls up the days whose rollup is missing or not current, which folds their changes into one row, and folds
 * those of the other days that have several (a rollup made before migration 0014, or another rollup's day).
 */
export async function rollUpStaleDays(ctx: QueryContext, rollup: DayRollup, days: RolledDays): Promise<void> {
  const { rows: [state] } = await sql<{ stale: string[] | null; scattered: string[] | null }>`
    select array_agg(d.date::text) filter (where r.version is distinct from coalesce(c.version, 0)) as stale,
           array_agg(d.date::text) filter (where r.version = coalesce(c.version, 0) and c.changes > 1) as scattered
    from (select g::date as date from generate_series(${utcDate(days.first)}, ${utcDate(days.end)} - interval '1 day', interval '1 day') g) d
    left join ${dayVersions(days)} c on c.date = d.date
    left join ${sql.table(rollup.versions)} r on r.date = d.date`
    .execute(ctx.db);
  if (state?.stale) await sql`select count(${rollup.rollUp(sql`d::date`)}) from unnest(${state.stale}::text[]) d`.execute(ctx.db);
  if (state?.scattered) await sql`select count(compact_day_changes(d::date)) from unnest(${state.scattered}::text[]) d`.execute(ctx.db);
}

/** The rows of a rollup table (by `alias`) of the days, narrowed to the period's process and the caller's tenants. */
export const ofRolledDays = (ctx: QueryContext, alias: string, days: RolledDays, p: Period): RawBuilder<SqlBool> => {
  const tenants = tenantsOf(ctx.caller);
  return sql<SqlBool>`${sql.join([
    sql`${sql.ref(`${alias}.date`)} >= ${utcDate(days.first)}`,
    sql`${sql.ref(`${alias}.date`)} < ${utcDate(days.end)}`,
    ...(p.key === undefined ? [] : [sql`${sql.ref(`${alias}.process_definition_key`)} = ${p.key}`]),
    ...(tenants === undefined ? [] : [sql`${sql.ref(`${alias}.tenant_id`)} in (${sql.join(['', ...tenants])})`]),
  ], sql` and `)}`;
};

/** The parts of the period outside the rolled-up days, each read from the raw rows. */
export const periodEdges = (p: Period, days: RolledDays): Period[] =>
  [{ ...p, to: days.first }, { ...p, from: days.end }].filter((part) => part.from < part.to);
