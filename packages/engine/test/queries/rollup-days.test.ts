// Which days the analytics read from their daily rollups: the day before yesterday from 01:00 UTC, an hour after
// its rows' changes start to be recorded (migration 0019), and the days before it. Held for the period's days as
// the queries choose them, and for the database's own rollup functions, which refuse a day that is too recent
// whoever asks.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolledUpDays, type DayRollup } from '../../src/queries/analytics/day-rollups.js';
import { statisticsRollup } from '../../src/queries/analytics/rolled-sums.js';
import { waitRollup } from '../../src/queries/analytics/wait-rollup.js';
import type { QueryContext } from '../../src/queries/query-context.js';
import { testBackends } from '../../src/testing/index.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import { period, ts } from './rollup-periods.js';

describe('the rolled-up days of a period', () => {
  const p = period('01T00:00', '10T12:00');
  const lastRolled = (now: string) => {
    const days = rolledUpDays(p, ts(now));
    return days && new Date(days.end.getTime() - 86_400_000).toISOString().slice(0, 10);
  };

  it('take in the day before yesterday from 01:00 UTC', () => {
    expect(lastRolled('10T01:00')).toBe('2026-03-08');
    expect(lastRolled('10T23:59')).toBe('2026-03-08');
    expect(lastRolled('11T01:00')).toBe('2026-03-09');
  });

  it('leave it out in the hour after midnight, while a transaction from before may still commit to it', () => {
    expect(lastRolled('10T00:00')).toBe('2026-03-07');
    expect(lastRolled('10T00:59')).toBe('2026-03-07');
  });

  it('end with the period when it ends before them', () => {
    expect(lastRolled('20T12:00')).toBe('2026-03-09');
    expect(rolledUpDays(period('08T12:00', '09T12:00'), ts('20T12:00'))).toBeUndefined();
  });
});

describe.each(testBackends())('the rollup functions on %s', (backend) => {
  let qdb: QueryDatabase;
  let ctx: QueryContext;
  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'rollup-days');
    ctx = qdb.ctx;
  });
  afterAll(() => qdb?.close());

  /** rolls up the latest day the database's clock allows and the one after it; answers which of them each rollup holds */
  const rollUpAtTheEdge = async ({ rollUp, versions }: DayRollup) => {
    const { rows: [edge] } = await sql<{ allowed: string; next: string }>`
      select (((clock_timestamp() - interval '1 hour') at time zone 'UTC')::date - 2)::text as allowed,
             (((clock_timestamp() - interval '1 hour') at time zone 'UTC')::date - 1)::text as next`.execute(ctx.db);
    for (const day of [edge!.allowed, edge!.next]) await sql`select ${rollUp(sql`${day}::date`)}`.execute(ctx.db);
    const { rows } = await sql<{ date: string }>`select date::text as date from ${sql.table(versions)} order by date`.execute(ctx.db);
    return { rolled: rows.map((r) => r.date), edge: edge! };
  };

  it('roll up the day before yesterday an hour into today, and not yesterday', async () => {
    const { rolled, edge } = await rollUpAtTheEdge(statisticsRollup);
    expect(rolled).toEqual([edge.allowed]);
  });

  it('roll up activity waits alike', async () => {
    const { rolled, edge } = await rollUpAtTheEdge(waitRollup);
    expect(rolled).toEqual([edge.allowed]);
  });
});
