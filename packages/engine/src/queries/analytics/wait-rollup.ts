// Activity waits from the daily rollup of migration 0010: the whole UTC days of the period that are over by
// two full days come from activity_wait_days, the rest of the period and the tokens still waiting from the
// activity instances themselves. Answers exactly what rawWaits answers, or nothing when a day's rollup is
// not current (a row of it changed meanwhile), for the caller to read the raw rows instead.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { tenantsOf } from '../../access/caller.js';
import type { QueryContext } from '../query-context.js';
import { SCOPE_TYPES } from './activity-kinds.js';
import { millis } from './aggregates.js';
import type { ActivityWait } from './bottlenecks.js';
import type { Period } from './period.js';
import { activitiesStartedIn } from './period-rows.js';

const DAY_MS = 86_400_000;
const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

/** Whole UTC days in the period, before the day before yesterday: [first, end). */
export function rolledUpDays(p: Period, now: Date): { first: Date; end: Date; count: number } | undefined {
  const first = floorDay(p.from.getTime() + DAY_MS - 1);
  const end = Math.min(floorDay(p.to.getTime()), floorDay(now.getTime()) - 2 * DAY_MS);
  return first < end ? { first: new Date(first), end: new Date(end), count: (end - first) / DAY_MS } : undefined;
}

/**
 * Rolls up the days of [first, end) whose rollup is missing or not current, and answers whether any of them
 * holds activities: when none does, the raw rows are the shorter read.
 */
async function rollUpDays(ctx: QueryContext, first: Date, end: Date): Promise<boolean> {
  const day = (t: Date) => sql`${t}::timestamptz at time zone 'UTC'`;
  const reached = sql<boolean>`exists (select 1 from activity_wait_days w where w.date >= ${day(first)} and w.date < ${day(end)})`;
  const { rows: [state] } = await sql<{ stale: string[] | null; reached: boolean }>`
    select array_agg(d.date::text) filter (where not exists (
             select 1 from activity_wait_rollups r where r.date = d.date
               and r.version = (select count(*) from activity_day_changes c where c.date = d.date))) as stale,
           ${reached} as reached
    from (select g::date as date from generate_series(${day(first)}, ${day(end)} - interval '1 day', interval '1 day') g) d`.execute(ctx.db);
  if (!state?.stale) return state?.reached ?? false;
  await sql`select count(roll_up_activity_waits(d::date)) from unnest(${state.stale}::text[]) d`.execute(ctx.db);
  // a statement does not see what the functions it calls wrote: asked again
  const { rows: [after] } = await sql<{ reached: boolean }>`select ${reached} as reached`.execute(ctx.db);
  return after?.reached ?? false;
}

export async function rolledUpWaits(ctx: QueryContext, p: Period): Promise<ActivityWait[] | undefined> {
  const days = rolledUpDays(p, ctx.now());
  if (!days) return undefined;
  const { first, end } = days;
  if (!(await rollUpDays(ctx, first, end))) return undefined;
  const tenants = tenantsOf(ctx.caller);
  const ofPeriod = (table: string): RawBuilder<SqlBool> => sql<SqlBool>`${sql.join([
    sql`${sql.ref(`${table}.date`)} >= ${first}::timestamptz at time zone 'UTC'`,
    sql`${sql.ref(`${table}.date`)} < ${end}::timestamptz at time zone 'UTC'`,
    ...(p.key === undefined ? [] : [sql`${sql.ref(`${table}.process_definition_key`)} = ${p.key}`]),
    ...(tenants === undefined ? [] : [sql`${sql.ref(`${table}.tenant_id`)} in (${sql.join(['', ...tenants])})`]),
  ], sql` and `)}`;
  const isStep = (alias: string) =>
    sql<SqlBool>`${sql.ref(`${alias}.in_path`)} and ${sql.ref(`${alias}.activity_type`)} not in (${sql.join(SCOPE_TYPES)})`;
  // the rest of the period, and the tokens of the rolled-up days still waiting, whose wait grows until they leave;
  // each part read through its own index
  const rawPart = (from: Date, to: Date, inRolledDays: boolean) => activitiesStartedIn(ctx, { ...p, from, to })
    .where(isStep('activity_instances'))
    .$if(inRolledDays, (qb) => qb.where('end_time', 'is', null))
    .select([
      'process_definition_key', 'activity_id', 'activity_name', 'process_instance_id',
      millis(sql.ref('start_time'), sql`coalesce(end_time, ${ctx.now()})`).as('wait'),
      sql.lit(inRolledDays).as('in_rolled_days'),
    ]);
  const raw = rawPart(p.from, first, false).unionAll(rawPart(end, p.to, false)).unionAll(rawPart(first, end, true));
  const { rows } = await sql<ActivityWait & { current: boolean }>`
    with raw as (${raw}),
    rolled as (
      select process_definition_key, activity_id, max(activity_name) as activity_name,
             sum(ended) as ended, sum(ended_wait) as ended_wait, sum(instances) as instances
      from activity_wait_days where ${ofPeriod('activity_wait_days')} group by 1, 2),
    repeats as (
      select process_definition_key, activity_id, sum(instances) as instances
      from activity_wait_repeats
      where ${ofPeriod('activity_wait_repeats')} and previous_date >= ${first}::timestamptz at time zone 'UTC'
      group by 1, 2),
    raw_sums as (
      select process_definition_key, activity_id, max(activity_name) as activity_name, count(*) as n, sum(wait) as wait
      from raw group by 1, 2),
    -- instances reached outside the rolled-up days and on none of them
    raw_only as (
      select process_definition_key, activity_id, count(distinct process_instance_id) as instances
      from raw r
      where not r.in_rolled_days and not exists (
        select 1 from activity_instances e
        where e.process_instance_id = r.process_instance_id and e.activity_id = r.activity_id
          and e.start_time >= ${first} and e.start_time < ${end} and ${isStep('e')})
      group by 1, 2),
    keys as (select process_definition_key, activity_id from rolled union select process_definition_key, activity_id from raw_sums),
    answer as (
      select k.process_definition_key, k.activity_id, greatest(rolled.activity_name, raw_sums.activity_name) as activity_name,
             ((coalesce(rolled.ended_wait, 0) + coalesce(raw_sums.wait, 0))
               / nullif(coalesce(rolled.ended, 0) + coalesce(raw_sums.n, 0), 0))::float8 as average_wait_time,
             (coalesce(rolled.instances, 0) - coalesce(repeats.instances, 0) + coalesce(raw_only.instances, 0))::int as instances_affected
      from keys k
      left join rolled using (process_definition_key, activity_id)
      left join repeats using (process_definition_key, activity_id)
      left join raw_sums using (process_definition_key, activity_id)
      left join raw_only using (process_definition_key, activity_id))
    -- whether every rolled-up day was read at its current version, on a row of its own when nothing was reached
    select answer.*, currency.current
    from (
      select count(*) = ${days.count} as current from activity_wait_rollups r
      where r.date >= ${first}::timestamptz at time zone 'UTC' and r.date < ${end}::timestamptz at time zone 'UTC'
        and r.version = (select count(*) from activity_day_changes c where c.date = r.date)
    ) currency
    left join answer on true
    order by average_wait_time desc nulls last, process_definition_key, activity_id`.execute(ctx.db);
  if (!rows[0]?.current) return undefined;
  return rows.filter((row) => row.activity_id !== null).map(({ current: _, ...wait }) => wait);
}
