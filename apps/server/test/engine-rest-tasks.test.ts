// Camunda 7's /task endpoints at /engine-rest, driven over HTTP as a Camunda task list drives them: tasks
// listed by candidate group, claimed, their variables read, completed with typed variables (a Json one as
// text), delegated and resolved, a generated form shown and submitted; and Camunda's answers when a task
// is gone, suspended, claimed by someone else, or asked for what the engine cannot do. What each command
// did is read back through /api/processes.
import { testBackends } from '@dadms/process-engine/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formModel } from './models.js';
import { call, expectContractKept, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

/** start → `review` (candidate group accounting, priority from a variable) → `archive` (a Camunda Form, by formRef) → end */
const invoiceModel = (key: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_${key}" targetNamespace="http://test">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review invoice" camunda:candidateGroups="accounting" camunda:formKey="embedded:app:forms/review.html"
      camunda:dueDate="2030-01-31T10:00:00Z" camunda:priority="\${priority}" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="archive" />
    <bpmn:userTask id="archive" name="Archive" camunda:formRef="archive-form" />
    <bpmn:sequenceFlow id="f3" sourceRef="archive" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
const archiveForm = { type: 'default', id: 'archive-form', components: [{ type: 'textfield', key: 'shelf', label: 'Shelf' }] };

const CAMUNDA_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

interface Answer {
  status: number;
  body: any;
}

describe.each(testBackends())('the Camunda 7 task endpoints on %s', (backend) => {
  let t: TestApp;
  let baseUrl = '';
  let definitionId = '';
  beforeAll(async () => {
    t = await startTestApp(backend, 'engine-rest-tasks');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/engine-rest`;
    const deployed = await call(t.app, 'POST', '/definitions', { bpmn_xml: invoiceModel('invoice'), forms: [archiveForm] });
    expect(deployed.statusCode, deployed.body).toBe(201);
    definitionId = deployed.json().definitions[0].id;
    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: formModel('expense') })).statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  /** a request as Camunda's clients send it, and its answer */
  const rest = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const startInvoice = async (priority: number) => {
    const started = await rest('POST', '/process-definition/key/invoice/start', {
      businessKey: null,
      variables: { amount: { type: 'Double', value: 250.5 }, customer: { type: 'String', value: 'ACME' }, order: { type: 'Json', value: '{"lines":[1,2]}' }, priority: { type: 'Integer', value: priority } },
    });
    expect(started.status).toBe(200);
    return started.body.id as string;
  };
  const taskOf = async (instanceId: string) => {
    const [task] = (await rest('GET', `/task?processInstanceId=${instanceId}`)).body as { id: string; taskDefinitionKey: string }[];
    return task!;
  };
  const ours = async (taskId: string) => (await call(t.app, 'GET', `/tasks/${taskId}`)).json();
  const instance = async (id: string) => (await call(t.app, 'GET', `/instances/${id}`)).json();

  it('lists tasks by candidate group, claims one, reads its variables and completes it with typed variables', async () => {
    const first = await startInvoice(70);
    const second = await startInvoice(30);
    const listed = await rest('GET', '/task?candidateGroup=accounting&processDefinitionKey=invoice&sortBy=priority&sortOrder=desc');
    expect(listed.status).toBe(200);
    expect(listed.body.map((task: { processInstanceId: string }) => task.processInstanceId)).toEqual([first, second]);
    const task = listed.body[0];
    expect(task).toEqual({
      id: expect.any(String), name: 'Review invoice', assignee: null, created: expect.stringMatching(CAMUNDA_DATE), due: '2030-01-31T10:00:00.000+0000',
      followUp: null, lastUpdated: null, delegationState: null, description: null, executionId: expect.any(String), owner: null, parentTaskId: null,
      priority: 70, processDefinitionId: definitionId, processInstanceId: first, taskDefinitionKey: 'review', caseExecutionId: null, caseInstanceId: null,
      caseDefinitionId: null, suspended: false, formKey: 'embedded:app:forms/review.html', camundaFormRef: null, tenantId: null, taskState: null,
    });
    expect((await rest('GET', '/task/count?candidateGroup=accounting&processDefinitionKey=invoice')).body).toEqual({ count: 2 });
    const query = { candidateGroup: 'accounting', processDefinitionKey: 'invoice', assigneeLike: null, active: false, processVariables: [] };
    expect((await rest('POST', '/task/count', query)).body).toEqual({ count: 2 });
    const paged = await rest('POST', '/task?firstResult=1&maxResults=1', { ...query, sorting: [{ sortBy: 'priority', sortOrder: 'desc' }] });
    expect(paged.body.map((t: { processInstanceId: string }) => t.processInstanceId)).toEqual([second]);

    expect((await rest('POST', `/task/${task.id}/claim`, { userId: 'mary' })).status).toBe(204);
    expect((await ours(task.id)).assignee).toBe('mary');
    // a claimed task is no longer offered to the group, unless assigned tasks are asked for too
    const offered = async (extra: string) => (await rest('GET', `/task?candidateGroup=accounting&processDefinitionKey=invoice${extra}`)).body.map((t: { id: string }) => t.id);
    expect(await offered('')).not.toContain(task.id);
    expect(await offered('&includeAssignedTasks=true')).toContain(task.id);
    expect((await rest('GET', '/task?assignee=mary')).body).toEqual([expect.objectContaining({ id: task.id, assignee: 'mary' })]);
    const other = await rest('POST', `/task/${task.id}/claim`, { userId: 'john' });
    expect(other).toEqual({ status: 500, body: { type: 'TaskAlreadyClaimedException', message: `Task '${task.id}' is already claimed by someone else.` } });
    expect((await ours(task.id)).assignee).toBe('mary');

    expect((await rest('GET', `/task/${task.id}/variables`)).body).toEqual({
      amount: { type: 'Double', value: 250.5, valueInfo: {} }, customer: { type: 'String', value: 'ACME', valueInfo: {} },
      order: { type: 'Json', value: '{"lines":[1,2]}', valueInfo: {} }, priority: { type: 'Integer', value: 70, valueInfo: {} },
    });
    expect((await rest('GET', `/task/${task.id}/variables/customer`)).body).toEqual({ type: 'String', value: 'ACME', valueInfo: {} });
    expect(await rest('GET', `/task/${task.id}/variables/nothing`)).toEqual({ status: 404, body: { type: 'InvalidRequestException', message: 'task variable with name nothing does not exist' } });
    expect((await rest('GET', `/task/${task.id}/identity-links`)).body).toEqual([
      { userId: null, groupId: 'accounting', type: 'candidate' }, { userId: 'mary', groupId: null, type: 'assignee' },
    ]);
    expect((await rest('GET', `/task/${task.id}/identity-links?type=assignee`)).body).toEqual([{ userId: 'mary', groupId: null, type: 'assignee' }]);
    expect((await rest('GET', `/task/${task.id}/form`)).body).toEqual({ key: 'embedded:app:forms/review.html', contextPath: null, camundaFormRef: null });
    const withVariables = await rest('GET', `/task/${task.id}?withTaskVariablesInReturn=true&withCommentAttachmentInfo=true`);
    expect(withVariables.body).toMatchObject({ id: task.id, attachment: false, comment: false, variables: { customer: { type: 'String', value: 'ACME' } } });

    const completed = await rest('POST', `/task/${task.id}/complete`, {
      variables: { approved: { type: 'Boolean', value: true }, decision: { type: 'Json', value: '{"by":"mary","notes":["ok"]}' } }, withVariablesInReturn: true,
    });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ approved: { type: 'Boolean', value: true }, decision: { type: 'Json', value: '{"by":"mary","notes":["ok"]}' }, customer: { value: 'ACME' } });
    const moved = await instance(first);
    expect(moved.current_activities.map((a: { activity_id: string }) => a.activity_id)).toEqual(['archive']);
    expect(moved.variables).toMatchObject({ approved: { type: 'Boolean', value: true }, decision: { type: 'Json', value: { by: 'mary', notes: ['ok'] } } });
    expect(await rest('GET', `/task/${task.id}`)).toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `No matching task with id ${task.id}` } });
    expect(await rest('POST', `/task/${task.id}/complete`, {})).toEqual({
      status: 500, body: { type: 'RestException', message: `Cannot complete task ${task.id}: Cannot find task with id ${task.id}: task is null` },
    });

    const archive = await taskOf(first);
    expect(archive).toMatchObject({ taskDefinitionKey: 'archive', formKey: null, camundaFormRef: { key: 'archive-form', binding: null, version: null } });
    expect((await rest('GET', `/task/${archive.id}/form`)).body).toEqual({ key: null, contextPath: null, camundaFormRef: { key: 'archive-form', binding: null, version: null } });
    expect((await rest('POST', `/task/${archive.id}/complete`, { variables: null, withVariablesInReturn: null })).status).toBe(204);
    expect((await instance(first)).status).toBe('completed');
    expectContractKept(t);
  });

  it('sets the assignee, delegates, resolves with variables and unclaims as Camunda does', async () => {
    const id = await startInvoice(50);
    const task = await taskOf(id);
    expect((await rest('POST', `/task/${task.id}/assignee`, { userId: 'mary' })).status).toBe(204);
    expect((await rest('POST', `/task/${task.id}/delegate`, { userId: 'peter' })).status).toBe(204);
    expect((await rest('GET', `/task/${task.id}`)).body).toMatchObject({ assignee: 'peter', owner: 'mary', delegationState: 'PENDING' });
    expect((await rest('GET', `/task?delegationState=PENDING&processInstanceId=${id}`)).body).toEqual([expect.objectContaining({ id: task.id })]);
    expect((await rest('POST', `/task/${task.id}/resolve`, { variables: { checked: { type: 'Boolean', value: true } } })).status).toBe(204);
    expect(await ours(task.id)).toMatchObject({ assignee: 'mary', owner: 'mary', delegation_state: 'resolved' });
    expect((await instance(id)).variables.checked).toMatchObject({ type: 'Boolean', value: true });
    expect((await rest('POST', `/task/${task.id}/unclaim`)).status).toBe(204);
    expect((await ours(task.id)).assignee).toBeUndefined();
    expect((await rest('POST', `/task/${task.id}/claim`, { userId: 'anna' })).status).toBe(204);
    expect((await rest('POST', `/task/${task.id}/assignee`, { userId: null })).status).toBe(204);
    expect((await ours(task.id)).assignee).toBeUndefined();
    expectContractKept(t);
  });

  it("answers a task that is not there with each endpoint's own status and exception, as Camunda does", async () => {
    const missing = (id: string) => `Cannot find task with id ${id}: task is null`;
    for (const id of [UNKNOWN_ID, 'not-a-task-id']) {
      const expected: [string, string, unknown, number, string, string][] = [
        ['POST', 'claim', { userId: 'mary' }, 500, 'NullValueException', missing(id)],
        ['POST', 'unclaim', undefined, 400, 'NotFoundException', missing(id)],
        ['POST', 'assignee', { userId: 'mary' }, 400, 'NotFoundException', missing(id)],
        ['POST', 'delegate', { userId: 'mary' }, 500, 'NullValueException', missing(id)],
        ['POST', 'resolve', {}, 500, 'NullValueException', missing(id)],
        ['POST', 'complete', {}, 500, 'RestException', `Cannot complete task ${id}: ${missing(id)}`],
        ['POST', 'submit-form', {}, 500, 'RestException', `Cannot submit task form ${id}: ${missing(id)}`],
        ['GET', '', undefined, 404, 'InvalidRequestException', `No matching task with id ${id}`],
        ['GET', 'variables', undefined, 500, 'NullValueException', `task ${id} doesn't exist: task is null`],
        ['GET', 'variables/amount', undefined, 500, 'RestException', `Cannot get task variable amount: task ${id} doesn't exist: task is null`],
        ['GET', 'form-variables', undefined, 400, 'BadUserRequestException', `Cannot find task with id '${id}'.: task is null`],
        ['GET', 'form', undefined, 400, 'RestException', `Cannot get form for task ${id}`],
        ['GET', 'identity-links', undefined, 500, 'NullValueException', missing(id)],
      ];
      for (const [method, path, body, status, type, message] of expected) {
        expect({ path, ...(await rest(method as 'GET' | 'POST', `/task/${id}${path ? `/${path}` : ''}`, body)) }).toEqual({ path, status, body: { type, message } });
      }
    }
  });

  it('refuses a suspended task and bad variables as Camunda does, and leaves the task open', async () => {
    const id = await startInvoice(10);
    const task = await taskOf(id);
    expect((await call(t.app, 'PUT', `/instances/${id}/suspended`, { suspended: true })).statusCode).toBe(200);
    expect((await rest('GET', `/task/${task.id}`)).body.suspended).toBe(true);
    const suspended = `ENGINE-03043 task with id '${task.id}' is suspended.`;
    expect(await rest('POST', `/task/${task.id}/claim`, { userId: 'mary' })).toEqual({ status: 400, body: { type: 'SuspendedEntityInteractionException', message: suspended } });
    expect(await rest('POST', `/task/${task.id}/complete`, {})).toEqual({ status: 500, body: { type: 'RestException', message: `Cannot complete task ${task.id}: ${suspended}` } });
    expect(await ours(task.id)).toMatchObject({ status: 'created', suspension_state: 'suspended' });
    expect((await call(t.app, 'PUT', `/instances/${id}/suspended`, { suspended: false })).statusCode).toBe(200);

    const bad = await rest('POST', `/task/${task.id}/complete`, { variables: { approved: { type: 'Integer', value: 'yes' } } });
    expect(bad).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: expect.stringMatching(new RegExp(`^Cannot complete task ${task.id}: .*approved`)) } });
    const notJson = await rest('POST', `/task/${task.id}/submit-form`, { variables: { decision: { type: 'Json', value: '{not json' } } });
    expect(notJson).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: `Cannot submit task form ${task.id}: The json variable 'decision' is not JSON text` } });
    expect((await ours(task.id)).status).toBe('created');
    expect((await instance(id)).variables.approved).toBeUndefined();
  });

  it('shows the fields of a generated form with the other variables, and checks a submitted form', async () => {
    const started = await rest('POST', '/process-definition/key/expense/start', { variables: { note: { type: 'String', value: 'taxi' } } });
    const task = await taskOf(started.body.id);
    expect((await rest('GET', `/task/${task.id}/form-variables`)).body).toEqual({
      amount: { type: 'Long', value: null, valueInfo: {} }, note: { type: 'String', value: 'taxi', valueInfo: {} },
    });
    expect(Object.keys((await rest('GET', `/task/${task.id}/form-variables?variableNames=amount`)).body)).toEqual(['amount']);
    expect((await rest('GET', `/task/${task.id}/form`)).body).toEqual({ key: null, contextPath: null, camundaFormRef: null });
    const tooMuch = await rest('POST', `/task/${task.id}/submit-form`, { variables: { amount: { type: 'Long', value: 500 } } });
    expect(tooMuch).toMatchObject({ status: 400, body: { type: 'RestException', message: expect.stringMatching(new RegExp(`^Cannot submit task form ${task.id}: .*amount`)) } });
    expect((await ours(task.id)).status).toBe('created');
    expect((await rest('POST', `/task/${task.id}/submit-form`, { variables: { amount: { type: 'Long', value: 50 } } })).status).toBe(204);
    expect(await instance(started.body.id)).toMatchObject({ status: 'completed', variables: { amount: { type: 'Long', value: 50 } } });
  });

  it('filters by due date and tenant, and refuses by name what the engine cannot filter or sort by', async () => {
    await startInvoice(20);
    const ids = async (path: string, body?: unknown) => {
      const answer = await rest(body === undefined ? 'GET' : 'POST', path, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return (answer.body as unknown[]).length;
    };
    expect(await ids(`/task?processDefinitionKey=invoice&dueBefore=${encodeURIComponent('2031-01-01T00:00:00.000+0100')}`)).toBeGreaterThan(0);
    expect(await ids(`/task?processDefinitionKey=invoice&dueBefore=${encodeURIComponent('2029-01-01T00:00:00.000+0000')}`)).toBe(0);
    expect(await ids('/task?processDefinitionKey=invoice&tenantIdIn=acme')).toBe(0);
    expect(await ids('/task', { processDefinitionKeyIn: ['invoice'], tenantIdIn: ['acme'] })).toBe(0);

    const refused = async (path: string, named: string, body?: unknown) =>
      expect(await rest(body === undefined ? 'GET' : 'POST', path, body)).toEqual({ status: 400, body: { type: 'InvalidRequestException', message: expect.stringContaining(named) } });
    await refused('/task?assigneeLike=%25ma%25', 'assigneeLike is not supported by this engine');
    await refused('/task?tenantIdIn=acme,globex', 'tenantIdIn with more than one value');
    await refused('/task?sortBy=id&sortOrder=asc', "Cannot sort by 'id'");
    await refused('/task?sortBy=created', 'sortBy and sortOrder required');
    await refused('/task?dueBefore=tomorrow', "Cannot set query parameter 'dueBefore' to value 'tomorrow'");
    await refused('/task?candidateUser=mary&candidateGroup=accounting', 'cannot set both candidateUser and candidateGroup');
    await refused('/task?delegationState=RESOLVED', "delegationState 'RESOLVED' is not supported");
    await refused('/task/count?processVariables=amount_eq_5', 'processVariables');
    await refused('/task', 'processVariables is not supported', { processVariables: [{ name: 'amount', operator: 'eq', value: 5 }] });
    await refused('/task', 'sorting by more than one field', { sorting: [{ sortBy: 'created', sortOrder: 'asc' }, { sortBy: 'priority', sortOrder: 'desc' }] });
    await refused('/task/count', 'orQueries', { orQueries: [{ assignee: 'mary' }] });
    await refused('/task', 'firstResult', { firstResult: 5 });
    await refused('/task', 'sortOrder', { sorting: [{ sortBy: 'priority', sortOrder: 'sideways' }] });
    await refused(`/task/${UNKNOWN_ID}?withTaskLocalVariablesInReturn=true`, 'withTaskLocalVariablesInReturn');
    expectContractKept(t);
  });
});
