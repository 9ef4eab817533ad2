// The seed names a TrendAnalysis without defining it: here it is the period's headline figures set
// against those of the period of equal length just before it.
import { ratio } from './aggregates.js';
import { toWirePeriod, type Period } from './period.js';
import type { ProcessSummary, TrendAnalysis, TrendFigure } from './types.js';

export function trendAnalysis(current: ProcessSummary, previous: ProcessSummary, previousPeriod: Period): TrendAnalysis {
  const figure = (pick: (s: ProcessSummary) => number): TrendFigure => {
    const [now, before] = [pick(current), pick(previous)];
    return {
      current: now,
      previous: before,
      change: now - before,
      ...(before === 0 ? {} : { change_rate: ratio(now - before, before) }),
    };
  };
  return {
    previous_period: toWirePeriod(previousPeriod),
    instances: figure((s) => s.total_instances),
    completed_instances: figure((s) => s.completed_instances),
    average_duration: figure((s) => s.average_duration),
    incidents: figure((s) => s.incidents),
    completed_tasks: figure((s) => s.completed_tasks),
  };
}
