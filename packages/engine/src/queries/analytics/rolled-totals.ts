// Turns the sums of rolled-figures.ts into the figure rows the raw queries answer: totals, means from sums and
// counts, and the median from a count of instances per duration, each computed as PostgreSQL computes it.
import type { FigureRows } from './rolled-figures.js';

/** Column by column sums of the rows' numeric columns; a null adds nothing. */
export function addUp(rows: readonly object[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) if (typeof value === 'number') total[name] = (total[name] ?? 0) + value;
  }
  return total;
}

/** The rows by the value of one of their columns, in the order the values first appear. */
export function groupBy<R, K extends keyof R>(rows: readonly R[], by: K): Map<R[K], R[]> {
  const groups = new Map<R[K], R[]>();
  for (const row of rows) {
    const group = groups.get(row[by]);
    if (group) group.push(row);
    else groups.set(row[by], [row]);
  }
  return groups;
}

/** A mean of `sum` over `count`, null when there is nothing to average, as avg() answers. */
export const meanOf = (sum: number | undefined, count: number | undefined): number | null => (count ? (sum ?? 0) / count : null);

/** percentile_cont(0.5) over the durations, given in ascending order with how many instances took each. */
export function medianOf(durations: FigureRows['durations']): number | null {
  const n = durations.reduce((sum, d) => sum + d.instances, 0);
  if (n === 0) return null;
  const position = 0.5 * (n - 1);
  const at = (index: number) => {
    let seen = 0;
    for (const d of durations) {
      seen += d.instances;
      if (index < seen) return d.duration;
    }
    throw new Error('median position outside the durations');
  };
  const [low, high] = [Math.floor(position), Math.ceil(position)];
  const lowValue = at(low);
  return low === high ? lowValue : lowValue + (position - low) * (at(high) - lowValue);
}

/** The instance figures of figures.ts from the rows of instances started. */
export function instanceTotals(rows: FigureRows['started']) {
  const sums = addUp(rows);
  return {
    total: sums.total ?? 0,
    active: sums.active ?? 0,
    suspended: sums.suspended ?? 0,
    completed: sums.completed ?? 0,
    terminated: sums.terminated ?? 0,
    average_duration: meanOf(sums.completed_duration, sums.completed),
  };
}
