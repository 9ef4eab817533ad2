// Keyset pagination of the instance list: following next_cursor page by page lists exactly the rows of the
// same list read by offset, in the same order, for every sort (ties and NULLs included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceQuery } from '../../src/api/engine.js';
import { EngineError } from '../../src/errors.js';
import { listInstances } from '../../src/queries/instances.js';
import { testBackends } from '../../src/testing/index.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

const rejectsWith = (promise: Promise<unknown>, message: RegExp) =>
  expect(promise).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'VALIDATION_ERROR' && message.test(e.message));

const SORTS = ['-start_time', 'start_time', 'end_time', '-end_time', 'duration', '-duration', 'business_key', '-business_key', 'status', 'process_definition_key'];

describe.each(testBackends())('instance list by cursor on %s', (backend) => {
  let qdb: QueryDatabase;

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'instance-cursor');
    const { db } = qdb.ctx;
    const order = await seed.definition(db, { key: 'order' });
    const invoice = await seed.definition(db, { key: 'invoice', name: 'Invoice' });
    // three instances share a start time, some have no business key, the running ones no end or duration
    for (const [def, minutes, ended, key] of [
      [order, -50, 10, 'B-3'], [order, -50, 5, null], [invoice, -50, null, 'B-1'], [order, -40, 10, 'B-2'],
      [invoice, -30, null, null], [order, -20, 1, 'B-5'], [invoice, -10, 3, 'B-4'],
    ] as const) {
      const start = seed.at(minutes);
      if (ended === null) await seed.instance(db, def, { start_time: start, business_key: key });
      else await seed.endedInstance(db, def, start, ended, 'completed', { business_key: key });
    }
  });
  afterAll(() => qdb?.close());

  const byCursor = async (query: InstanceQuery) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listInstances(qdb.ctx, { ...query, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      expect(page.total).toBe(7);
      ids.push(...page.data.map((i) => i.id));
      if (page.next_cursor === undefined) return ids;
      cursor = page.next_cursor;
    }
    throw new Error('the cursor never reached the end');
  };

  it.each(SORTS)('pages through sort=%s as the offset list orders it', async (sort) => {
    const all = (await listInstances(qdb.ctx, { sort })).data.map((i) => i.id);
    expect(all).toHaveLength(7);
    expect(await byCursor({ sort })).toEqual(all);
  });

  it('keeps the filters on every page', async () => {
    const all = (await listInstances(qdb.ctx, { process_definition_key: 'order' })).data.map((i) => i.id);
    const page = await listInstances(qdb.ctx, { process_definition_key: 'order', limit: 3 });
    const next = await listInstances(qdb.ctx, { process_definition_key: 'order', limit: 3, cursor: page.next_cursor! });
    expect([...page.data, ...next.data].map((i) => i.id)).toEqual(all);
    expect(next.next_cursor).toBeUndefined();
  });

  it('refuses a cursor it did not make, one made for another sort, and one with an offset', async () => {
    const { next_cursor: cursor } = await listInstances(qdb.ctx, { limit: 2 });
    await rejectsWith(listInstances(qdb.ctx, { cursor: 'not-a-cursor' }), /cursor is not one this list answered/);
    await rejectsWith(listInstances(qdb.ctx, { cursor: Buffer.from('["-start_time",{"t":"soon"},"x"]').toString('base64url') }), /cursor is not one/);
    await rejectsWith(listInstances(qdb.ctx, { cursor: cursor!, sort: 'duration' }), /made for sort '-start_time'/);
    await rejectsWith(listInstances(qdb.ctx, { cursor: cursor!, offset: 2 }), /cursor and offset cannot be combined/);
  });
});
