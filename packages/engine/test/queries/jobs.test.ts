import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobQuery } from '../../src/api/engine.js';
import { EngineError } from '../../src/errors.js';
import { getJob, listJobs } from '../../src/queries/jobs.js';
import { testBackends } from '../../src/testing/index.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

describe.each(testBackends())('job queries on %s', (backend) => {
  let qdb: QueryDatabase;
  const j = { timer: '', due: '', failed: '', retrying: '', startTimer: '', order: '', instance: '' };

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'jobs');
    const { db } = qdb.ctx;
    const order = await seed.definition(db, { key: 'order' });
    const invoice = await seed.definition(db, { key: 'invoice', tenant_id: 'acme' });
    const first = await seed.instance(db, order);
    const other = await seed.instance(db, invoice);
    const timer = await seed.job(db, first, { due_at: seed.at(60) });
    const due = await seed.job(db, first, { type: 'async', handler: 'async-before', activity_id: 'work', due_at: seed.at(-5) });
    const failed = await seed.job(db, first, {
      type: 'service', handler: 'service', activity_id: 'charge', due_at: seed.at(-1), retries: 0, exception_message: 'connection refused',
    });
    const retrying = await seed.job(db, other, {
      type: 'async', handler: 'async-after', activity_id: 'work', due_at: seed.at(5), retries: 2, exception_message: 'timed out', suspended: true,
    });
    const startTimer = await seed.job(db, first, {
      handler: 'timer-start', process_instance_id: null, execution_id: null, activity_id: 'start', due_at: seed.at(120),
    });
    Object.assign(j, {
      timer: timer.id, due: due.id, failed: failed.id, retrying: retrying.id, startTimer: startTimer.id, order: order.id, instance: first.id,
    });
  });
  afterAll(() => qdb?.close());

  const idsOf = async (query: JobQuery) => (await listJobs(qdb.ctx, query)).data.map((job) => job.id);
  const refused = (query: JobQuery) => expect(listJobs(qdb.ctx, query)).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'VALIDATION_ERROR');

  it('narrows by id, definition, key, type or types, suspension and tenant, soonest due first', async () => {
    expect(await idsOf({})).toEqual([j.due, j.failed, j.retrying, j.timer, j.startTimer]);
    expect(await idsOf({ id: j.failed })).toEqual([j.failed]);
    expect(await idsOf({ process_definition_id: j.order })).toEqual([j.due, j.failed, j.timer, j.startTimer]);
    expect(await idsOf({ process_definition_key: 'invoice' })).toEqual([j.retrying]);
    expect(await idsOf({ type: 'timer' })).toEqual([j.timer, j.startTimer]);
    expect(await idsOf({ type: ['async', 'service'] })).toEqual([j.due, j.failed, j.retrying]);
    expect(await idsOf({ suspended: true })).toEqual([j.retrying]);
    expect(await idsOf({ suspended: false, process_instance_id: j.instance })).toEqual([j.due, j.failed, j.timer]);
    expect(await idsOf({ tenant_id: 'acme' })).toEqual([j.retrying]);
    await refused({ type: [] });
    await refused({ type: ['timer', 'message' as 'timer'] });
  });

  it('narrows by a failed attempt, by what may run now and by due time', async () => {
    expect(await idsOf({ with_exception: true })).toEqual([j.failed, j.retrying]);
    expect(await idsOf({ with_exception: false })).toEqual([j.due, j.timer, j.startTimer]);
    // retries left and due by the clock of the query: not the failed one, nor the ones due later
    expect(await idsOf({ executable: true })).toEqual([j.due]);
    expect(await idsOf({ due_after: seed.at(-1).toISOString() })).toEqual([j.failed, j.retrying, j.timer, j.startTimer]);
    expect(await idsOf({ due_before: seed.at(-1).toISOString() })).toEqual([j.due]);
    expect(await idsOf({ due_after: seed.at(0).toISOString(), due_before: seed.at(60).toISOString() })).toEqual([j.retrying]);
    await refused({ due_before: 'soon' });
  });

  it('names the key of the definition and the token a job moves on, which a job of no instance has not', async () => {
    expect(await getJob(qdb.ctx, j.timer)).toMatchObject({ process_definition_key: 'order', execution_id: j.instance, process_instance_id: j.instance });
    const start = await getJob(qdb.ctx, j.startTimer);
    expect(start.process_definition_key).toBe('order');
    expect(start).not.toHaveProperty('execution_id');
    expect(start).not.toHaveProperty('process_instance_id');
  });
});
