// Activity waits from the daily rollup of migration 0010: the whole UTC days of the period that rolledUpDays
// gives come from activity_wait_days, the rest of the period and the tokens still waiting from the
// activity instances themselves. Answers exactly what rawWaits answers, or nothing when a day's rollup is
// not current (a row of it changed meanwhile), for the caller to read the raw rows instead.
import { sql, type SqlBool } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { SCOPE_TYPES } from './activity-kinds.js';
import { millis } from './aggregates.js';
import type { ActivityWait } from './bottlenecks.js';
import { daysCurrent, ofRolledDays, periodEdges, rolledUpDays, rollUpStaleDays, utcDate, type DayRollup } from './day-rollups.js';
import type { Period } from './period.js';
import { activitiesStartedIn } from './period-rows.js';

export const waitRollup: DayRollup = {
  versions: 'activity_wait_rollups',
  rollUp: (day) => sql`roll_up_activity_waits(${day})`,
};

export async function rolledUpWaits(ctx: QueryContext, p: Period): Promise<ActivityWait[] | undefined> {
  const days = rolledUpDays(p, ctx.now());
  if (!days) return undefined;
  const { first, end } = days;
  await rollUpStaleDays(ctx, waitRollup, days);
  // when no rolled-up day holds activities, the raw rows are the shorter read
  const { rows: [reached] } = await sql<{ reached: boolean }>`select exists (
    select 1 from activity_wait_days w where w.date >= ${utcDate(first)} and w.date < ${utcDate(end)}
  ) as reached`.execute(ctx.db);
  if (!reached?.reached) return undefined;
  const ofPeriod = (table: string) => ofRolledDays(ctx, table, days, p);
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
  const raw = periodEdges(p, days).reduce((union, part) => union.unionAll(rawPart(part.from, part.to, false)), rawPart(first, end, true));
  const { rows } = await sql<ActivityWait & { current: boolean }>`
    with raw as (${raw}),
    rolled as (
      select process_definition_key, activity_id, max(activity_name) as activity_name,
             sum(ended) as ended, sum(ended_wait) as ended_wait, sum(instances) as instances
      from activity_wait_days where ${ofPeriod('activity_wait_days')} group by 1, 2),
    repeats as (
      select process_definition_key, activity_id, sum(instances) as instances
      from activity_wait_repeats
      where ${ofPeriod('activity_wait_repeats')} and previous_date >= ${utcDate(first)}
      group by 1, 2),
    raw_sums as (
      select process_definition_key, activity_id, max(activity_name) as activity_name, count(*) as n, sum(wait) as wait
      from raw group by 1, 2),
    -- instances reached outside the rolled-up days and on none of them; one that started after them reached none,
    -- which spares looking up most of the instances of the period's last days (bounded on both sides, so that a
    -- plan made for any period expects a few of them, and hashes them)
    raw_only as (
      select process_definition_key, activity_id, count(distinct process_instance_id) as instances
      from raw r
      where not r.in_rolled_days and (
        r.process_instance_id in (select young.id from process_instances young where young.start_time >= ${end} and young.start_time < ${p.to})
        or not exists (
          select 1 from activity_instances e
          where e.process_instance_id = r.process_instance_id and e.activity_id = r.activity_id
            and e.start_time >= ${first} and e.start_time < ${end} and ${isStep('e')}))
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
    from (select ${daysCurrent(waitRollup, days)} as current) currency
    left join answer on true
    order by average_wait_time desc nulls last, process_definition_key, activity_id`.execute(ctx.db);
  if (!rows[0]?.current) return undefined;
  return rows.filter((row) => row.activity_id !== null).map(({ current: _, ...wait }) => wait);
}
