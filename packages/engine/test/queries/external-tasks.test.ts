import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalTaskQuery } from '../../src/api/engine.js';
import { listExternalTasks } from '../../src/queries/external-tasks.js';
import { testBackends } from '../../src/testing/index.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

describe.each(testBackends())('external task queries on %s', (backend) => {
  let qdb: QueryDatabase;
  const e = { held: '', expired: '', free: '', first: '', second: '' };

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
    Object.assign(e, { held: held.id, expired: expired.id, free: free.id, first: first.id, second: second.id });
  });
  afterAll(() => qdb?.close());

  const idsOf = async (query: ExternalTaskQuery) => (await listExternalTasks(qdb.ctx, query)).data.map((task) => task.id);

  it('lists every external task, oldest first', async () => {
    const page = await listExternalTasks(qdb.ctx);
    expect(page).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(page.data.map((task) => task.id)).toEqual([e.held, e.expired, e.free]);
  });

  it('treats only an unexpired lock as locked', async () => {
    expect(await idsOf({ locked: true })).toEqual([e.held]);
    expect(await idsOf({ locked: false })).toEqual([e.expired, e.free]);
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
  });
});
