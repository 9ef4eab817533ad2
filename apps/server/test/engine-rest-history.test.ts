// Camunda 7's history at /engine-rest/history, read over HTTP as Camunda's clients and cockpit-like tools
// read it: instances that completed, were terminated and still run, with their states and durations; the
// activity history of an instance with Camunda's activity types; the tasks, open and ended; the variables
// of an ended instance; incidents open and resolved; the decisions a business rule task evaluated. What
// Camunda offers and the engine cannot serve is refused by name.
import { testBackends } from '@dadms/process-engine/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { approvalDecision, businessRuleModel, callActivityModel, externalTaskModel, startToEndModel, userTaskModel } from './models.js';
import { call, expectContractKept, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

type Row = Record<string, unknown>;
const CAMUNDA_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

describe.each(testBackends())("Camunda 7's history REST API on %s", (backend) => {
  let t: TestApp;
  let baseUrl = '';
  /** instances of `hist_approval`: completed with its task done, terminated at its task, still at its task */
  const ids = { completed: '', terminated: '', active: '', straight: '', parent: '', called: '' };
  let completedTaskId = '';

  const start = async (key: string, businessKey?: string, variables: Record<string, unknown> = {}) => (await call(t.app, 'POST', '/instances', {
    process_definition_key: key, ...(businessKey ? { business_key: businessKey } : {}),
    variables: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, { value }])),
  })).json().id as string;
  const taskOf = async (instanceId: string) => (await call(t.app, 'GET', `/tasks?process_instance_id=${instanceId}`)).json().data[0].id as string;

  beforeAll(async () => {
    t = await startTestApp(backend, 'engine-rest-history', { retention: { historyTimeToLiveDays: 30 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/engine-rest/history`;
    for (const bpmn_xml of [userTaskModel('hist_approval'), startToEndModel('hist_straight'), userTaskModel('hist_called'),
      callActivityModel('hist_parent', 'hist_called'), externalTaskModel('hist_charge', 'hist_charge')]) {
      expect((await call(t.app, 'POST', '/definitions', { bpmn_xml })).statusCode).toBe(201);
    }
    ids.completed = await start('hist_approval', 'order-1', { amount: 42, order: { id: 'o-1' } });
    completedTaskId = await taskOf(ids.completed);
    expect((await call(t.app, 'POST', `/tasks/${completedTaskId}/complete`, { variables: { approved: { value: true } } })).statusCode).toBe(200);
    ids.terminated = await start('hist_approval', 'order-2');
    expect((await call(t.app, 'DELETE', `/instances/${ids.terminated}?reason=${encodeURIComponent('order withdrawn')}`)).statusCode).toBe(204);
    ids.active = await start('hist_approval', 'order-3');
    ids.straight = await start('hist_straight');
    ids.parent = await start('hist_parent');
    ids.called = (await call(t.app, 'GET', `/instances?super_instance_id=${ids.parent}`)).json().data[0].id;
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const get = async (path: string) => {
    const answer = await fetch(`${baseUrl}${path}`);
    expect(answer.headers.get('content-type')).toBe('application/json');
    return { status: answer.status, body: await answer.json() as Row[] & Row };
  };
  const post = async (path: string, body: unknown) => {
    const answer = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: answer.status, body: await answer.json() as Row[] & Row };
  };
  const idsOf = (rows: Row[]) => rows.map((row) => row.id);

  it('lists process instances with their states, times and durations, as HistoricProcessInstanceDto', async () => {
    const { status, body } = await get('/process-instance?processDefinitionKey=hist_approval&sortBy=startTime&sortOrder=asc');
    expect(status).toBe(200);
    expect(idsOf(body)).toEqual([ids.completed, ids.terminated, ids.active]);
    const [completed, terminated, active] = body;
    expect(completed).toEqual({
      id: ids.completed, businessKey: 'order-1', processDefinitionId: expect.any(String), processDefinitionKey: 'hist_approval',
      processDefinitionName: 'Approval hist_approval', processDefinitionVersion: 1, startTime: expect.stringMatching(CAMUNDA_TIME),
      endTime: expect.stringMatching(CAMUNDA_TIME), removalTime: expect.stringMatching(CAMUNDA_TIME), durationInMillis: expect.any(Number),
      startUserId: expect.any(String), startActivityId: 'start', deleteReason: null, rootProcessInstanceId: ids.completed, superProcessInstanceId: null,
      superCaseInstanceId: null, caseInstanceId: null, tenantId: null, state: 'COMPLETED',
    });
    expect(Date.parse(String(completed!.endTime).replace('+0000', 'Z')) - Date.parse(String(completed!.startTime).replace('+0000', 'Z')))
      .toBe(completed!.durationInMillis);
    expect(terminated).toMatchObject({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'order withdrawn', durationInMillis: expect.any(Number) });
    expect(active).toMatchObject({ state: 'ACTIVE', endTime: null, durationInMillis: null, removalTime: null, deleteReason: null });
    expect((await get(`/process-instance/${ids.terminated}`)).body).toEqual(terminated);
    const unknown = await get(`/process-instance/${UNKNOWN_ID}`);
    expect(unknown).toMatchObject({ status: 404, body: { type: 'InvalidRequestException' } });
  });

  it('filters by state, finished and unfinished, merging the engine lists of several statuses page by page', async () => {
    const query = (filter: string) => get(`/process-instance?processDefinitionKey=hist_approval&${filter}`);
    expect(idsOf((await query('finished=true&sortBy=startTime&sortOrder=asc')).body)).toEqual([ids.completed, ids.terminated]);
    expect(idsOf((await query('unfinished=true')).body)).toEqual([ids.active]);
    expect(idsOf((await query('completed=true')).body)).toEqual([ids.completed]);
    expect(idsOf((await query('externallyTerminated=true&finished=true')).body)).toEqual([ids.terminated]);
    expect(idsOf((await query('active=true&finished=true')).body)).toEqual([]);
    expect((await get('/process-instance/count?processDefinitionKey=hist_approval&finished=true')).body).toEqual({ count: 2 });
    expect((await get('/process-instance/count?finished=true&unfinished=true')).body).toEqual({ count: 0 });

    const finishedNewestFirst = { processDefinitionKey: 'hist_approval', finished: true, unfinished: null, sorting: [{ sortBy: 'startTime', sortOrder: 'desc' }] };
    expect(idsOf((await post('/process-instance?firstResult=0&maxResults=1', finishedNewestFirst)).body)).toEqual([ids.terminated]);
    expect(idsOf((await post('/process-instance?firstResult=1&maxResults=1', finishedNewestFirst)).body)).toEqual([ids.completed]);
    expect((await post('/process-instance/count', { processDefinitionKey: 'hist_approval', unfinished: true })).body).toEqual({ count: 1 });

    expect(idsOf((await get(`/process-instance?processInstanceId=${ids.completed}`)).body)).toEqual([ids.completed]);
    expect(idsOf((await get(`/process-instance?processInstanceId=${ids.completed}&unfinished=true`)).body)).toEqual([]);
    expect(idsOf((await get(`/process-instance?processInstanceId=${UNKNOWN_ID}`)).body)).toEqual([]);
    const started = (await get(`/process-instance/${ids.terminated}`)).body.startTime as string;
    expect(idsOf((await query(`startedAfter=${encodeURIComponent(started)}&startedBefore=${encodeURIComponent(started)}`)).body)).toEqual([ids.terminated]);
  });

  it('tells a called instance its super and root instance, and the call activity the instance it called', async () => {
    const { body } = await get(`/process-instance?superProcessInstanceId=${ids.parent}`);
    expect(body).toEqual([expect.objectContaining({ id: ids.called, superProcessInstanceId: ids.parent, rootProcessInstanceId: ids.parent, state: 'ACTIVE' })]);
    const activities = (await get(`/activity-instance?processInstanceId=${ids.parent}&activityType=callActivity`)).body;
    expect(activities).toEqual([expect.objectContaining({ activityId: 'call', calledProcessInstanceId: ids.called, endTime: null, rootProcessInstanceId: ids.parent })]);
  });

  it("lists an instance's activities with Camunda's activity types, in the order they ran", async () => {
    const { status, body } = await get(`/activity-instance?processInstanceId=${ids.completed}`);
    expect(status).toBe(200);
    expect(body.map((a) => [a.activityId, a.activityType, a.canceled, a.completeScope])).toEqual([
      ['start', 'startEvent', false, false], ['approve', 'userTask', false, false], ['end', 'noneEndEvent', false, true],
    ]);
    const approve = body[1]!;
    expect(approve).toMatchObject({
      activityName: 'Approve', taskId: completedTaskId, parentActivityInstanceId: ids.completed, processInstanceId: ids.completed,
      processDefinitionKey: 'hist_approval', executionId: expect.any(String), startTime: expect.stringMatching(CAMUNDA_TIME),
      endTime: expect.stringMatching(CAMUNDA_TIME), durationInMillis: expect.any(Number), rootProcessInstanceId: ids.completed,
    });
    const cancelled = (await get(`/activity-instance?processInstanceId=${ids.terminated}`)).body;
    expect(cancelled.map((a) => [a.activityId, a.canceled])).toEqual([['start', false], ['approve', true]]);
    expect((await get(`/activity-instance?processInstanceId=${ids.active}&unfinished=true`)).body.map((a) => a.activityId)).toEqual(['approve']);
    expect((await get(`/activity-instance/count?processInstanceId=${ids.completed}&finished=true`)).body).toEqual({ count: 3 });
    const newestFirst = await post('/activity-instance?maxResults=2', { processInstanceId: ids.completed, sortBy: 'occurrence', sortOrder: 'desc' });
    expect(newestFirst.body.map((a) => a.activityId)).toEqual(['end', 'approve']);
    expect((await get(`/activity-instance?processInstanceId=${ids.straight}&activityType=noneEndEvent`)).body).toHaveLength(1);
    expect((await get(`/activity-instance?processInstanceId=${UNKNOWN_ID}`)).body).toEqual([]);
  });

  it('lists tasks open, completed and cancelled, as HistoricTaskInstanceDto', async () => {
    const { body } = await get('/task?processDefinitionKey=hist_approval&sortBy=startTime&sortOrder=asc');
    expect(body.map((task) => [task.processInstanceId, task.taskState, task.deleteReason])).toEqual([
      [ids.completed, 'Completed', 'completed'], [ids.terminated, 'Deleted', 'deleted'], [ids.active, 'Created', null],
    ]);
    const approveActivity = (await get(`/activity-instance?processInstanceId=${ids.completed}&activityId=approve`)).body[0]!;
    expect(body[0]).toEqual({
      id: completedTaskId, processDefinitionKey: 'hist_approval', processDefinitionId: expect.any(String), processInstanceId: ids.completed,
      executionId: approveActivity.executionId, caseDefinitionKey: null, caseDefinitionId: null, caseInstanceId: null, caseExecutionId: null,
      activityInstanceId: approveActivity.id, name: 'Approve', description: null, deleteReason: 'completed', owner: null, assignee: null,
      startTime: expect.stringMatching(CAMUNDA_TIME), endTime: approveActivity.endTime, duration: expect.any(Number), taskDefinitionKey: 'approve',
      priority: 50, due: null, parentTaskId: null, followUp: null, tenantId: null, removalTime: expect.stringMatching(CAMUNDA_TIME),
      rootProcessInstanceId: ids.completed, taskState: 'Completed',
    });
    expect(body[2]).toMatchObject({ endTime: null, duration: null, taskState: 'Created' });
    const processes = (rows: Row[]) => rows.map((task) => task.processInstanceId);
    expect(processes((await get('/task?processDefinitionKey=hist_approval&finished=true&sortBy=startTime&sortOrder=desc')).body)).toEqual([ids.terminated, ids.completed]);
    expect(processes((await get('/task?processDefinitionKey=hist_approval&unfinished=true')).body)).toEqual([ids.active]);
    expect(processes((await post('/task', { processInstanceId: ids.completed, taskDefinitionKey: 'approve' })).body)).toEqual([ids.completed]);
    expect((await get('/task/count?processDefinitionKey=hist_approval')).body).toEqual({ count: 3 });
  });

  it('lists the variables of an ended instance, typed as Camunda types them', async () => {
    const { body } = await get(`/variable-instance?processInstanceId=${ids.completed}&sortBy=variableName&sortOrder=asc`);
    expect(body.map((v) => [v.name, v.type, v.value])).toEqual([['amount', 'Integer', 42], ['approved', 'Boolean', true], ['order', 'Json', '{"id":"o-1"}']]);
    expect(body[0]).toMatchObject({
      processInstanceId: ids.completed, processDefinitionKey: 'hist_approval', executionId: ids.completed, activityInstanceId: ids.completed,
      state: 'CREATED', taskId: null, errorMessage: null, rootProcessInstanceId: ids.completed, valueInfo: {},
    });
    expect((await get(`/variable-instance?processInstanceId=${ids.completed}&variableName=approved`)).body).toEqual([expect.objectContaining({ value: true })]);
    expect((await post('/variable-instance/count', { processInstanceId: ids.completed, variableNameIn: ['amount', 'order'] })).body).toEqual({ count: 2 });
    expect((await get(`/variable-instance/count?processInstanceId=${UNKNOWN_ID}`)).body).toEqual({ count: 0 });
  });

  it('lists incidents open and resolved, as HistoricIncidentDto', async () => {
    const instanceId = await start('hist_charge');
    const [locked] = (await call(t.app, 'POST', '/external-tasks/fetch-and-lock', {
      worker_id: 'w', max_tasks: 1, topics: [{ topic_name: 'hist_charge', lock_duration: 60_000, process_instance_id: instanceId }],
    })).json() as { id: string }[];
    await call(t.app, 'POST', `/external-tasks/${locked!.id}/failure`, { worker_id: 'w', error_message: 'card service down', retries: 0 });
    const [open] = (await get(`/incident?processInstanceId=${instanceId}&open=true`)).body;
    expect(open).toMatchObject({
      processInstanceId: instanceId, processDefinitionKey: 'hist_charge', incidentType: 'failedExternalTask', activityId: 'charge',
      incidentMessage: 'card service down', open: true, resolved: false, endTime: null, causeIncidentId: open!.id, rootProcessInstanceId: instanceId,
    });
    expect((await call(t.app, 'POST', `/incidents/${open!.id}/resolve`, { resolution_type: 'retry' })).statusCode).toBe(200);
    expect((await get(`/incident?processInstanceId=${instanceId}&open=true`)).body).toEqual([]);
    const [resolved] = (await get(`/incident?processInstanceId=${instanceId}&resolved=true`)).body;
    expect(resolved).toMatchObject({ id: open!.id, open: false, resolved: true, endTime: expect.stringMatching(CAMUNDA_TIME) });
    expect((await get(`/incident/count?processInstanceId=${instanceId}`)).body).toEqual({ count: 1 });
  });

  it('lists the decisions a business rule task evaluated, with their inputs and outputs when asked for, as HistoricDecisionInstanceDto', async () => {
    expect((await call(t.app, 'POST', '/decisions', { dmn_xml: approvalDecision('hist_rule', 100) })).statusCode).toBe(201);
    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: businessRuleModel('hist_ruled', 'hist_rule') })).statusCode).toBe(201);
    const instanceId = await start('hist_ruled', undefined, { amount: 250 });
    const [bare] = (await get(`/decision-instance?processInstanceId=${instanceId}`)).body;
    expect(bare).toMatchObject({
      decisionDefinitionKey: 'hist_rule', decisionDefinitionName: 'Approve hist_rule', processInstanceId: instanceId, processDefinitionKey: 'hist_ruled',
      activityId: 'decide', rootProcessInstanceId: instanceId, evaluationTime: expect.stringMatching(CAMUNDA_TIME), inputs: null, outputs: null,
      rootDecisionInstanceId: null, userId: null,
    });
    const [full] = (await get(`/decision-instance?decisionDefinitionKey=hist_rule&includeInputs=true&includeOutputs=true`)).body;
    expect(full!.inputs).toEqual([expect.objectContaining({ decisionInstanceId: bare!.id, clauseId: 'amount_in', clauseName: 'Amount', type: 'Integer', value: 250 })]);
    expect(full!.outputs).toEqual([expect.objectContaining({
      decisionInstanceId: bare!.id, clauseId: 'approved_out', ruleId: 'large', ruleOrder: 2, variableName: 'approved', type: 'Boolean', value: false,
    })]);
    expect((await get(`/decision-instance/${bare!.id}?includeOutputs=true`)).body).toEqual({ ...full, inputs: null });
    expect((await get(`/decision-instance/count?activityIdIn=decide&processInstanceId=${instanceId}`)).body).toEqual({ count: 1 });
    expect((await get(`/decision-instance/${UNKNOWN_ID}`)).status).toBe(404);
    expect(await get('/decision-instance?activityIdIn=a,b')).toMatchObject({ status: 400, body: { message: expect.stringContaining('activityIdIn') } });
  });

  it('refuses by name, with 400, what Camunda offers and the engine cannot serve', async () => {
    const refused = async (answer: Promise<{ status: number; body: Row }>, type: string, words: string) =>
      expect(await answer).toMatchObject({ status: 400, body: { type, message: expect.stringContaining(words) } });
    await refused(get('/process-instance?withIncidents=true'), 'InvalidRequestException', 'withIncidents');
    await refused(post('/process-instance', { finishedAfter: '2024-01-01T00:00:00.000+0000', withIncidents: null }), 'InvalidRequestException', 'finishedAfter');
    await refused(get('/process-instance?active=true&completed=true'), 'BadUserRequestException', 'Already querying for historic process instance with another state');
    await refused(get('/process-instance?finished=true&sortBy=businessKey&sortOrder=asc'), 'InvalidRequestException', "Cannot sort by 'businessKey'");
    await refused(get('/process-instance?tenantIdIn=a,b'), 'InvalidRequestException', 'tenantIdIn');
    await refused(post('/process-instance', { sorting: [{ sortBy: 'startTime', sortOrder: 'asc' }, { sortBy: 'duration', sortOrder: 'asc' }] }), 'InvalidRequestException', 'sorting');
    await refused(get('/activity-instance?activityType=userTask'), 'InvalidRequestException', 'processInstanceId is required');
    await refused(get('/variable-instance/count'), 'InvalidRequestException', 'processInstanceId is required');
    await refused(get('/task?taskNameLike=App%25'), 'InvalidRequestException', 'taskNameLike');
    await refused(get('/incident?open=true&resolved=true'), 'InvalidRequestException', 'Already querying for incident state');
    // the same filters with nothing asked are no refusal, as Camunda's clients send them
    expect((await post('/process-instance/count', { withIncidents: false, processInstanceIds: [], finishedAfter: null })).status).toBe(200);
  });
});
