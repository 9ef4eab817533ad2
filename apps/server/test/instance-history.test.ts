// DELETE /instances/{id}/history: an ended instance is erased at once (the engine's tests count its rows
// in every table); a running one, or one whose caller still runs, stays.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

const callerModel = (key: string, calledKey: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d_${key}" targetNamespace="http://example.com/test">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:callActivity id="call" calledElement="${calledKey}" />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('erasing an instance history on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'instance-history');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('erasable') });
    await call(t.app, 'POST', '/definitions', { bpmn_xml: callerModel('erasable_caller', 'erasable') });
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const start = async (key: string) => (await call(t.app, 'POST', '/instances', { process_definition_key: key, variables: { v: { value: 1 } } })).json().id as string;
  const completeTasksOf = async (id: string) => {
    for (const task of (await call(t.app, 'GET', `/tasks?process_instance_id=${id}`)).json().data) {
      expect((await call(t.app, 'POST', `/tasks/${task.id}/complete`, {})).statusCode).toBe(200);
    }
  };

  it('answers 204 for an ended instance, then 404, and nothing of it is left to read', async () => {
    const id = await start('erasable');
    await completeTasksOf(id);
    const erased = await call(t.app, 'DELETE', `/instances/${id}/history`);
    expect(erased.statusCode).toBe(204);
    expect(erased.body).toBe('');
    expectError(await call(t.app, 'GET', `/instances/${id}`), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', `/instances/${id}/variables`), 404, 'NOT_FOUND');
    expect((await call(t.app, 'GET', `/tasks?process_instance_id=${id}&status=completed`)).json().total).toBe(0);
    expect((await call(t.app, 'GET', `/instances?process_definition_key=erasable`)).json().data.map((i: { id: string }) => i.id)).not.toContain(id);
    expectError(await call(t.app, 'DELETE', `/instances/${id}/history`), 404, 'NOT_FOUND');
  });

  it('answers 409 for a running instance, which stays as it was', async () => {
    const id = await start('erasable');
    expectError(await call(t.app, 'DELETE', `/instances/${id}/history`), 409, 'CONFLICT');
    expect((await call(t.app, 'GET', `/instances/${id}`)).json()).toMatchObject({ status: 'active', variables: { v: { value: 1 } } });
  });

  it('answers 409 for an ended called instance whose caller runs, and erases both once the caller has ended', async () => {
    const caller = await start('erasable_caller');
    const [called] = (await call(t.app, 'GET', `/instances?super_instance_id=${caller}`)).json().data;
    expect((await call(t.app, 'DELETE', `/instances/${called.id}`)).statusCode).toBe(204);
    expectError(await call(t.app, 'DELETE', `/instances/${called.id}/history`), 409, 'CONFLICT');
    expect((await call(t.app, 'DELETE', `/instances/${caller}`)).statusCode).toBe(204);
    expect((await call(t.app, 'DELETE', `/instances/${caller}/history`)).statusCode).toBe(204);
    expectError(await call(t.app, 'GET', `/instances/${called.id}`), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', `/instances/${caller}`), 404, 'NOT_FOUND');
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expectError(await call(t.app, 'DELETE', `/instances/${UNKNOWN_ID}/history`), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'DELETE', '/instances/nope/history'), 404, 'NOT_FOUND');
  });
});
