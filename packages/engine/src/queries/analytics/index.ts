// The analytics endpoints: GET /statistics, /tasks/statistics, /performance and /bottlenecks. Every
// figure is computed from the stored rows of the period; see types.ts for what each means.
import type { StatisticsQuery } from '../../api/engine.js';
import { activityWaits } from './bottlenecks.js';
import { processStats } from './by-process.js';
import { dailyStats } from './daily.js';
import { performanceMetrics } from './performance.js';
import { previousPeriod, resolvePeriod, toWirePeriod } from './period.js';
import { processSummary } from './summary.js';
import { taskStatisticsOf } from './task-statistics.js';
import { trendAnalysis } from './trend.js';
import type { BottleneckReport, PerformanceReport, ProcessStatistics, TaskStatistics } from './types.js';
import type { QueryContext } from '../query-context.js';

export async function statistics(ctx: QueryContext, query: StatisticsQuery = {}): Promise<ProcessStatistics> {
  const period = resolvePeriod(query, ctx.now());
  const before = previousPeriod(period);
  const [summary, previous, waits, byDay, performance] = await Promise.all([
    processSummary(ctx, period),
    processSummary(ctx, before),
    activityWaits(ctx, period),
    dailyStats(ctx, period),
    performanceMetrics(ctx, period),
  ]);
  return {
    period: toWirePeriod(period),
    summary,
    by_process: await processStats(ctx, period, waits),
    by_day: byDay,
    performance_metrics: performance,
    trend_analysis: trendAnalysis(summary, previous, before),
  };
}

export async function taskStatistics(ctx: QueryContext, query: StatisticsQuery = {}): Promise<TaskStatistics> {
  return taskStatisticsOf(ctx, resolvePeriod(query, ctx.now()));
}

export async function performance(ctx: QueryContext, query: StatisticsQuery = {}): Promise<PerformanceReport> {
  const period = resolvePeriod(query, ctx.now());
  return { period: toWirePeriod(period), performance_metrics: await performanceMetrics(ctx, period) };
}

/** Every activity of the period where tokens spent time, longest mean wait first. */
export async function bottlenecks(ctx: QueryContext, query: StatisticsQuery = {}): Promise<BottleneckReport> {
  const period = resolvePeriod(query, ctx.now());
  return { period: toWirePeriod(period), bottlenecks: await activityWaits(ctx, period) };
}
