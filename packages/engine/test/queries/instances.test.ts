import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import { getInstanceDetails, getInstanceSummary, listInstances } from '../../src/queries/instances.js';
import { getVariables } from '../../src/queries/variables.js';
import { compileDefinitions } from '../../src/model/compile-model.js';
import { testBackends } from '../../src/testing/index.js';
import { newId } from '../../src/util/ids.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';
import { camunda, flow } from '../support/job-engines.js';

const rejectsWith = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toSatisfy((e) => e instanceof EngineError && e.code === code);

describe.each(testBackends())('instance queries on %s', (backend) => {
  let qdb: QueryDatabase;
  const ids = { running: '', done: '', held: '', stopped: '', incident: '', subScope: newId() };

  beforeAll(async () => {
    // the model of the seeded `order` rows: start → review → approve, approve the last
    const { processes: [order] } = await compileDefinitions(camunda('order', `
      <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review" />${flow('f2', 'review', 'approve')}
      <bpmn:userTask id="approve" />`));
    qdb = await openQueryDatabase(backend, 'instances', async () => order!);
    const { db } = qdb.ctx;
    const order1 = await seed.definition(db, { key: 'order', name: 'Order', version: 1 });
    const order2 = await seed.definition(db, { key: 'order', name: 'Order v2', version: 2 });
    const invoice = await seed.definition(db, { key: 'invoice', name: 'Invoice', tenant_id: 't1' });

    const running = await seed.instance(db, order1, { business_key: 'B-1', start_time: seed.at(-120) });
    const done = await seed.endedInstance(db, order2, seed.at(-300), 30, 'completed', { business_key: 'B-2' });
    const held = await seed.instance(db, invoice, { start_time: seed.at(-10), suspension_state: 'suspended' });
    const stopped = await seed.endedInstance(db, order1, seed.at(-2000), 5, 'externally_terminated', { delete_reason: 'no longer needed' });
    Object.assign(ids, { running: running.id, done: done.id, held: held.id, stopped: stopped.id });

    await seed.variable(db, running, 'amount', 120.5);
    await seed.variable(db, running, 'approved', true);
    await seed.variable(db, running, 'inner', 1, ids.subScope);
    await seed.variable(db, done, 'amount', 99);

    const review = await seed.task(db, running, { assignee: 'bob', status: 'assigned' });
    await seed.activity(db, running, { seq: 1, activity_id: 'start', activity_name: 'Start', activity_type: 'startEvent', start_time: seed.at(-120), end_time: seed.at(-120), duration: 0 });
    await seed.activity(db, running, { seq: 2, activity_id: 'review', activity_name: 'Review', transition_id: 'f1', status: 'waiting', start_time: seed.at(-119), task_id: review.id });
    // a multi-instance body: entered, but no step of the path
    await seed.activity(db, running, { seq: 3, activity_id: 'approve', activity_type: 'userTask', status: 'active', start_time: seed.at(-118), in_path: false });
    await seed.audit(db, running, { operation: 'start', user_id: 'alice', timestamp: seed.at(-120) });
    await seed.audit(db, running, { operation: 'claim', user_id: 'bob', task_id: review.id, timestamp: seed.at(-100) });
    const failure = await seed.incident(db, running, { activity_id: 'review' });
    ids.incident = failure.id;
    await seed.incidentHistory(db, failure.id, { action: 'created', timestamp: seed.at(-20) });
  });
  afterAll(() => qdb?.close());

  it('lists every instance newest first, with the page envelope', async () => {
    const page = await listInstances(qdb.ctx);
    expect(page).toMatchObject({ total: 4, limit: 50, offset: 0 });
    expect(page.data.map((i) => i.id)).toEqual([ids.held, ids.running, ids.done, ids.stopped]);
  });

  it('maps rows to the wire: ISO times, int8 durations as numbers, absent fields omitted', async () => {
    const { data } = await listInstances(qdb.ctx, { status: 'completed' });
    expect(data).toHaveLength(1);
    const done = data[0]!;
    expect(done).toMatchObject({
      id: ids.done, process_definition_key: 'order', process_definition_name: 'Order v2', business_key: 'B-2',
      start_time: seed.at(-300).toISOString(), end_time: seed.at(-270).toISOString(), duration: 1_800_000,
      status: 'completed', started_by: 'alice', variables: { amount: { value: 99, type: 'Integer' } }, current_activities: [],
    });
    expect(typeof done.duration).toBe('number');
    expect(done).not.toHaveProperty('tenant_id');
    expect(done).not.toHaveProperty('super_instance_id');
  });

  it('narrows by status, folding suspension into it', async () => {
    const statusOf = async (status: 'active' | 'suspended' | 'externally_terminated') =>
      (await listInstances(qdb.ctx, { status })).data.map((i) => i.id);
    expect(await statusOf('active')).toEqual([ids.running]);
    expect(await statusOf('suspended')).toEqual([ids.held]);
    expect(await statusOf('externally_terminated')).toEqual([ids.stopped]);
    expect((await listInstances(qdb.ctx, { status: 'suspended' })).data[0]).toMatchObject({ status: 'suspended', tenant_id: 't1' });
  });

  it('narrows by key, business key, tenant, definition and start window', async () => {
    const idsOf = async (query: Parameters<typeof listInstances>[1]) => (await listInstances(qdb.ctx, query)).data.map((i) => i.id);
    expect(await idsOf({ process_definition_key: 'order' })).toEqual([ids.running, ids.done, ids.stopped]);
    expect(await idsOf({ business_key: 'B-1' })).toEqual([ids.running]);
    expect(await idsOf({ tenant_id: 't1' })).toEqual([ids.held]);
    expect(await idsOf({ started_after: seed.at(-301).toISOString(), started_before: seed.at(-10).toISOString() })).toEqual([ids.running, ids.done]);
    expect(await idsOf({ process_definition_id: 'not-an-id' })).toEqual([]);
  });

  it('sorts and pages, counting the whole match', async () => {
    const page = await listInstances(qdb.ctx, { sort: 'start_time', limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.data.map((i) => i.id)).toEqual([ids.done, ids.running]);
    expect((await listInstances(qdb.ctx, { sort: '-duration', status: 'completed' })).data).toHaveLength(1);
  });

  it('refuses an unknown sort field, a limit over 1000 and an unreadable date', async () => {
    await rejectsWith(listInstances(qdb.ctx, { sort: 'password' }), 'VALIDATION_ERROR');
    await rejectsWith(listInstances(qdb.ctx, { limit: 1001 }), 'VALIDATION_ERROR');
    await rejectsWith(listInstances(qdb.ctx, { started_after: 'yesterday' }), 'VALIDATION_ERROR');
  });

  it('shows process-level variables only and the open activities with the task assignee', async () => {
    const instance = await getInstanceSummary(qdb.ctx, ids.running);
    expect(instance.variables).toEqual({ amount: { value: 120.5, type: 'Double' }, approved: { value: true, type: 'Boolean' } });
    expect(instance.current_activities).toEqual([
      { id: expect.any(String), activity_id: 'review', name: 'Review', type: 'userTask', status: 'waiting', started_at: seed.at(-119).toISOString(), assignee: 'bob' },
      { id: expect.any(String), activity_id: 'approve', name: '', type: 'userTask', status: 'active', started_at: seed.at(-118).toISOString() },
    ]);
    expect(instance).not.toHaveProperty('end_time');
    expect(instance).not.toHaveProperty('activities');
  });

  it('details an instance with activities, path, incidents and audit trail at history level full', async () => {
    const details = await getInstanceDetails(qdb.ctx, ids.running);
    expect(details.activities.map((a) => [a.activity_id, a.status])).toEqual([['start', 'completed'], ['review', 'waiting'], ['approve', 'active']]);
    expect(details.activities[0]).toMatchObject({ instance_id: ids.running, type: 'startEvent', end_time: seed.at(-120).toISOString(), duration: 0 });
    // what the model says of each element: `approve`, with no flow out, ends its scope
    expect(details.activities.map((a) => a.ends_scope)).toEqual([undefined, undefined, true]);
    expect(details.execution_path).toEqual([
      { activity_id: 'start', activity_name: 'Start', timestamp: seed.at(-120).toISOString(), execution_id: ids.running },
      { activity_id: 'review', activity_name: 'Review', timestamp: seed.at(-119).toISOString(), execution_id: ids.running, transition_id: 'f1' },
    ]);
    expect(details.audit_trail.map((a) => [a.operation, a.user_id])).toEqual([['start', 'alice'], ['claim', 'bob']]);
    expect(details.incidents).toMatchObject([{ id: ids.incident, activity_id: 'review', status: 'open', history: [{ action: 'created' }] }]);
  });

  it('leaves out what a lower history level does not keep, never anything else', async () => {
    const activity = await getInstanceDetails(qdb.at('activity'), ids.running);
    expect(activity.execution_path).toHaveLength(2);
    expect(activity.audit_trail).toEqual([]);
    const none = await getInstanceDetails(qdb.at('none'), ids.running);
    expect([none.activities, none.execution_path, none.audit_trail]).toEqual([[], [], []]);
    expect(none.incidents).toHaveLength(1);
    expect(none.current_activities).toHaveLength(2);
  });

  it('carries the delete reason of a terminated instance', async () => {
    expect(await getInstanceDetails(qdb.ctx, ids.stopped)).toMatchObject({ status: 'externally_terminated', delete_reason: 'no longer needed' });
  });

  it('answers the variables of an instance', async () => {
    expect(await getVariables(qdb.ctx, ids.done)).toEqual({ amount: { value: 99, type: 'Integer' } });
  });

  it('answers NOT_FOUND for unknown ids and for ids that are not engine ids', async () => {
    for (const id of [newId(), 'not-an-id', "'; drop table process_instances; --"]) {
      await rejectsWith(getInstanceSummary(qdb.ctx, id), 'NOT_FOUND');
      await rejectsWith(getInstanceDetails(qdb.ctx, id), 'NOT_FOUND');
      await rejectsWith(getVariables(qdb.ctx, id), 'NOT_FOUND');
    }
  });
});
