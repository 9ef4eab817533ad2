// /tasks: list, statistics, read, claim, unclaim, assign, delegate, resolve, complete.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formModel, userTaskModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

describe.each(testBackends())('tasks on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'tasks');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('tasks') });
    await call(t.app, 'POST', '/definitions', { bpmn_xml: formModel('form') });
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  /** A new instance's open task. */
  const openTask = async (variables?: Record<string, unknown>) => {
    const instance = (await call(t.app, 'POST', '/instances', { process_definition_key: 'tasks', variables })).json();
    const list = (await call(t.app, 'GET', `/tasks?process_instance_id=${instance.id}`)).json();
    expect(list.total).toBe(1);
    return { task: list.data[0], instanceId: instance.id as string };
  };

  it('lists open tasks by candidate group, assignee and more', async () => {
    const { task } = await openTask();
    const byGroup = (await call(t.app, 'GET', '/tasks?candidate_group=finance&unassigned=true')).json();
    expect(byGroup.data.map((x: { id: string }) => x.id)).toContain(task.id);
    expect((await call(t.app, 'GET', '/tasks?candidate_group=nobody')).json().total).toBe(0);
    expect((await call(t.app, 'GET', '/tasks?task_definition_key=approve&process_definition_key=tasks')).json().total).toBeGreaterThan(0);
    expectError(await call(t.app, 'GET', '/tasks?status=sleeping'), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'GET', '/tasks?limit=1001'), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'GET', '/tasks?due_before=soon'), 400, 'VALIDATION_ERROR');
  });

  it('answers statistics at /tasks/statistics, not as a task id', async () => {
    const res = await call(t.app, 'GET', '/tasks/statistics');
    expect(res.statusCode).toBe(200);
    expect(typeof res.json()).toBe('object');
  });

  it('reads a task', async () => {
    const { task, instanceId } = await openTask();
    const res = await call(t.app, 'GET', `/tasks/${task.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: task.id, name: 'Approve', task_definition_key: 'approve', process_instance_id: instanceId,
      candidate_groups: ['finance'], suspension_state: 'active',
    });
    expectError(await call(t.app, 'GET', '/tasks/12'), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', `/tasks/${UNKNOWN_ID}`), 404, 'NOT_FOUND');
  });

  it('claims; another user\'s claim is 409; unclaim without a body frees it', async () => {
    const { task } = await openTask();
    const claimed = await call(t.app, 'POST', `/tasks/${task.id}/claim`, { user_id: 'alice' });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json().assignee).toBe('alice');
    expectError(await call(t.app, 'POST', `/tasks/${task.id}/claim`, { user_id: 'bob' }), 409, 'CONFLICT');
    expectError(await call(t.app, 'POST', `/tasks/${task.id}/claim`, {}), 400, 'VALIDATION_ERROR');
    const freed = await t.app.inject({ method: 'POST', url: `/api/processes/tasks/${task.id}/unclaim` });
    expect(freed.statusCode, freed.body).toBe(200);
    expect(freed.json().assignee).toBeUndefined();
    expect((await call(t.app, 'POST', `/tasks/${task.id}/claim`, { user_id: 'bob' })).json().assignee).toBe('bob');
  });

  it('assigns and unassigns with null', async () => {
    const { task } = await openTask();
    expect((await call(t.app, 'POST', `/tasks/${task.id}/assign`, { user_id: 'dave' })).json().assignee).toBe('dave');
    const cleared = await call(t.app, 'POST', `/tasks/${task.id}/assign`, { user_id: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().assignee).toBeUndefined();
    expectError(await call(t.app, 'POST', `/tasks/${task.id}/assign`, {}), 400, 'VALIDATION_ERROR');
  });

  it('delegates (owner keeps it, pending) and resolves back to the owner (resolved)', async () => {
    const { task } = await openTask();
    await call(t.app, 'POST', `/tasks/${task.id}/claim`, { user_id: 'owner' });
    const delegated = await call(t.app, 'POST', `/tasks/${task.id}/delegate`, { user_id: 'helper' });
    expect(delegated.statusCode).toBe(200);
    expect(delegated.json()).toMatchObject({ owner: 'owner', assignee: 'helper', delegation_state: 'pending' });
    const resolved = await call(t.app, 'POST', `/tasks/${task.id}/resolve`, { variables: { checked: { value: true } } });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ assignee: 'owner', delegation_state: 'resolved' });
  });

  it('completes with 200 and the task; the instance moves on; completing again is 409', async () => {
    const { task, instanceId } = await openTask();
    const res = await call(t.app, 'POST', `/tasks/${task.id}/complete`, { variables: { approved: { value: true } }, user_id: 'erin' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: task.id, status: 'completed' });
    const instance = (await call(t.app, 'GET', `/instances/${instanceId}`)).json();
    expect(instance.status).toBe('completed');
    expect(instance.variables.approved).toMatchObject({ value: true, type: 'Boolean' });
    expectError(await call(t.app, 'POST', `/tasks/${task.id}/complete`, {}), 409, 'CONFLICT');
    expectError(await call(t.app, 'POST', `/tasks/${task.id}/claim`, { user_id: 'x' }), 409, 'CONFLICT');
  });

  it('refuses unknown fields and ids on commands', async () => {
    const { task } = await openTask();
    expectError(await call(t.app, 'POST', `/tasks/${task.id}/complete`, { variabels: {} }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', '/tasks/abc/complete', {}), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', `/tasks/${UNKNOWN_ID}/complete`, {}), 404, 'NOT_FOUND');
  });

  it('shows the form fields of a task and answers 400 naming the field a completion gets wrong', async () => {
    const instance = (await call(t.app, 'POST', '/instances', { process_definition_key: 'form' })).json();
    const task = (await call(t.app, 'GET', `/tasks?process_instance_id=${instance.id}`)).json().data[0];
    expect(task.form_fields).toEqual([{
      id: 'amount', label: 'Amount', type: 'number', value_type: 'Long', required: true,
      validation_rules: [{ name: 'required' }, { name: 'min', config: '1' }, { name: 'max', config: '100' }],
    }]);
    expect((await call(t.app, 'GET', `/tasks/${task.id}`)).json().form_fields).toEqual(task.form_fields);
    const error = expectError(await call(t.app, 'POST', `/tasks/${task.id}/complete`, { variables: { amount: { value: 500 } } }), 400, 'VALIDATION_ERROR');
    expect(error.message).toContain("'Amount' (amount) must be at most 100");
    expect(error.details).toEqual({ problems: [{ field: 'amount', message: "'Amount' (amount) must be at most 100" }] });
    const done = await call(t.app, 'POST', `/tasks/${task.id}/complete`, { variables: { amount: { value: 50 } } });
    expect(done.statusCode).toBe(200);
    expect((await call(t.app, 'GET', `/instances/${instance.id}`)).json()).toMatchObject({ status: 'completed', variables: { amount: { type: 'Long', value: 50 } } });
  });
});
