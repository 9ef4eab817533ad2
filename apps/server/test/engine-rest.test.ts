// Camunda 7's REST API at /engine-rest. Its external task endpoints driven by Camunda's own JavaScript
// client as a worker written for Camunda 7 drives them: fetch with long polling, complete with typed
// variables (Json ones as text), a BPMN error caught by a boundary event, a failure that opens an
// incident. Deployments, starts and messages as Camunda Modeler and applications send them. Answers as
// Camunda gives them (field names, error bodies and statuses, the content type).
import { Client, Variables, type Task, type TaskService } from 'camunda-external-task-client-js';
import { testBackends } from '@dadms/process-engine/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalDecision, businessRuleModel, externalTaskModel, messageModel } from './models.js';
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

describe.each(testBackends())('the Camunda 7 REST API on %s', (backend) => {
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

  /** a multipart deployment as Camunda Modeler sends it: its fields, and each file in a part named after it */
  const modelerDeploy = (files: Record<string, string>, tenant?: string) => {
    const form = new FormData();
    form.append('deployment-name', 'diagram');
    form.append('deployment-source', 'Camunda Modeler');
    form.append('enable-duplicate-filtering', 'true');
    if (tenant) form.append('tenant-id', tenant);
    for (const [name, text] of Object.entries(files)) form.append(name, new Blob([text], { type: 'text/xml' }), name);
    return fetch(`${baseUrl}/deployment/create`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
  };

  it("answers Camunda Modeler's connection check and version, deploys what it sends, and starts an instance as it does", async () => {
    expect((await fetch(`${baseUrl}/deployment?maxResults=0`)).status).toBe(200);
    expect(await (await fetch(`${baseUrl}/version`)).json()).toEqual({ version: expect.stringMatching(/^7\.\d+\.\d+$/) });
    const deployed = await modelerDeploy({ 'approval.bpmn': businessRuleModel('modeler_approval', 'modeler_rule'), 'rule.dmn': approvalDecision('modeler_rule') });
    expect(deployed.status).toBe(200);
    const deployment = await deployed.json() as { id: string; name: string; source: string; deployedProcessDefinitions: Record<string, { key: string; version: number; deploymentId: string }> };
    expect(deployment).toMatchObject({ name: 'diagram', source: 'Camunda Modeler' });
    const [definitionId, definition] = Object.entries(deployment.deployedProcessDefinitions)[0]!;
    expect(definition).toMatchObject({ key: 'modeler_approval', version: 1, deploymentId: deployment.id });
    expect((await call(t.app, 'GET', '/decisions?key=modeler_rule')).json().data[0].deployment_id).toBe(deployment.id);

    const started = await post(`/process-definition/${definitionId}/start`, {
      businessKey: 'order-7', variables: { amount: { type: 'Double', value: 250 } }, withVariablesInReturn: true,
    });
    expect(started.status).toBe(200);
    const answer = await started.json() as { id: string; definitionId: string; businessKey: string; ended: boolean; variables: Record<string, { type: string; value: unknown }> };
    expect(answer).toMatchObject({ definitionId, businessKey: 'order-7', ended: false, variables: { approved: { type: 'Boolean', value: true } } });
    expect(await waitingAt(answer.id)).toEqual(['review']);
    const byKey = await post('/process-definition/key/modeler_approval/start', { variables: { amount: { type: 'Integer', value: 5000 } } });
    expect((await instance(((await byKey.json()) as { id: string }).id)).variables.approved.value).toBe(false);
  });

  it('refuses a model that does not parse as Camunda does, in words Camunda Modeler shows, and more than one model at a time', async () => {
    const broken = await modelerDeploy({ 'broken.bpmn': messageModel('broken', 'm').replace('targetRef="wait"', 'targetRef="nowhere"') });
    const error = await broken.json() as { type: string; message: string };
    expect({ status: broken.status, type: error.type }).toEqual({ status: 400, type: 'ParseException' });
    expect(error.message).toMatch(/^ENGINE-09005 Could not parse BPMN process\. Errors: \n\* .*nowhere/);
    const two = await modelerDeploy({ 'a.bpmn': messageModel('first_of_two', 'm'), 'b.bpmn': messageModel('second_of_two', 'm') });
    expect({ status: two.status, body: await two.json() }).toMatchObject({ status: 400, body: { message: expect.stringContaining('2 BPMN files') } });
    expect((await call(t.app, 'GET', '/definitions?key=first_of_two')).json().total).toBe(0);
  });

  it('correlates a message as Camunda does: 204 once delivered, 400 when nothing waits for it', async () => {
    await modelerDeploy({ 'payment.bpmn': messageModel('awaiting_payment', 'payment received') });
    const id = ((await (await post('/process-definition/key/awaiting_payment/start', { businessKey: 'inv-1' })).json()) as { id: string }).id;
    expect(await waitingAt(id)).toEqual(['wait']);
    const delivered = await post('/message', { messageName: 'payment received', businessKey: 'inv-1', processVariables: { paid: { type: 'Boolean', value: true } } });
    expect(delivered.status).toBe(204);
    expect(await instance(id)).toMatchObject({ status: 'completed', variables: { paid: { value: true } } });
    const nobody = await post('/message', { messageName: 'payment received', businessKey: 'inv-1' });
    expect({ status: nobody.status, body: await nobody.json() }).toMatchObject({ status: 400, body: { message: expect.stringContaining("Cannot correlate message 'payment received'") } });
    const unsupported = await post('/message', { messageName: 'payment received', resultEnabled: true });
    expect({ status: unsupported.status, body: await unsupported.json() }).toMatchObject({ status: 400, body: { message: 'resultEnabled is not supported by this engine' } });
  });

  it('starts the processes whose conditional start event holds, through POST /conditions and /engine-rest/condition', async () => {
    const conditional = messageModel('on_condition', 'unused').replace('<bpmn:startEvent id="start" />',
      '<bpmn:startEvent id="start"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${amount &gt; 100}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:startEvent>');
    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: conditional })).statusCode).toBe(201);
    const none = await call(t.app, 'POST', '/conditions', { variables: { amount: { value: 5 } } });
    expect(none.json()).toEqual({ data: [] });
    const ours = await call(t.app, 'POST', '/conditions', { variables: { amount: { value: 500 } }, business_key: 'big-1' });
    expect(ours.json().data).toEqual([expect.objectContaining({ process_definition_key: 'on_condition', business_key: 'big-1', status: 'active' })]);
    const camunda = await post('/condition', { variables: { amount: { type: 'Long', value: 700 } }, businessKey: 'big-2' });
    const [started] = await camunda.json() as { id: string; businessKey: string; ended: boolean }[];
    expect(started).toMatchObject({ businessKey: 'big-2', ended: false });
    expect(await waitingAt(started!.id)).toEqual(['wait']);
  });
});
