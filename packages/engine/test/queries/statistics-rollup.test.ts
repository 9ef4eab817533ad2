// The daily rollup of the statistics answers exactly what the raw rows answer: the summary, the daily series,
// the per-process figures and the performance figures, for periods with whole and partial days, one process
// or all, a caller limited to its tenants, and after rows of rolled-up days change. NOW is 2026-03-10 12:00,
// so days up to 2026-03-08 can be rolled up.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawWaits } from '../../src/queries/analytics/bottlenecks.js';
import { processStats, rolledProcessStats } from '../../src/queries/analytics/by-process.js';
import { dailyStats, rolledDailyStats } from '../../src/queries/analytics/daily.js';
import { rolledUpDays } from '../../src/queries/analytics/day-rollups.js';
import { performanceMetrics, rolledPerformanceMetrics } from '../../src/queries/analytics/performance.js';
import { previousPeriod, resolvePeriod, type Period } from '../../src/queries/analytics/period.js';
import { rolledFigures } from '../../src/queries/analytics/rolled-figures.js';
import { processSummary, rolledSummary } from '../../src/queries/analytics/summary.js';
import { rolledUpWaits } from '../../src/queries/analytics/wait-rollup.js';
import type { QueryContext } from '../../src/queries/query-context.js';
import { testBackends } from '../../src/testing/index.js';
import { NOW, openQueryDatabase, type QueryDatabase } from './query-database.js';
import { PERIODS as ROLLUP_PERIODS, period, seedRollupDefinitions, tenantCaller, ts } from './rollup-periods.js';
import * as seed from './seed-rows.js';

const PERIODS: [string, Period][] = [...ROLLUP_PERIODS, ['the period before the default 30 days', previousPeriod(resolvePeriod({}, NOW))]];

describe.each(testBackends())('statistics rollup on %s', (backend) => {
  let qdb: QueryDatabase;
  let ctx: QueryContext;
  let order: seed.Definition;
  let running: seed.Instance;
  let openTask: { id: string };

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'statistics-rollup');
    ctx = qdb.ctx;
    const { db } = ctx;
    const seeded = await seedRollupDefinitions(db);
    order = seeded.order;
    const { invoice, other } = seeded;
    const step = (inst: seed.Instance, seq: number, activity_id: string, activity_type: string, start: Date, minutes: number | null, more = {}) =>
      seed.activity(db, inst, {
        seq, activity_id, activity_type, start_time: start, status: minutes === null ? 'waiting' : 'completed',
        end_time: minutes === null ? null : new Date(start.getTime() + minutes * 60_000), ...more,
      });
    const after = (t: Date, minutes: number) => new Date(t.getTime() + minutes * 60_000);
    for (let day = 1; day <= 9; day++) {
      const d = String(day).padStart(2, '0');
      for (const [def, hour, user] of [[order, 8, 'bob'], [order, 15, 'carol'], [invoice, 10, 'bob'], [other, 23, 'dave']] as const) {
        const start = ts(`${d}T${String(hour).padStart(2, '0')}:00`);
        // some end the next day, some are terminated, some still run (one of them suspended)
        const minutes = 20 + day * 7 + (hour === 23 ? 90 : 0);
        const inst = day % 4 === 2 && hour === 15
          ? await seed.instance(db, def, { start_time: start, suspension_state: day === 6 ? 'suspended' : 'active' })
          : await seed.endedInstance(db, def, start, minutes, day % 3 === 0 && hour === 8 ? 'terminated' : 'completed');
        await step(inst, 1, 'start', 'startEvent', start, 0);
        const review = await step(inst, 2, 'review', 'userTask', start, inst.end_time ? minutes - 10 : null);
        if (inst.end_time) await step(inst, 3, 'charge', 'serviceTask', after(start, minutes - 10), 10);
        if (day % 2 === 0 && inst.end_time) await step(inst, 4, 'review', 'userTask', after(start, minutes - 5), 5);
        if (day === 5) {
          const body = await step(inst, 5, 'calc', 'scriptTask', start, 6, { in_path: false });
          await step(inst, 6, 'calc', 'scriptTask', start, 3, { parent_activity_instance_id: body.id });
          await step(inst, 7, 'calc', 'scriptTask', after(start, 3), 3, { parent_activity_instance_id: body.id });
        }
        await seed.task(db, inst, {
          activity_instance_id: review.id, tenant_id: def.tenant_id ?? null, created: start, assignee: day % 3 === 1 ? null : user,
          ...(inst.end_time
            ? { status: day === 7 ? 'cancelled' : 'completed', completed_by: day % 2 ? user : null, end_time: after(start, minutes - 10) }
            : { status: day % 2 ? 'created' : 'assigned' }),
          ...(day % 2 ? { due: after(start, 30) } : {}),
        });
        if ((day + hour) % 5 === 0) {
          await seed.incident(db, inst, { incident_timestamp: after(start, 5), status: day % 2 ? 'resolved' : 'open', tenant_id: def.tenant_id ?? null });
        }
      }
    }
    running = await seed.instance(db, order, { start_time: ts('04T12:00') });
    openTask = await seed.task(db, running, { created: ts('04T12:00'), due: ts('05T12:00') });
    // a status neither open nor completed or cancelled: the rollup holds it, as the raw rows count it
    await seed.task(db, running, { created: ts('03T12:00'), status: 'pending' });
    // an instance of the period before, and one of the 30 days before that
    await seed.endedInstance(db, order, ts('01T09:00'), 45);
    await seed.endedInstance(db, order, new Date(NOW.getTime() - 40 * 86_400_000), 75);
  });
  afterAll(() => qdb?.close());

  const compare = async (p: Period, at: QueryContext = ctx) => {
    const figures = await rolledFigures(at, p);
    expect(figures).toBeDefined();
    const rolled = {
      summary: await rolledSummary(figures!),
      daily: await rolledDailyStats(figures!, p),
      byProcess: await rolledProcessStats(at, figures!, []),
      performance: await rolledPerformanceMetrics(at, p, figures!),
    };
    expect(rolled).toEqual({
      summary: await processSummary(at, p),
      daily: await dailyStats(at, p),
      byProcess: await processStats(at, p, []),
      performance: await performanceMetrics(at, p),
    });
    return rolled;
  };

  it.each(PERIODS)('answers as the raw rows over %s', async (_, p) => {
    expect(rolledUpDays(p, NOW)).toBeDefined();
    expect((await compare(p)).summary!.total_instances).toBeGreaterThan(0);
  });

  it('holds every kind of figure in the period compared', async () => {
    const { summary, performance } = await compare(PERIODS[0]![1]);
    expect(summary).toMatchObject({ active_instances: 2, suspended_instances: 1, terminated_instances: 3 });
    expect(summary!.overdue_tasks).toBeGreaterThan(0);
    expect(summary!.resolved_incidents).toBeGreaterThan(0);
    expect(summary!.incidents).toBeGreaterThan(summary!.resolved_incidents);
    expect(performance!.quality.rework_rate).toBeGreaterThan(0);
    expect(performance!.efficiency.processing_time).toBeGreaterThan(0);
    expect(Object.keys(performance!.resource_utilization.human_resources).sort()).toEqual(['bob', 'carol', 'dave']);
  });

  it('answers as the raw rows for a caller limited to its tenants', async () => {
    const limited = { ...ctx, caller: tenantCaller };
    const { byProcess } = await compare(PERIODS[1]![1], limited);
    expect(byProcess!.map((s) => s.process_definition_key).sort()).toEqual(['invoice', 'order']);
  });

  it('answers as the raw rows at history level none', async () => {
    await compare(PERIODS[0]![1], qdb.at('none'));
  });

  it('stays exact as rows of rolled-up days change, arrive and go', async () => {
    const p = PERIODS[0]![1];
    await compare(p);
    await ctx.db.updateTable('tasks').set({ status: 'completed', end_time: ts('06T10:00'), completed_by: 'erin' }).where('id', '=', openTask.id).execute();
    await ctx.db.updateTable('process_instances').set({ status: 'completed', end_time: ts('06T10:00') }).where('id', '=', running.id).execute();
    await compare(p);
    await seed.incident(ctx.db, running, { incident_timestamp: ts('05T09:00') });
    const late = await seed.endedInstance(ctx.db, order, ts('03T07:00'), 600);
    await seed.activity(ctx.db, late, { seq: 1, activity_id: 'charge', activity_type: 'serviceTask', start_time: ts('03T07:00'), end_time: ts('03T17:00') });
    await compare(p);
    await ctx.db.deleteFrom('process_instances').where('id', '=', running.id).execute();
    await ctx.db.updateTable('activity_instances').set({ end_time: ts('04T18:00') }).where('process_instance_id', '=', late.id).execute();
    await compare(p);
  });

  it('reads a changed day raw until it is rolled up again', async () => {
    const p = PERIODS[0]![1];
    const figures = await rolledFigures(ctx, p);
    await seed.endedInstance(ctx.db, order, ts('04T07:00'), 30);
    expect(await rolledSummary(figures!)).toBeUndefined();
    await compare(p);
  });

  it("folds a rolled-up day's changes into one row of their summed weight, every rollup of it staying current", async () => {
    const p = PERIODS[0]![1];
    const changesOf = async (date: string) => (await sql<{ rows: number; weight: number }>`
      select count(*)::int as rows, coalesce(sum(weight), 0)::int as weight from activity_day_changes where date = ${date}::date`.execute(ctx.db)).rows[0]!;
    const late = await seed.instance(ctx.db, order, { start_time: ts('05T07:00') });
    await seed.activity(ctx.db, late, { seq: 1, activity_id: 'pack', start_time: ts('05T07:00'), end_time: ts('05T08:00') });
    const written = await changesOf('2026-03-05');
    expect(written.rows).toBeGreaterThan(1);
    expect(await rolledUpWaits(ctx, p)).toBeDefined();
    await compare(p);
    expect(await changesOf('2026-03-05')).toEqual({ rows: 1, weight: written.weight });
    const { rows: versions } = await sql<{ version: number }>`
      select version from activity_wait_rollups where date = '2026-03-05'
      union all select version from process_statistics_rollups where date = '2026-03-05'`.execute(ctx.db);
    expect(versions).toEqual([{ version: written.weight }, { version: written.weight }]);
    expect(await rolledUpWaits(ctx, p)).toEqual(await rawWaits(ctx, p));
  });

  it('leaves a period of no whole past day to the raw rows', async () => {
    expect(await rolledFigures(ctx, period('09T01:00', '10T12:00'))).toBeUndefined();
  });
});
