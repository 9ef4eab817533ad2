// The daily rollup of activity waits answers exactly what the activity instances answer, for periods with
// whole and partial days, one process or all, a caller limited to its tenants, and after rows of rolled-up
// days change. NOW is 2026-03-10 12:00, so days up to 2026-03-08 can be rolled up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawWaits } from '../../src/queries/analytics/bottlenecks.js';
import type { Period } from '../../src/queries/analytics/period.js';
import { rolledUpDays } from '../../src/queries/analytics/day-rollups.js';
import { rolledUpWaits } from '../../src/queries/analytics/wait-rollup.js';
import type { QueryContext } from '../../src/queries/query-context.js';
import { testBackends } from '../../src/testing/index.js';
import { NOW, openQueryDatabase, type QueryDatabase } from './query-database.js';
import { PERIODS, period, seedRollupDefinitions, tenantCaller, ts } from './rollup-periods.js';
import * as seed from './seed-rows.js';

describe.each(testBackends())('activity wait rollup on %s', (backend) => {
  let qdb: QueryDatabase;
  let ctx: QueryContext;
  let repeated: seed.Instance;
  let waiting: { id: string };
  let order: seed.Definition;

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'wait-rollup');
    ctx = qdb.ctx;
    const { db } = ctx;
    const seeded = await seedRollupDefinitions(db);
    order = seeded.order;
    const { invoice, other } = seeded;
    const step = (inst: seed.Instance, seq: number, activity_id: string, start: string, end: string | null, more = {}) =>
      seed.activity(db, inst, { seq, activity_id, activity_name: activity_id, start_time: ts(start), end_time: end ? ts(end) : null, status: end ? 'completed' : 'waiting', ...more });
    // a review a day, of varying lengths, some still waiting
    for (let day = 1; day <= 9; day++) {
      const d = String(day).padStart(2, '0');
      for (const [def, hour] of [[order, '08'], [order, '14'], [invoice, '10'], [other, '11']] as const) {
        const inst = await seed.instance(db, def, { start_time: ts(`${d}T${hour}:00`) });
        await step(inst, 1, 'start', `${d}T${hour}:00`, `${d}T${hour}:00`, { activity_type: 'startEvent' });
        await step(inst, 2, 'review', `${d}T${hour}:05`, day % 3 === 0 ? null : `${d}T${hour}:${String(10 + day * 4).padStart(2, '0')}`);
        await step(inst, 3, 'sub', `${d}T${hour}:05`, `${d}T${hour}:06`, { activity_type: 'subProcess' });
        await step(inst, 4, 'body', `${d}T${hour}:05`, `${d}T${hour}:45`, { in_path: false });
      }
    }
    // one instance reaches the review on four days, twice on one of them
    repeated = await seed.instance(db, order, { start_time: ts('02T09:00') });
    for (const [seq, start, end] of [[1, '02T09:00', '02T10:00'], [2, '04T09:00', '04T09:30'], [3, '04T11:00', '04T12:00'], [4, '06T09:00', '06T09:20'], [5, '09T10:00', '09T10:30']] as const) {
      await step(repeated, seq, 'review', start, end);
    }
    const held = await seed.instance(db, order, { start_time: ts('03T16:00') });
    waiting = await step(held, 1, 'approve', '03T16:00', null);
  });
  afterAll(() => qdb?.close());

  const compare = async (p: Period, at: QueryContext = ctx) => {
    const rolled = await rolledUpWaits(at, p);
    expect(rolled).toBeDefined();
    expect(rolled).toEqual(await rawWaits(at, p));
    return rolled!;
  };

  it.each(PERIODS)('answers as the raw rows over %s', async (_, p) => {
    expect(rolledUpDays(p, NOW)).toBeDefined();
    expect((await compare(p)).length).toBeGreaterThan(0);
  });

  it('answers as the raw rows for a caller limited to its tenants', async () => {
    const limited = { ...ctx, caller: tenantCaller };
    const answer = await compare(PERIODS[1]![1], limited);
    expect(answer.map((w) => w.process_definition_key)).not.toContain('other');
  });

  it('counts an instance reaching an activity on several days once', async () => {
    const review = (await compare(period('01T00:00', '10T00:00', 'order'))).find((w) => w.activity_id === 'review')!;
    // two instances a day for nine days, and the one that came back
    expect(review.instances_affected).toBe(19);
  });

  it('stays exact as rows of rolled-up days end, arrive and go', async () => {
    const p = PERIODS[0]![1];
    await compare(p);
    await ctx.db.updateTable('activity_instances').set({ end_time: ts('05T16:00'), status: 'completed' }).where('id', '=', waiting.id).execute();
    await compare(p);
    await seed.activity(ctx.db, repeated, { seq: 6, activity_id: 'review', start_time: ts('03T09:00'), end_time: ts('03T23:00') });
    await compare(p);
    await ctx.db.deleteFrom('process_instances').where('id', '=', repeated.id).execute();
    await compare(p);
  });

  // PGlite runs one transaction at a time: only PostgreSQL has transactions side by side
  if (backend === 'postgres') it('lets transactions that change rows of the same past days commit side by side, in any order', async () => {
    // Each changes a row of one day, waits until the other has too, then changes a row of the other's day.
    // Were a day's changes counted in one row updated by each, each would now wait for the other: a deadlock.
    const open = async (activity_id: string, start: string) =>
      (await seed.activity(ctx.db, await seed.instance(ctx.db, order, { start_time: ts(start) }), { seq: 1, activity_id, start_time: ts(start), end_time: null, status: 'waiting' })).id;
    const [a2, b3, c3, d2] = [await open('pack', '02T09:00'), await open('ship', '03T09:00'), await open('bill', '03T10:00'), await open('file', '02T10:00')];
    let release!: () => void;
    const bothFirst = new Promise<void>((resolve) => (release = resolve));
    let made = 0;
    const change = (first: string, second: string) => ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('activity_instances').set({ end_time: ts('05T10:00'), status: 'completed' }).where('id', '=', first).execute();
      if (++made === 2) release();
      await bothFirst;
      await trx.updateTable('activity_instances').set({ end_time: ts('05T11:00'), status: 'completed' }).where('id', '=', second).execute();
    });
    await Promise.all([change(a2, b3), change(c3, d2)]);
    await compare(PERIODS[0]![1]);
  });

  it('leaves a period of no whole past day to the raw rows', async () => {
    expect(rolledUpDays(period('09T01:00', '10T12:00'), NOW)).toBeUndefined();
    expect(await rolledUpWaits(ctx, period('09T01:00', '10T12:00'))).toBeUndefined();
  });
});
