// The time window an analytics query covers: [from, to), UTC, the last 30 days unless the query says.
import type { StatisticsQuery } from '../../api/engine.js';
import { invalid } from '../../errors.js';
import { timeParam } from '../list-query.js';
import { iso } from '../wire-values.js';
import type { StatisticsPeriod } from './types.js';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
/** the daily series has one entry per day, so the window is bounded */
export const MAX_PERIOD_DAYS = 3660;

export interface Period {
  from: Date;
  to: Date;
  key?: string;
}

export function resolvePeriod(query: StatisticsQuery, now: Date): Period {
  const to = query.to === undefined ? now : timeParam('to', query.to);
  const from = query.from === undefined ? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS) : timeParam('from', query.from);
  if (from >= to) throw invalid('from must be before to', { from: iso(from), to: iso(to) });
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) throw invalid(`A period spans at most ${MAX_PERIOD_DAYS} days`);
  return { from, to, ...(query.process_definition_key === undefined ? {} : { key: query.process_definition_key }) };
}

/** The window of equal length that ends where this one starts. */
export const previousPeriod = (p: Period): Period =>
  ({ ...p, from: new Date(2 * p.from.getTime() - p.to.getTime()), to: p.from });

export const toWirePeriod = (p: Period): StatisticsPeriod => ({ start_date: iso(p.from), end_date: iso(p.to), timezone: 'UTC' });

export const periodHours = (p: Period): number => (p.to.getTime() - p.from.getTime()) / 3_600_000;

/** The UTC days the window touches, as YYYY-MM-DD. */
export function periodDays(p: Period): string[] {
  const days: string[] = [];
  for (let t = Math.floor(p.from.getTime() / DAY_MS) * DAY_MS; t < p.to.getTime(); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
