// The analytics endpoints: GET /statistics, /tasks/statistics, /performance and /bottlenecks. Every
// figure is computed from the stored rows of the period, the whole past days of it from their daily rollups
// where those are current; see types.ts for what each means.
import type { StatisticsQuery } from '../../api/engine.js';
import { activityWaits } from './bottlenecks.js';
import { processStats, rolledProcessStats } from './by-process.js';
import { dailyStats, rolledDailyStats } from './daily.js';
import { performanceMetrics, rolledPerformanceMetrics } from './performance.js';
import { previousPeriod, resolvePeriod, toWirePeriod, type Period } from './period.js';
import { rolledFigures, type RolledFigures } from './rolled-figures.js';
import { processSummary, rolledSummary } from './summary.js';
import { taskStatisticsOf } from './task-statistics.js';
import { trendAnalysis } from './trend.js';
import type { BottleneckReport, PerformanceReport, ProcessStatistics, TaskStatistics } from './types.js';
import type { QueryContext } from '../query-context.js';

/** The rollup's answer when there is one and it is current, else the raw rows'. */
const rolledOrRaw = async <T>(rolled: Promise<T | undefined> | undefined, raw: () => Promise<T>): Promise<T> => (await rolled) ?? raw();

export async function statistics(ctx: QueryContext, query: StatisticsQuery = {}): Promise<ProcessStatistics> {
  const period = resolvePeriod(query, ctx.now());
  const before = previousPeriod(period);
  const [figures, figuresBefore] = await Promise.all([rolledFigures(ctx, period), rolledFigures(ctx, before)]);
  const [summary, previous, waits, byDay, performance] = await Promise.all([
    rolledOrRaw(figures && rolledSummary(figures), () => processSummary(ctx, period)),
    rolledOrRaw(figuresBefore && rolledSummary(figuresBefore), () => processSummary(ctx, before)),
    activityWaits(ctx, period),
    rolledOrRaw(figures && rolledDailyStats(figures, period), () => dailyStats(ctx, period)),
    performanceOf(ctx, period, figures),
  ]);
  return {
    period: toWirePeriod(period),
    summary,
    by_process: await rolledOrRaw(figures && rolledProcessStats(ctx, figures, waits), () => processStats(ctx, period, waits)),
    by_day: byDay,
    performance_metrics: performance,
    trend_analysis: trendAnalysis(summary, previous, before),
  };
}

const performanceOf = (ctx: QueryContext, p: Period, figures: RolledFigures | undefined) =>
  rolledOrRaw(figures && rolledPerformanceMetrics(ctx, p, figures), () => performanceMetrics(ctx, p));

export async function taskStatistics(ctx: QueryContext, query: StatisticsQuery = {}): Promise<TaskStatistics> {
  return taskStatisticsOf(ctx, resolvePeriod(query, ctx.now()));
}

export async function performance(ctx: QueryContext, query: StatisticsQuery = {}): Promise<PerformanceReport> {
  const period = resolvePeriod(query, ctx.now());
  return { period: toWirePeriod(period), performance_metrics: await performanceOf(ctx, period, await rolledFigures(ctx, period)) };
}

/** Every activity of the period where tokens spent time, longest mean wait first. */
export async function bottlenecks(ctx: QueryContext, query: StatisticsQuery = {}): Promise<BottleneckReport> {
  const period = resolvePeriod(query, ctx.now());
  return { period: toWirePeriod(period), bottlenecks: await activityWaits(ctx, period) };
}
