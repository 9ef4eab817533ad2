import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskQuery } from '../../src/api/engine.js';
import { EngineError } from '../../src/errors.js';
import { compileDefinitions } from '../../src/model/index.js';
import { getTask, listTasks } from '../../src/queries/tasks.js';
import { testBackends } from '../../src/testing/index.js';
import { newId } from '../../src/util/ids.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

// the model the seeded tasks belong to: the form of `review` travels with its tasks
const ORDER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements>
        <camunda:formData><camunda:formField id="verdict" label="Verdict" type="boolean" /></camunda:formData>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('task queries on %s', (backend) => {
  let qdb: QueryDatabase;
  const t = { review: '', approve: '', ship: '', pack: '', check: '', reviewScope: newId(), first: '', second: '' };

  beforeAll(async () => {
    const [model] = (await compileDefinitions(ORDER_XML)).processes;
    qdb = await openQueryDatabase(backend, 'tasks', async () => model!);
    const { db } = qdb.ctx;
    const order = await seed.definition(db, { key: 'order' });
    const first = await seed.instance(db, order);
    const second = await seed.instance(db, order);
    Object.assign(t, { first: first.id, second: second.id });
    await seed.variable(db, first, 'amount', 10);
    await seed.variable(db, first, 'note', 'process');
    await seed.variable(db, first, 'note', 'local', t.reviewScope);
    await seed.variable(db, first, 'localOnly', true, t.reviewScope);

    const review = await seed.task(db, first, { name: 'Review', execution_id: t.reviewScope, created: seed.at(-50), due: seed.at(-5), priority: 80 });
    await seed.candidate(db, review.id, { user_id: 'carol' });
    await seed.candidate(db, review.id, { group_id: 'sales' });
    const approve = await seed.task(db, first, { name: 'Approve', task_definition_key: 'approve', assignee: 'bob', status: 'assigned', created: seed.at(-40), due: seed.at(60) });
    await seed.candidate(db, approve.id, { group_id: 'managers' });
    const ship = await seed.task(db, second, { name: 'Ship', task_definition_key: 'ship', status: 'completed', assignee: 'bob', completed_by: 'bob', created: seed.at(-45), end_time: seed.at(-10) });
    const pack = await seed.task(db, second, { name: 'Pack', task_definition_key: 'pack', status: 'cancelled', created: seed.at(-35) });
    const check = await seed.task(db, second, {
      name: 'Check', task_definition_key: 'check', status: 'delegated', assignee: 'dave', owner: 'bob',
      delegation_state: 'pending', created: seed.at(-20), tenant_id: 't1',
    });
    Object.assign(t, { review: review.id, approve: approve.id, ship: ship.id, pack: pack.id, check: check.id });
  });
  afterAll(() => qdb?.close());

  const idsOf = async (query: TaskQuery) => (await listTasks(qdb.ctx, query)).data.map((task) => task.id);

  it('lists open tasks, oldest first, unless a status is asked for', async () => {
    const page = await listTasks(qdb.ctx);
    expect(page.total).toBe(3);
    expect(page.data.map((task) => task.id)).toEqual([t.review, t.approve, t.check]);
    expect(await idsOf({ status: 'completed' })).toEqual([t.ship]);
    expect(await idsOf({ status: 'cancelled' })).toEqual([t.pack]);
  });

  it('gives every page the total of the list, whether it is full, the last, or past the end', async () => {
    const totals = async (limit: number, offset: number) => {
      const page = await listTasks(qdb.ctx, { limit, offset });
      return [page.data.length, page.total];
    };
    expect(await totals(2, 0)).toEqual([2, 3]);
    expect(await totals(2, 2)).toEqual([1, 3]);
    expect(await totals(3, 0)).toEqual([3, 3]);
    expect(await totals(2, 3)).toEqual([0, 3]);
    expect(await totals(2, 10)).toEqual([0, 3]);
    expect((await listTasks(qdb.ctx, { assignee: 'nobody' })).total).toBe(0);
  });

  it('narrows by assignee, candidates and assignment', async () => {
    expect(await idsOf({ assignee: 'bob' })).toEqual([t.approve]);
    expect(await idsOf({ candidate_user: 'carol' })).toEqual([t.review]);
    expect(await idsOf({ candidate_group: 'sales' })).toEqual([t.review]);
    expect(await idsOf({ candidate_group: 'managers' })).toEqual([t.approve]);
    expect(await idsOf({ candidate_user: 'sales' })).toEqual([]);
    expect(await idsOf({ unassigned: true })).toEqual([t.review]);
  });

  it('narrows by instance, process, task definition, due date and tenant', async () => {
    expect(await idsOf({ process_instance_id: t.second })).toEqual([t.check]);
    expect(await idsOf({ process_definition_key: 'order' })).toEqual([t.review, t.approve, t.check]);
    expect(await idsOf({ task_definition_key: 'ship', status: 'completed' })).toEqual([t.ship]);
    expect(await idsOf({ due_before: seed.at(0).toISOString() })).toEqual([t.review]);
    expect(await idsOf({ tenant_id: 't1' })).toEqual([t.check]);
  });

  it('sorts by another field on request and pages', async () => {
    expect((await idsOf({ sort: '-priority' }))[0]).toBe(t.review);
    expect(await idsOf({ sort: '-created', limit: 1, offset: 1 })).toEqual([t.approve]);
  });

  it('shows candidates and the variables visible at the task, its own scope overriding the process', async () => {
    const task = await getTask(qdb.ctx, t.review);
    expect(task).toMatchObject({
      id: t.review, name: 'Review', process_instance_id: t.first, task_definition_key: 'review', execution_id: t.reviewScope,
      created: seed.at(-50).toISOString(), due: seed.at(-5).toISOString(), priority: 80, status: 'created',
      candidate_users: ['carol'], candidate_groups: ['sales'], suspension_state: 'active',
    });
    expect(task.variables).toEqual({
      amount: { value: 10, type: 'Integer' }, note: { value: 'local', type: 'String' }, localOnly: { value: true, type: 'Boolean' },
    });
    expect(task.form_fields).toEqual([{ id: 'verdict', label: 'Verdict', type: 'boolean', value_type: 'Boolean', required: false }]);
    expect(task).not.toHaveProperty('form_schema');
    expect(task).not.toHaveProperty('assignee');
    expect(task).not.toHaveProperty('end_time');
    const listed = (await listTasks(qdb.ctx, { candidate_user: 'carol' })).data[0];
    expect(listed).toEqual(task);
  });

  it('shows delegation and completion details', async () => {
    expect(await getTask(qdb.ctx, t.check)).toMatchObject({ assignee: 'dave', owner: 'bob', delegation_state: 'pending', tenant_id: 't1' });
    expect(await getTask(qdb.ctx, t.ship)).toMatchObject({ status: 'completed', completed_by: 'bob', end_time: seed.at(-10).toISOString() });
    expect((await getTask(qdb.ctx, t.approve)).variables).toEqual({ amount: { value: 10, type: 'Integer' }, note: { value: 'process', type: 'String' } });
    expect((await getTask(qdb.ctx, t.approve)).form_fields).toEqual([]);
  });

  it('answers NOT_FOUND for unknown ids', async () => {
    for (const id of [newId(), 'task-1']) {
      await expect(getTask(qdb.ctx, id)).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'NOT_FOUND');
    }
  });
});
