import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthCounts } from '../../src/queries/health.js';
import { testBackends } from '../../src/testing/index.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

describe.each(testBackends())('health counts on %s', (backend) => {
  let qdb: QueryDatabase;

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'health');
  });
  afterAll(() => qdb?.close());

  it('counts nothing in an empty database', async () => {
    expect(await healthCounts(qdb.ctx)).toEqual({ active_instances: 0, pending_tasks: 0, open_incidents: 0 });
  });

  it('counts running instances, open tasks and open incidents as numbers', async () => {
    const { db } = qdb.ctx;
    const order = await seed.definition(db);
    const running = await seed.instance(db, order);
    await seed.instance(db, order, { suspension_state: 'suspended' });
    const done = await seed.endedInstance(db, order, seed.at(-100), 10);
    await seed.task(db, running, { status: 'created' });
    await seed.task(db, running, { status: 'delegated' });
    await seed.task(db, done, { status: 'completed' });
    await seed.incident(db, running);
    await seed.incident(db, done, { status: 'resolved' });
    expect(await healthCounts(qdb.ctx)).toEqual({ active_instances: 2, pending_tasks: 2, open_incidents: 1 });
  });
});
