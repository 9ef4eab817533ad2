import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/access/caller.js';
import type { ExternalTaskQuery } from '../../src/api/engine.js';
import { getExternalTask, listExternalTasks } from '../../src/queries/external-tasks.js';
import { testBackends } from '../../src/testing/index.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

describe.each(testBackends())('external task queries on %s', (backend) => {
  let qdb: QueryDatabase;
  const e = { held: '', expired: '', free: '', spent: '', first: '', second: '', stopped: '', order: '' };

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'external-tasks');
    const { db } = qdb.ctx;
    const order = await seed.definition(db, { key: 'order' });
    const first = await seed.instance(db, order);
    const second = await seed.instance(db, order, { business_key: 'B' });
    const held = await seed.externalTask(db, first, { worker_id: 'w1', lock_expiration_time: seed.at(5), priority: 5, created_at: seed.at(-15) });
    const expired = await seed.externalTask(db, first, {
      worker_id: 'w2', lock_expiration_time: seed.at(-1), retries: 1, error_message: 'mail server down', created_at: seed.at(-10),
    });
    const free = await seed.externalTask(db, second, { topic_name: 'mail', activity_id: 'notify', business_key: 'B', tenant_id: 't1', created_at: seed.at(-5) });
    const invoice = await seed.definition(db, { key: 'invoice', tenant_id: 't2' });
    const stopped = await seed.instance(db, invoice, { suspension_state: 'suspended' });
    // retries spent, in a suspended instance: a fetch takes neither kind
    const spent = await seed.externalTask(db, stopped, {
      topic_name: 'bill', worker_id: 'w3', retries: 0, suspended: true, tenant_id: 't2', activity_instance_id: 'billing-1', created_at: seed.at(-1),
    });
    Object.assign(e, { held: held.id, expired: expired.id, free: free.id, spent: spent.id, first: first.id, second: second.id, stopped: stopped.id, order: order.id! });
  });
  afterAll(() => qdb?.close());

  const idsOf = async (query: ExternalTaskQuery) => (await listExternalTasks(qdb.ctx, query)).data.map((task) => task.id);

  it('lists every external task, oldest first', async () => {
    const page = await listExternalTasks(qdb.ctx);
    expect(page).toMatchObject({ total: 4, limit: 50, offset: 0 });
    expect(page.data.map((task) => task.id)).toEqual([e.held, e.expired, e.free, e.spent]);
  });

  it('treats only an unexpired lock as locked', async () => {
    expect(await idsOf({ locked: true })).toEqual([e.held]);
    expect(await idsOf({ locked: false })).toEqual([e.expired, e.free, e.spent]);
  });

  it('narrows by topic, instance and activity, and sorts on request', async () => {
    expect(await idsOf({ topic_name: 'charge' })).toEqual([e.held, e.expired]);
    expect(await idsOf({ process_instance_id: e.second })).toEqual([e.free]);
    expect(await idsOf({ activity_id: 'notify' })).toEqual([e.free]);
    expect(await idsOf({ sort: '-priority', limit: 1 })).toEqual([e.held]);
  });

  it('maps rows to the wire', async () => {
    const { data } = await listExternalTasks(qdb.ctx);
    expect(data[0]).toEqual({
      id: e.held, topic_name: 'charge', worker_id: 'w1', process_instance_id: e.first, process_definition_id: expect.any(String),
      process_definition_key: 'order', activity_id: 'charge', execution_id: e.first, retries: 3,
      lock_expiration_time: seed.at(5).toISOString(), suspended: false, priority: 5, created_at: seed.at(-15).toISOString(),
    });
    expect(data[1]).toMatchObject({ retries: 1, error_message: 'mail server down' });
    expect(data[2]).toMatchObject({ business_key: 'B', tenant_id: 't1' });
    expect(data[2]).not.toHaveProperty('worker_id');
    expect(data[2]).not.toHaveProperty('lock_expiration_time');
    expect(data[3]).toMatchObject({ activity_instance_id: 'billing-1', retries: 0, suspended: true, worker_id: 'w3' });
    expect(data[0]).not.toHaveProperty('activity_instance_id');
  });

  it('narrows by ids, worker, retries left, suspension, definition and tenants', async () => {
    expect(await idsOf({ ids: [e.spent, e.free] })).toEqual([e.free, e.spent]);
    expect(await idsOf({ ids: [] })).toEqual([e.held, e.expired, e.free, e.spent]);
    expect(await idsOf({ worker_id: 'w2' })).toEqual([e.expired]);
    expect(await idsOf({ failed: true })).toEqual([e.spent]);
    expect(await idsOf({ failed: false })).toEqual([e.held, e.expired, e.free]);
    expect(await idsOf({ suspended: true })).toEqual([e.spent]);
    expect(await idsOf({ suspended: false, locked: false })).toEqual([e.expired, e.free]);
    expect(await idsOf({ process_definition_key: 'invoice' })).toEqual([e.spent]);
    expect(await idsOf({ process_definition_id: e.order })).toEqual([e.held, e.expired, e.free]);
    expect(await idsOf({ tenant_ids: ['t1', 't2'] })).toEqual([e.free, e.spent]);
    expect(await idsOf({ tenant_ids: ['t2'], topic_name: 'charge' })).toEqual([]);
  });

  it('sorts by the fields Camunda sorts external tasks by', async () => {
    expect(await idsOf({ sort: 'process_definition_key', limit: 1 })).toEqual([e.spent]);
    expect(await idsOf({ sort: 'tenant_id', limit: 2 })).toEqual([e.free, e.spent]);
    expect(await idsOf({ sort: '-id' })).toEqual([e.held, e.expired, e.free, e.spent].sort().reverse());
    // by instance, then by id
    const byInstance = [[e.first, e.held], [e.first, e.expired], [e.second, e.free], [e.stopped, e.spent]]
      .sort(([a, x], [b, y]) => (a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : 1)).map(([, id]) => id);
    expect(await idsOf({ sort: 'process_instance_id' })).toEqual(byInstance);
    await expect(listExternalTasks(qdb.ctx, { sort: 'worker_id' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('reads one task by its id, for a caller of its tenant only', async () => {
    expect(await getExternalTask(qdb.ctx, e.spent)).toEqual((await listExternalTasks(qdb.ctx, { ids: [e.spent] })).data[0]);
    await expect(getExternalTask(qdb.ctx, 'not-an-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const ofT1: Caller = { user_id: 'op', groups: [], roles: ['operator'], tenant_ids: ['t1'] };
    await expect(getExternalTask({ ...qdb.ctx, caller: ofT1 }, e.spent)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await getExternalTask({ ...qdb.ctx, caller: ofT1 }, e.free)).id).toBe(e.free);
    expect((await listExternalTasks({ ...qdb.ctx, caller: ofT1 })).total).toBe(3);
  });
});
