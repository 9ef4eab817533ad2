// Camunda 7's user operation log at /engine-rest/history/user-operation, read over HTTP as Camunda's clients
// read it: what a start, a claim, a variable change, a suspension and a completion recorded, as
// UserOperationLogEntryDto with Camunda's entity types and categories, filtered, sorted and counted. What
// Camunda offers and the engine cannot serve is refused by name.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from './models.js';
import { call, expectContractKept, startTestApp, type TestApp } from './support.js';

type Row = Record<string, unknown>;
const START = Date.parse('2024-03-01T10:00:00.000Z');
/** the time of the n-th step, as Camunda writes times */
const minute = (n: number) => new Date(START + n * 60_000).toISOString().replace('Z', '+0000');

describe.each(testBackends())("Camunda 7's user operation log on %s", (backend) => {
  let t: TestApp;
  let clock = START;
  let instanceId = '';
  let otherId = '';
  let taskId = '';

  const step = async (method: 'POST' | 'PUT', path: string, body: object, status: number) => {
    clock += 60_000;
    const answer = await call(t.app, method, path, body);
    expect(answer.statusCode, answer.body).toBe(status);
    return answer.json();
  };
  const camunda = (path: string) => t.app.inject({ method: 'GET', url: `/engine-rest/history/user-operation${path}` });
  const get = async (query: string) => {
    const answer = await camunda(query);
    return { status: answer.statusCode, body: answer.json() as Row[] & Row };
  };
  const operations = async (query: string) => (await get(query)).body.map((row) => row.operationType);

  beforeAll(async () => {
    t = await startTestApp(backend, 'engine-rest-user-operations', { now: () => new Date(clock) });
    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('uol_review') })).statusCode).toBe(201);
    instanceId = (await step('POST', '/instances', { process_definition_key: 'uol_review', started_by: 'alice' }, 201)).id;
    await step('PUT', `/instances/${instanceId}/variables`, [{ variable_name: 'amount', value: 42 }], 200);
    taskId = (await call(t.app, 'GET', `/tasks?process_instance_id=${instanceId}`)).json().data[0].id;
    await step('POST', `/tasks/${taskId}/claim`, { user_id: 'carol' }, 200);
    await step('PUT', `/instances/${instanceId}/suspended`, { suspended: true, user_id: 'dave' }, 200);
    await step('PUT', `/instances/${instanceId}/suspended`, { suspended: false, user_id: 'dave' }, 200);
    await step('POST', `/tasks/${taskId}/complete`, { user_id: 'carol' }, 200);
    otherId = (await step('POST', '/instances', { process_definition_key: 'uol_review', started_by: 'erin' }, 201)).id;
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  it("records an instance's operations with Camunda's operation types, entity types and categories", async () => {
    const { status, body } = await get(`?processInstanceId=${instanceId}`);
    expect(status).toBe(200);
    expect(body.map((row) => [row.operationType, row.entityType, row.category, row.property, row.userId])).toEqual([
      ['Start', 'ProcessInstance', 'Operator', null, 'alice'],
      ['SetVariable', 'Variable', 'Operator', 'amount', 'anonymous'],
      ['Claim', 'Task', 'TaskWorker', 'assignee', 'carol'],
      ['Suspend', 'ProcessInstance', 'Operator', null, 'dave'],
      ['Activate', 'ProcessInstance', 'Operator', null, 'dave'],
      ['Complete', 'Task', 'TaskWorker', null, 'carol'],
    ]);
    expect(body[1]).toMatchObject({ orgValue: null, newValue: '42', timestamp: minute(2), processDefinitionKey: 'uol_review' });
    expect(body[2]).toMatchObject({ taskId, orgValue: null, newValue: 'carol', processInstanceId: instanceId, rootProcessInstanceId: instanceId });
    expect(body[2]!.operationId).toBe(body[2]!.id);
    expect(body.map((row) => row.timestamp)).toEqual([1, 2, 3, 4, 5, 6].map(minute));
  });

  it('lists every instance and definition, oldest first or newest first by sortBy=timestamp, and counts them', async () => {
    const all = await get('');
    expect(all.body.map((row) => row.operationType)).toEqual(['Deploy', 'Start', 'SetVariable', 'Claim', 'Suspend', 'Activate', 'Complete', 'Start']);
    expect(all.body[0]).toMatchObject({ entityType: 'Deployment', category: 'Operator', processInstanceId: null });
    const newest = await get('?sortBy=timestamp&sortOrder=desc&maxResults=2');
    expect(newest.body.map((row) => [row.operationType, row.processInstanceId])).toEqual([['Start', otherId], ['Complete', instanceId]]);
    expect((await get('?sortBy=timestamp&sortOrder=asc&firstResult=7')).body.map((row) => row.processInstanceId)).toEqual([otherId]);
    expect((await camunda('/count')).json()).toEqual({ count: 8 });
    const tasks = await camunda('/count?entityType=Task');
    expect(tasks.json()).toEqual({ count: 2 });
  });

  it('filters by entity type, category, operation, user, property, task and time', async () => {
    expect(await operations('?entityTypeIn=Variable,Deployment')).toEqual(['Deploy', 'SetVariable']);
    expect(await operations('?entityType=Task&entityTypeIn=Task,Variable')).toEqual(['Claim', 'Complete']);
    expect(await operations('?entityType=Task&entityTypeIn=Variable')).toEqual([]);
    expect(await operations('?category=TaskWorker')).toEqual(['Claim', 'Complete']);
    expect(await operations('?categoryIn=Admin')).toEqual([]);
    expect(await operations('?operationType=Start')).toEqual(['Start', 'Start']);
    expect(await operations('?userId=dave')).toEqual(['Suspend', 'Activate']);
    expect(await operations('?property=amount')).toEqual(['SetVariable']);
    expect(await operations(`?taskId=${taskId}`)).toEqual(['Claim', 'Complete']);
    expect(await operations('?processDefinitionKey=uol_review&entityType=ProcessInstance')).toEqual(['Start', 'Suspend', 'Activate', 'Start']);
    const period = `?afterTimestamp=${encodeURIComponent(minute(3))}&beforeTimestamp=${encodeURIComponent(minute(6))}`;
    expect(await operations(period)).toEqual(['Suspend', 'Activate']);
    const [start] = (await get(`?processInstanceId=${otherId}`)).body;
    expect((await get(`?operationId=${start!.operationId}`)).body.map((row) => row.processInstanceId)).toEqual([otherId]);
  });

  it('refuses by name the filters and sorts it cannot serve', async () => {
    const unserved = await get('?jobId=j-1');
    expect(unserved.status).toBe(400);
    expect(unserved.body).toMatchObject({ type: 'InvalidRequestException', message: expect.stringContaining('jobId') });
    const count = await camunda('/count?deploymentId=d-1&externalTaskId=e-1');
    expect(count.statusCode).toBe(400);
    expect(count.json().message).toContain('deploymentId, externalTaskId');
    const sort = await get('?sortBy=operationType&sortOrder=asc');
    expect(sort.status).toBe(400);
    expect(sort.body.message).toContain('operationType');
    expect((await get('?afterTimestamp=yesterday')).status).toBe(400);
  });
});
