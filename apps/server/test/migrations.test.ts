// /migrations over HTTP: running instances moved to the next version of their process, their tasks
// carried over and their paths the new version's; a refused migration names every problem and moves nothing.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

/** the approval model with a second task, `archive`, after `approve` */
const withArchive = (key: string) => userTaskModel(key)
  .replace('<bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />',
    '<bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="archive" /><bpmn:userTask id="archive" /><bpmn:sequenceFlow id="f3" sourceRef="archive" targetRef="end" />');

describe.each(testBackends())('migrations on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'migrations');
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const deploy = async (bpmn_xml: string) => (await call(t.app, 'POST', '/definitions', { bpmn_xml })).json().definitions[0].id as string;
  const start = async (definitionId: string) => (await call(t.app, 'POST', '/instances', { process_definition_id: definitionId })).json().id as string;
  const taskOf = async (id: string) => (await call(t.app, 'GET', `/tasks?process_instance_id=${id}`)).json().data[0];

  it('moves instances to the next version, where they go on by its flows', async () => {
    const v1 = await deploy(userTaskModel('migrated'));
    const ids = [await start(v1), await start(v1)];
    const v2 = await deploy(withArchive('migrated'));
    const res = await call(t.app, 'POST', '/migrations', { target_definition_id: v2, process_instance_ids: ids });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ target_definition_id: v2, process_instance_ids: [...ids].sort() });
    const task = await taskOf(ids[0]!);
    expect(task).toMatchObject({ task_definition_key: 'approve', process_definition_id: v2 });
    expect((await call(t.app, 'POST', `/tasks/${task.id}/complete`, {})).statusCode).toBe(200);
    expect((await taskOf(ids[0]!)).task_definition_key).toBe('archive');
    expect((await call(t.app, 'GET', `/instances/${ids[1]}`)).json().process_definition_id).toBe(v2);
  });

  it('plans a migration by id and kind, which the migration then takes', async () => {
    const v1 = await deploy(userTaskModel('planned'));
    const id = await start(v1);
    const v2 = await deploy(withArchive('planned'));
    const plan = await call(t.app, 'POST', '/migrations/plan', { source_definition_id: v1, target_definition_id: v2 });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().instructions).toEqual(['start', 'approve', 'end'].map((element) => ({ source_activity_id: element, target_activity_id: element })));
    // a plan that updates event triggers has none to update here: no element of it waits for an event
    const updating = await call(t.app, 'POST', '/migrations/plan', { source_definition_id: v1, target_definition_id: v2, update_event_triggers: true });
    expect(updating.json().instructions).toEqual(plan.json().instructions);
    const res = await call(t.app, 'POST', '/migrations', { ...(plan.json() as object), process_instance_ids: [id], variables: { migrated: { value: true } } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await call(t.app, 'GET', `/instances/${id}`)).json()).toMatchObject({ process_definition_id: v2, variables: { migrated: { value: true } } });
    expectError(await call(t.app, 'POST', '/migrations/plan', { source_definition_id: v1, target_definition_id: UNKNOWN_ID }), 404, 'NOT_FOUND');
  });

  it('refuses a migration it cannot carry out, naming each problem, and moves nothing', async () => {
    const v1 = await deploy(userTaskModel('unmapped'));
    const id = await start(v1);
    const v2 = await deploy(withArchive('unmapped'));
    const refused = expectError(await call(t.app, 'POST', '/migrations', {
      target_definition_id: v2, process_instance_ids: [id], instructions: [{ source_activity_id: 'approve', target_activity_id: 'end' }],
    }), 400, 'VALIDATION_ERROR');
    expect(refused.details).toEqual({ problems: [
      { process_instance_id: id, activity_id: 'approve', message: "'approve' (userTask) maps to 'end' (endEvent): an element maps to one of its own kind" },
    ] });
    expect((await call(t.app, 'GET', `/instances/${id}`)).json().process_definition_id).toBe(v1);
    expectError(await call(t.app, 'POST', '/migrations', { target_definition_id: UNKNOWN_ID, process_instance_ids: [id] }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/migrations', { target_definition_id: 'not-an-id', process_instance_ids: [id] }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/migrations', { target_definition_id: v2, process_instance_ids: [UNKNOWN_ID] }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/migrations', { target_definition_id: v2, process_instance_ids: [] }), 400, 'VALIDATION_ERROR');
  });
});
