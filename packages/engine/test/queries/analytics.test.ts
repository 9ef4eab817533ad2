// One seeded history, small enough to work every figure out by hand (the comments show the sums).
// Period: 2026-03-08 00:00 to 2026-03-10 00:00 UTC (48 h); NOW is 2026-03-10 12:00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatisticsQuery } from '../../src/api/engine.js';
import { EngineError } from '../../src/errors.js';
import { severityOf } from '../../src/queries/analytics/bottlenecks.js';
import { bottlenecks, performance, statistics, taskStatistics } from '../../src/queries/analytics/index.js';
import { testBackends } from '../../src/testing/index.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

const ts = (text: string) => new Date(`2026-03-${text}:00.000Z`);
const MIN = 60_000;
const PERIOD: StatisticsQuery = { from: '2026-03-08T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' };

describe('bottleneck severity', () => {
  it('grades the mean wait by the documented thresholds', () => {
    expect([24 * 60, 8 * 60, 8 * 60 - 1, 60, 59].map((m) => severityOf(m * MIN))).toEqual(['critical', 'high', 'medium', 'medium', 'low']);
  });
});

describe.each(testBackends())('analytics on %s', (backend) => {
  let qdb: QueryDatabase;

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'analytics');
    const { db } = qdb.ctx;
    await seed.definition(db, { key: 'order', name: 'Order', version: 1 });
    const order = await seed.definition(db, { key: 'order', name: 'Order v2', version: 2 });
    const invoice = await seed.definition(db, { key: 'invoice', name: 'Invoice' });
    const step = (inst: seed.Instance, seq: number, activity_id: string, activity_type: string, start: string, end?: string, more = {}) =>
      seed.activity(db, inst, { seq, activity_id, activity_type, start_time: ts(start), end_time: end ? ts(end) : null, status: end ? 'completed' : 'waiting', ...more });

    // order A: 60 min, review 40 (on time) + charge 20
    const a = await seed.endedInstance(db, order, ts('08T09:00'), 60);
    await step(a, 1, 'start', 'startEvent', '08T09:00', '08T09:00');
    await step(a, 2, 'review', 'userTask', '08T09:00', '08T09:40', { activity_name: 'Review' });
    await step(a, 3, 'charge', 'serviceTask', '08T09:40', '08T10:00');
    await seed.task(db, a, { assignee: 'bob', completed_by: 'bob', status: 'completed', created: ts('08T09:00'), end_time: ts('08T09:40'), due: ts('08T10:00') });
    // order B: 120 min, review 100 (late) + charge 20, one incident (resolved)
    const b = await seed.endedInstance(db, order, ts('08T09:30'), 120);
    await step(b, 1, 'start', 'startEvent', '08T09:30', '08T09:30');
    await step(b, 2, 'review', 'userTask', '08T09:30', '08T11:10', { activity_name: 'Review' });
    await step(b, 3, 'charge', 'serviceTask', '08T11:10', '08T11:30');
    await seed.task(db, b, { assignee: 'carol', completed_by: 'carol', status: 'completed', created: ts('08T09:30'), end_time: ts('08T11:10'), due: ts('08T10:30') });
    await seed.incident(db, b, { incident_timestamp: ts('08T10:00'), status: 'resolved', resolved_at: ts('08T10:05') });
    // order C: running, review open since 09T14:00 (22 h to NOW), unassigned and overdue
    const c = await seed.instance(db, order, { start_time: ts('09T14:00') });
    await step(c, 1, 'review', 'userTask', '09T14:00', undefined, { activity_name: 'Review' });
    await seed.task(db, c, { created: ts('09T14:00'), due: ts('09T18:00') });
    // order D: terminated after 10 min; order E: running, suspended
    await seed.endedInstance(db, order, ts('09T15:00'), 10, 'externally_terminated');
    await seed.instance(db, order, { start_time: ts('09T16:00'), suspension_state: 'suspended' });
    // invoice F: 30 min, a multi-instance script task (body + two inner instances of 15 min)
    const f = await seed.endedInstance(db, invoice, ts('09T09:00'), 30);
    const body = await step(f, 1, 'calc', 'scriptTask', '09T09:00', '09T09:30', { in_path: false });
    await step(f, 2, 'calc', 'scriptTask', '09T09:00', '09T09:15', { parent_activity_instance_id: body.id });
    await step(f, 3, 'calc', 'scriptTask', '09T09:15', '09T09:30', { parent_activity_instance_id: body.id });
    // invoice G: 40 min, fix 10 → check 10 → fix again 20 (rework)
    const g = await seed.endedInstance(db, invoice, ts('09T10:00'), 40);
    await step(g, 1, 'fix', 'userTask', '09T10:00', '09T10:10');
    await step(g, 2, 'check', 'serviceTask', '09T10:10', '09T10:20');
    await step(g, 3, 'fix', 'userTask', '09T10:20', '09T10:40');
    // the period before: one order completed in 30 min
    await seed.endedInstance(db, order, ts('07T10:00'), 30);
  });
  afterAll(() => qdb?.close());

  it('summarises what began in the period, in the state it has now', async () => {
    const stats = await statistics(qdb.ctx, PERIOD);
    expect(stats.period).toEqual({ start_date: PERIOD.from, end_date: PERIOD.to, timezone: 'UTC' });
    expect(stats.summary).toEqual({
      total_instances: 7, active_instances: 1, completed_instances: 4, terminated_instances: 1, suspended_instances: 1,
      average_duration: 62.5 * MIN, // (60 + 120 + 30 + 40) / 4
      median_duration: 50 * MIN, // (40 + 60) / 2
      total_tasks: 3, completed_tasks: 2, open_tasks: 1, overdue_tasks: 1,
      incidents: 1, resolved_incidents: 1,
    });
  });

  it('breaks the figures down per process, busiest first, with its worst waits', async () => {
    const { by_process } = await statistics(qdb.ctx, PERIOD);
    expect(by_process.map((p) => p.process_definition_key)).toEqual(['order', 'invoice']);
    expect(by_process[0]).toEqual({
      process_definition_key: 'order', process_definition_name: 'Order v2',
      instances: 5, active_instances: 1, completed_instances: 2, average_duration: 90 * MIN,
      success_rate: 0.6667, // 2 completed of 3 ended
      tasks: 3, completed_tasks: 2, open_tasks: 1,
      bottlenecks: [
        // (40 + 100 + 1320) / 3 min, the open review counted up to now
        { activity_id: 'review', activity_name: 'Review', average_wait_time: (1460 / 3) * MIN, instances_affected: 3, severity: 'high' },
        { activity_id: 'charge', activity_name: '', average_wait_time: 20 * MIN, instances_affected: 2, severity: 'low' },
      ],
    });
    expect(by_process[1]).toMatchObject({ process_definition_key: 'invoice', instances: 2, completed_instances: 2, average_duration: 35 * MIN, success_rate: 1, tasks: 0 });
  });

  it('lists every day of the period, events counted on the day they happened', async () => {
    const { by_day } = await statistics(qdb.ctx, PERIOD);
    expect(by_day).toEqual([
      { date: '2026-03-08', instances: 2, completed_instances: 2, average_duration: 90 * MIN, tasks_completed: 2, incidents: 1 },
      { date: '2026-03-09', instances: 5, completed_instances: 2, average_duration: 35 * MIN, tasks_completed: 0, incidents: 0 },
    ]);
  });

  it('computes throughput, efficiency, quality and resource figures', async () => {
    const { performance_metrics: m } = await statistics(qdb.ctx, PERIOD);
    expect(m.throughput).toEqual({ instances_per_hour: 0.1458, tasks_per_hour: 0.0417, peak_load_time: '09:00', capacity_utilization: 0 });
    expect(m.efficiency).toEqual({
      cycle_time: 62.5 * MIN,
      lead_time: Math.round((2780 / 7) * MIN), // 60 + 120 + 1320 + 10 + 1200 + 30 + 40 minutes, open ones up to now
      processing_time: 20 * MIN, // (20 + 20 + 30 + 10) / 4 completed instances
      wait_time: 42.5 * MIN, // (40 + 100 + 30) / 4
      automation_rate: 0.5556, // 5 automated of 9 units of work
    });
    expect(m.quality).toEqual({
      first_pass_yield: 0.6, // A, F, G of the 5 ended
      rework_rate: 0.2, // G; F's multi-instance repeats are no rework
      error_rate: 0.1429, // B of 7
      sla_compliance: 0.5, // A on time, B late
    });
    expect(m.resource_utilization).toEqual({
      human_resources: { bob: 1, carol: 1 }, system_resources: { scriptTask: 2, serviceTask: 3 }, cost_per_instance: 0,
    });
  });

  it('sets the period against the one before it', async () => {
    const { trend_analysis: trend } = await statistics(qdb.ctx, PERIOD);
    expect(trend.previous_period).toEqual({ start_date: '2026-03-06T00:00:00.000Z', end_date: PERIOD.from, timezone: 'UTC' });
    expect(trend.instances).toEqual({ current: 7, previous: 1, change: 6, change_rate: 6 });
    expect(trend.average_duration).toEqual({ current: 62.5 * MIN, previous: 30 * MIN, change: 32.5 * MIN, change_rate: 1.0833 });
    expect(trend.incidents).toEqual({ current: 1, previous: 0, change: 1 });
  });

  it('narrows everything to one process key', async () => {
    const stats = await statistics(qdb.ctx, { ...PERIOD, process_definition_key: 'invoice' });
    expect(stats.summary).toMatchObject({ total_instances: 2, completed_instances: 2, total_tasks: 0, incidents: 0 });
    expect(stats.by_process.map((p) => p.process_definition_key)).toEqual(['invoice']);
    expect(stats.by_day.map((d) => d.instances)).toEqual([0, 2]);
    expect(stats.performance_metrics.quality.rework_rate).toBe(0.5);
  });

  it('ranks every waiting activity in the bottleneck report', async () => {
    const report = await bottlenecks(qdb.ctx, PERIOD);
    expect(report.bottlenecks.map((b) => [b.process_definition_key, b.activity_id, b.average_wait_time / MIN, b.instances_affected])).toEqual([
      ['order', 'review', Math.round((1460 / 3) * MIN) / MIN, 3],
      ['order', 'charge', 20, 2],
      ['invoice', 'calc', 15, 1],
      ['invoice', 'fix', 15, 1],
      ['invoice', 'check', 10, 1],
    ]);
  });

  it('answers the performance report alone', async () => {
    const report = await performance(qdb.ctx, PERIOD);
    expect(report.period.start_date).toBe(PERIOD.from);
    expect(report.performance_metrics.efficiency.cycle_time).toBe(62.5 * MIN);
  });

  it('computes task statistics overall, per assignee and per task', async () => {
    expect(await taskStatistics(qdb.ctx, PERIOD)).toEqual({
      period: { start_date: PERIOD.from, end_date: PERIOD.to, timezone: 'UTC' },
      total: 3, open: 1, completed: 2, cancelled: 0, overdue: 1, unassigned: 1, average_completion_time: 70 * MIN,
      by_assignee: [
        { assignee: 'bob', total: 1, open: 0, completed: 1, cancelled: 0, overdue: 0, unassigned: 0, average_completion_time: 40 * MIN },
        { assignee: 'carol', total: 1, open: 0, completed: 1, cancelled: 0, overdue: 0, unassigned: 0, average_completion_time: 100 * MIN },
      ],
      by_task: [
        { process_definition_key: 'order', task_definition_key: 'review', name: 'Review', total: 3, open: 1, completed: 2, cancelled: 0, overdue: 1, unassigned: 1, average_completion_time: 70 * MIN },
      ],
    });
  });

  it('leaves the figures that need activity history empty when none is kept', async () => {
    const none = qdb.at('none');
    const stats = await statistics(none, PERIOD);
    expect(stats.by_process.every((p) => p.bottlenecks.length === 0)).toBe(true);
    expect(stats.performance_metrics.efficiency).toMatchObject({ processing_time: 0, wait_time: 0, automation_rate: 0 });
    expect(stats.performance_metrics.quality.rework_rate).toBe(0);
    expect(stats.performance_metrics.resource_utilization.system_resources).toEqual({});
    expect((await bottlenecks(none, PERIOD)).bottlenecks).toEqual([]);
    expect(stats.summary.total_instances).toBe(7);
  });

  it('covers the last 30 days by default and refuses a reversed or unreadable period', async () => {
    const stats = await statistics(qdb.ctx);
    expect(stats.period).toEqual({ start_date: '2026-02-08T12:00:00.000Z', end_date: '2026-03-10T12:00:00.000Z', timezone: 'UTC' });
    expect(stats.by_day).toHaveLength(31);
    expect(stats.summary.total_instances).toBe(8);
    for (const query of [{ from: PERIOD.to, to: PERIOD.from }, { from: 'last week' }]) {
      await expect(statistics(qdb.ctx, query)).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'VALIDATION_ERROR');
    }
  });
});
