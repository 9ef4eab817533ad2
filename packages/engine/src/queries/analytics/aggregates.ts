// SQL aggregate fragments shared by the analytics queries, cast so that both drivers answer numbers:
// count(*) is int8 and extract() numeric, which postgres.js returns as strings (STACK.md).
import { sql, type Expression, type RawBuilder } from 'kysely';

export const count = (): RawBuilder<number> => sql<number>`count(*)::int`;

export const countWhere = (condition: Expression<unknown>): RawBuilder<number> =>
  sql<number>`(count(*) filter (where ${condition}))::int`;

export const countDistinct = (column: string): RawBuilder<number> => sql<number>`count(distinct ${sql.ref(column)})::int`;

/** Milliseconds from one timestamp to another. */
export const millis = (start: Expression<unknown>, end: Expression<unknown>): RawBuilder<number> =>
  sql<number>`(extract(epoch from (${end} - ${start})) * 1000)::float8`;

export const average = (value: Expression<unknown>): RawBuilder<number | null> => sql<number | null>`avg(${value})::float8`;

export const avgWhere = (value: Expression<unknown>, condition: Expression<unknown>): RawBuilder<number | null> =>
  sql<number | null>`(avg(${value}) filter (where ${condition}))::float8`;

export const medianWhere = (value: Expression<unknown>, condition: Expression<unknown>): RawBuilder<number | null> =>
  sql<number | null>`(percentile_cont(0.5) within group (order by ${value}) filter (where ${condition}))::float8`;

export const sumWhere = (value: Expression<unknown>, condition: Expression<unknown>): RawBuilder<number | null> =>
  sql<number | null>`(sum(${value}) filter (where ${condition}))::float8`;

/** A timestamp's hour of the day in UTC, 0 to 23. */
export const utcHour = (column: string): RawBuilder<number> => sql<number>`extract(hour from ${sql.ref(column)} at time zone 'UTC')::int`;

/** A timestamp's UTC calendar day, YYYY-MM-DD. */
export const utcDay = (column: string): RawBuilder<string> => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`;

/** A duration on the wire: whole milliseconds, 0 when there was nothing to measure. */
export const ms = (value: number | null | undefined): number => Math.round(value ?? 0);

/** A rate on the wire: part / whole to four decimals, 0 when the whole is empty (nothing to rate). */
export const ratio = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);
