// One figure of a period read from the daily rollup of migration 0014 and the raw rows together: the rollup's
// rows of the rolled-up days and the raw rows of the rest of the period (and, for what is still open, of the
// rolled-up days too) are summed column by column in one statement, which also checks that every rolled-up
// day it read was at its current version.
import { sql, type AliasedRawBuilder, type Expression, type RawBuilder } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { AUTOMATED_TASK_TYPES, WAITING_TYPES, WORK_TYPES } from './activity-kinds.js';
import { daysCurrent, ofRolledDays, periodEdges, type DayRollup, type RolledDays } from './day-rollups.js';
import type { Period } from './period.js';

export const statisticsRollup: DayRollup = {
  versions: 'process_statistics_rollups',
  rollUp: (day) => sql`roll_up_process_statistics(${day}, ${[...AUTOMATED_TASK_TYPES]}::text[], ${[...WAITING_TYPES]}::text[], ${[...WORK_TYPES]}::text[])`,
};

/**
 * A column of the figure: what a rollup row (alias `s`) holds for it, a column of the table, a constant or an
 * expression, and what a raw row does.
 */
export interface FigureColumn {
  name: string;
  rolled: string | number | RawBuilder<unknown>;
  raw: RawBuilder<unknown>;
}

const rolledValue = (rolled: FigureColumn['rolled']) =>
  typeof rolled === 'number' ? sql.lit(rolled) : typeof rolled === 'string' ? sql.ref(`s.${rolled}`) : rolled;

/** The raw rows of a part of the period, with the given select list. */
export type Rows = (part: Period, select: AliasedRawBuilder<unknown, string>[]) => Expression<unknown>;

export interface Figure {
  table: string;
  /** columns the figure is grouped by, first in `columns` */
  groups: number;
  columns: FigureColumn[];
  /** the raw rows of a part of the period */
  rows: Rows;
  /** the raw rows of the rolled-up days that the rollup leaves out, those still open */
  open?: Rows;
}

export const column = (name: string, rolled: FigureColumn['rolled'], raw: RawBuilder<unknown>): FigureColumn => ({ name, rolled, raw });

/** The figure's sums per group, in the groups' order; undefined when a rolled-up day changed since it was rolled up. */
export async function rolledSums<Row>(ctx: QueryContext, p: Period, days: RolledDays, figure: Figure): Promise<Row[] | undefined> {
  const groups = figure.columns.slice(0, figure.groups).map((c) => sql.ref(c.name));
  const sums = figure.columns.slice(figure.groups).map((c) => sql`sum(${sql.ref(c.name)})::float8 as ${sql.ref(c.name)}`);
  const rolled = sql.join(figure.columns.map((c) => sql`${rolledValue(c.rolled)} as ${sql.ref(c.name)}`));
  const select = figure.columns.map((c) => c.raw.as(c.name));
  const span: Period = { ...p, from: days.first, to: days.end };
  const raw = [...periodEdges(p, days).map((part) => figure.rows(part, select)), ...(figure.open ? [figure.open(span, select)] : [])];
  const { rows } = await sql<Row & { current: boolean; present: boolean | null }>`
    select currency.current, sums.* from (select ${daysCurrent(statisticsRollup, days)} as current) currency
    left join (
      select ${sql.join([...groups, ...sums])}, true as present
      from (
        select ${rolled} from ${sql.table(figure.table)} s where ${ofRolledDays(ctx, 's', days, p)}
        ${sql.join(raw.map((part) => sql`union all (${part})`), sql` `)}
      ) parts
      group by ${groups.length ? sql.join(groups) : sql`()`}
    ) sums on true
    ${groups.length ? sql`order by ${sql.join(groups)}` : sql``}`.execute(ctx.db);
  if (!rows[0]?.current) return undefined;
  return rows.filter((row) => row.present).map(({ current: _, present: __, ...row }) => row as Row);
}
