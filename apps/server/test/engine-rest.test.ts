// Camunda 7's external task REST API at /engine-rest, driven by Camunda's own JavaScript client as a
// worker written for Camunda 7 drives it: fetch with long polling, complete with typed variables (Json
// ones as text), a BPMN error caught by a boundary event, a failure that opens an incident; and its
// answers as Camunda gives them (field names, error bodies and statuses, the content type).
import { Client, Variables, type Task, type TaskService } from 'camunda-external-task-client-js';
import { testBackends } from '@dadms/process-engine/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalTaskModel } from './models.js';
import { call, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

/** start → `charge` (external, on a topic named as the process, an error boundary for `card_declined` → user task `refund`) → user task `ship` */
const chargeModel = (key: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_${key}" targetNamespace="http://test">
  <bpmn:error id="Declined" errorCode="card_declined" />
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="charge" />
    <bpmn:serviceTask id="charge" camunda:type="external" camunda:topic="${key}" />
    <bpmn:boundaryEvent id="onDeclined" attachedToRef="charge"><bpmn:errorEventDefinition errorRef="Declined" /></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="charge" targetRef="ship" />
    <bpmn:sequenceFlow id="f3" sourceRef="onDeclined" targetRef="refund" />
    <bpmn:userTask id="ship" />
    <bpmn:userTask id="refund" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('the Camunda 7 external task API on %s', (backend) => {
  let t: TestApp;
  let baseUrl = '';
  beforeAll(async () => {
    t = await startTestApp(backend, 'engine-rest');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/engine-rest`;
    for (const bpmn_xml of [chargeModel('charged'), chargeModel('declined'), chargeModel('failing'), externalTaskModel('flaky', 'flaky')]) {
      expect((await call(t.app, 'POST', '/definitions', { bpmn_xml })).statusCode).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const start = async (key: string, variables: Record<string, unknown>) =>
    (await call(t.app, 'POST', '/instances', { process_definition_key: key, variables: Object.fromEntries(Object.entries(variables).map(([n, value]) => [n, { value }])) })).json().id as string;
  const instance = async (id: string) => (await call(t.app, 'GET', `/instances/${id}`)).json();
  const waitingAt = async (id: string) => (await instance(id)).current_activities.map((a: { activity_id: string }) => a.activity_id);
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Camunda's client, long polling, working `topic` with `handler` until stopped (each test its own topic: a stopped client's last poll may still bring a task) */
  function worker(topic: string, handler: (task: Task, service: TaskService) => Promise<void>): Client {
    const client = new Client({ baseUrl, workerId: `worker-${topic}`, asyncResponseTimeout: 2_000, interval: 50, maxTasks: 5, lockDuration: 30_000 });
    client.subscribe(topic, ({ task, taskService }) => handler(task, taskService));
    return client;
  }

  it("lets Camunda's client complete a task with typed variables, a Json one among them, fetched by long polling", async () => {
    const seen: unknown[] = [];
    const client = worker('charged', async (task, service) => {
      seen.push(task.variables.get('amount'), task.variables.get('order'));
      const result = new Variables().set('charged', Number(task.variables.get('amount')) * 2).set('receipt', { number: 'R-1', lines: [1, 2] });
      await service.complete(task, result);
    });
    try {
      const id = await start('charged', { amount: 21, order: { id: 'o-1' } });
      await expect.poll(() => waitingAt(id), { timeout: 10_000 }).toEqual(['ship']);
      expect(seen).toEqual([21, { id: 'o-1' }]);
      const { variables } = await instance(id);
      expect(variables.charged).toMatchObject({ type: 'Integer', value: 42 });
      expect(variables.receipt).toMatchObject({ type: 'Json', value: { number: 'R-1', lines: [1, 2] } });
    } finally {
      client.stop();
    }
  });

  it('lets it throw a BPMN error, caught by the boundary event, with variables', async () => {
    const client = worker('declined', async (task, service) => {
      await service.handleBpmnError(task, 'card_declined', 'The card was declined', new Variables().set('reason', 'limit'));
    });
    try {
      const id = await start('declined', { amount: 5000 });
      await expect.poll(() => waitingAt(id), { timeout: 10_000 }).toEqual(['refund']);
      expect((await instance(id)).variables.reason.value).toBe('limit');
    } finally {
      client.stop();
    }
  });

  it('lets it report a last failure, which opens an incident with its message', async () => {
    const client = worker('failing', async (task, service) => {
      await service.handleFailure(task, { errorMessage: 'payment service down', errorDetails: 'timeout after 30 s', retries: 0, retryTimeout: 0 });
    });
    try {
      const id = await start('failing', { amount: 1 });
      await expect.poll(async () => (await call(t.app, 'GET', `/incidents?process_instance_id=${id}`)).json().data, { timeout: 10_000 })
        .toEqual([expect.objectContaining({ incident_type: 'failedExternalTask', incident_message: 'payment service down', activity_id: 'charge' })]);
    } finally {
      client.stop();
    }
  });

  it('answers a fetch as Camunda does, waiting for a task that is created while it waits', async () => {
    const fetching = post('/external-task/fetchAndLock', {
      workerId: 'plain-http', maxTasks: 1, asyncResponseTimeout: 10_000, topics: [{ topicName: 'flaky', lockDuration: 60_000, variables: ['note'] }],
    });
    const id = await start('flaky', { note: 'hello', secret: 'not asked for' });
    const answer = await fetching;
    expect(answer.headers.get('content-type')).toBe('application/json');
    const [task] = await answer.json() as Record<string, unknown>[];
    expect(task).toMatchObject({
      processInstanceId: id, topicName: 'flaky', workerId: 'plain-http', processDefinitionKey: 'flaky', retries: 3, suspended: false,
      variables: { note: { type: 'String', value: 'hello', valueInfo: {} } },
    });
    expect(task!.lockExpirationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    const other = await post(`/external-task/${task!.id}/complete`, { workerId: 'someone-else' });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ type: 'BadUserRequestException', message: expect.stringContaining('someone-else') });
    expect((await post(`/external-task/${task!.id}/extendLock`, { workerId: 'plain-http', newDuration: 120_000 })).status).toBe(204);
    expect((await post(`/external-task/${task!.id}/complete`, { workerId: 'plain-http', variables: { done: { type: 'boolean', value: true } } })).status).toBe(204);
    const gone = await post(`/external-task/${task!.id}/complete`, { workerId: 'plain-http' });
    expect({ status: gone.status, body: await gone.json() }).toMatchObject({ status: 404, body: { type: 'InvalidRequestException' } });
  });

  it('locks nothing for a worker that went away while it waited', async () => {
    const leaving = new AbortController();
    const body = JSON.stringify({ workerId: 'leaver', maxTasks: 1, asyncResponseTimeout: 30_000, topics: [{ topicName: 'flaky', lockDuration: 60_000 }] });
    const abandoned = fetch(`${baseUrl}/external-task/fetchAndLock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: leaving.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    leaving.abort();
    await abandoned.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const id = await start('flaky', {});
    // longer than a waiting fetch goes between its tries: one still waiting would have taken the task by now
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const answer = await post('/external-task/fetchAndLock', { workerId: 'stayer', maxTasks: 1, topics: [{ topicName: 'flaky', lockDuration: 60_000 }] });
    expect(await answer.json()).toEqual([expect.objectContaining({ processInstanceId: id, workerId: 'stayer' })]);
  });

  it('refuses what it cannot do by name, with 400, rather than ignore it', async () => {
    const filtered = await post('/external-task/fetchAndLock', {
      workerId: 'w', maxTasks: 1, topics: [{ topicName: 'flaky', lockDuration: 1000, processVariables: { region: 'north' } }],
    });
    expect({ status: filtered.status, body: await filtered.json() }).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: expect.stringContaining('processVariables') } });
    const unknownField = await post('/external-task/fetchAndLock', { workerId: 'w', maxTasks: 1, topics: [], tenantId: 'x' });
    expect(unknownField.status).toBe(400);
    const local = await post(`/external-task/${UNKNOWN_ID}/complete`, { workerId: 'w', localVariables: { a: { type: 'String', value: 'x' } } });
    expect({ status: local.status, body: await local.json() }).toMatchObject({ status: 400, body: { message: expect.stringContaining('localVariables') } });
  });
});
