// Camunda 7's `/job` and `/incident` resources at /engine-rest, driven over HTTP as Camunda's clients and
// cockpit-like tools drive them: jobs listed, filtered, sorted and counted, one read, its retries and due date set and
// run at once; open incidents listed, filtered and counted, one read, annotated and, when custom, resolved.
// What each command did is read back through /api; what the engine cannot do is refused by name.
import { testBackends } from '@dadms/process-engine/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, SECRET_ENV } from './auth/tokens.js';
import { externalTaskModel, httpCallModel, timerModel } from './models.js';
import { call, expectContractKept, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

interface Answer {
  status: number;
  /** Camunda's JSON, read as a client reads it */
  body: any;
}

/** start → exclusive gateway `route` whose one flow needs an amount above 10: a smaller one leaves a conditionError incident */
const routeModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_route" targetNamespace="http://example.com/test">
  <bpmn:process id="ji_route" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="route" />
    <bpmn:exclusiveGateway id="route" />
    <bpmn:sequenceFlow id="big" sourceRef="route" targetRef="end"><bpmn:conditionExpression>\${amount &gt; 10}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const HOUR_MS = 3_600_000;
/** Camunda's way of writing a time, `2024-01-31T10:00:00.000+0000` */
const camundaTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const CAMUNDA_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;
const query = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

describe.each(testBackends())('the Camunda 7 job and incident resources on %s', (backend) => {
  let t: TestApp;
  let baseUrl = '';
  let admin: Record<string, string>;
  beforeAll(async () => {
    // every job runs by hand here, none by the executor
    t = await startTestApp(backend, 'engine-rest-jobs-incidents', { jobs: { run: false } }, SECRET_ENV);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/engine-rest`;
    admin = await bearer('root', { roles: ['admin'] });
    const models = [timerModel('ji_timer'), httpCallModel('ji_call', 'http://127.0.0.1:9/refused', { method: 'GET' }), externalTaskModel('ji_charge', 'ji_topic'), routeModel];
    for (const bpmn_xml of models) expect((await call(t.app, 'POST', '/definitions', { bpmn_xml }, admin)).statusCode).toBe(201);
    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: timerModel('ji_tenant'), tenant_id: 'acme' }, admin)).statusCode).toBe(201);
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  /** a request as a Camunda client sends it, by default as an admin, and Camunda's answer */
  async function rest(method: string, path: string, body?: unknown, headers = admin): Promise<Answer> {
    const sent = body === undefined ? {} : { body: JSON.stringify(body) };
    const res = await fetch(`${baseUrl}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...sent });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const refused = (name: string) => ({ status: 400, body: { type: 'InvalidRequestException', message: expect.stringContaining(name) } });
  const ids = (answer: Answer) => (answer.body as { id: string }[]).map((row) => row.id);
  const api = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
    const res = await call(t.app, method, path, body as object, admin);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
  const start = async (key: string, fields: Record<string, unknown> = {}): Promise<string> => (await api('POST', '/instances', { process_definition_key: key, ...fields })).id;
  /** an instance of the model and the id of its one job */
  const withJob = async (key: string, fields: Record<string, unknown> = {}) => {
    const instanceId = await start(key, fields);
    const jobs = (await api('GET', `/jobs?process_instance_id=${instanceId}`)).data as { id: string }[];
    expect(jobs).toHaveLength(1);
    return { instanceId, jobId: jobs[0]!.id };
  };
  /** an instance whose external task failed for good with `message`, and its failedExternalTask incident */
  const failedCharge = async (message: string) => {
    const instanceId = await start('ji_charge');
    const [task] = await api('POST', '/external-tasks/fetch-and-lock', {
      worker_id: 'w', max_tasks: 1, topics: [{ topic_name: 'ji_topic', lock_duration: 60_000, process_instance_id: instanceId }],
    });
    await call(t.app, 'POST', `/external-tasks/${task.id}/failure`, { worker_id: 'w', error_message: message, retries: 0 }, admin);
    const [incident] = (await rest('GET', `/incident?processInstanceId=${instanceId}`)).body;
    expect(incident).toMatchObject({ incidentType: 'failedExternalTask', configuration: task.id });
    return { instanceId, incident };
  };

  it('lists, filters, sorts, pages and counts jobs with Camunda\'s fields, and refuses what it cannot filter by name', async () => {
    const first = await withJob('ji_timer');
    const second = await withJob('ji_timer');
    const calling = await withJob('ji_call');
    const acme = await withJob('ji_tenant', { tenant_id: 'acme' });
    const definition = (await api('GET', `/instances/${first.instanceId}`)).process_definition_id;

    const [dto] = (await rest('GET', `/job?processInstanceId=${first.instanceId}`)).body;
    expect(dto).toEqual({
      id: first.jobId, jobDefinitionId: null, processInstanceId: first.instanceId, processDefinitionId: definition, processDefinitionKey: 'ji_timer',
      executionId: expect.any(String), exceptionMessage: null, failedActivityId: null, retries: 3, dueDate: expect.stringMatching(CAMUNDA_TIME),
      suspended: false, priority: 0, tenantId: null, createTime: expect.stringMatching(CAMUNDA_TIME), batchId: null,
    });
    expect(Date.parse(dto.dueDate.replace('+0000', 'Z')) - Date.now()).toBeGreaterThan(HOUR_MS - 60_000);
    expect(await rest('GET', `/job/${first.jobId}`)).toEqual({ status: 200, body: dto });

    expect(ids(await rest('GET', '/job?processDefinitionKey=ji_timer')).sort()).toEqual([first.jobId, second.jobId].sort());
    expect(ids(await rest('GET', `/job?processDefinitionId=${definition}&jobId=${second.jobId}`))).toEqual([second.jobId]);
    expect(ids(await rest('GET', '/job?activityId=call'))).toEqual([calling.jobId]);
    const timers = ids(await rest('GET', '/job?timers=true'));
    expect(timers).toEqual(expect.arrayContaining([first.jobId, acme.jobId]));
    expect(timers).not.toContain(calling.jobId);
    expect(ids(await rest('GET', '/job?messages=true'))).toEqual([calling.jobId]);
    expect(await rest('GET', '/job?timers=true&messages=true')).toMatchObject(refused('timers cannot be used together with parameter messages'));
    expect(ids(await rest('GET', '/job?tenantIdIn=acme'))).toEqual([acme.jobId]);
    expect(await rest('GET', '/job?tenantIdIn=acme,globex')).toMatchObject(refused('tenantIdIn'));
    // the call is due now and may run; the timers are due in an hour
    expect(ids(await rest('GET', '/job?executable=true'))).toEqual([calling.jobId]);
    const halfAnHour = camundaTime(Date.now() + HOUR_MS / 2);
    expect(ids(await rest('GET', `/job${query({ dueDates: `lt_${halfAnHour}` })}`))).toEqual([calling.jobId]);
    expect(ids(await rest('GET', `/job${query({ dueDates: `gt_${halfAnHour},lt_${camundaTime(Date.now() + 2 * HOUR_MS)}`, timers: 'true' })}`)).sort())
      .toEqual([first.jobId, second.jobId, acme.jobId].sort());
    expect(ids(await rest('POST', '/job', { dueDates: [{ operator: 'gt', value: halfAnHour }], processDefinitionKey: 'ji_tenant', active: null }))).toEqual([acme.jobId]);
    expect(await rest('GET', `/job${query({ dueDates: `eq_${halfAnHour}` })}`)).toMatchObject(refused('Invalid due date comparator specified: eq'));

    expect(await rest('PUT', `/job/${first.jobId}/retries`, { retries: 5 })).toEqual({ status: 204, body: undefined });
    const byRetries = { processDefinitionKey: 'ji_timer', sortBy: 'jobRetries' };
    expect(ids(await rest('POST', '/job', { ...byRetries, sortOrder: 'desc' }))).toEqual([first.jobId, second.jobId]);
    expect(ids(await rest('POST', '/job?firstResult=1&maxResults=1', { processDefinitionKey: 'ji_timer', sorting: [{ sortBy: 'jobRetries', sortOrder: 'asc' }] })))
      .toEqual([first.jobId]);
    expect(ids(await rest('GET', '/job?processDefinitionKey=ji_timer&sortBy=jobDueDate&sortOrder=asc&maxResults=1'))).toEqual([first.jobId]);
    expect(await rest('GET', '/job?sortBy=jobId&sortOrder=asc')).toMatchObject(refused("Cannot sort by 'jobId'"));

    expect((await rest('GET', '/job/count?processDefinitionKey=ji_timer')).body).toEqual({ count: 2 });
    await api('PUT', `/instances/${second.instanceId}/suspended`, { suspended: true });
    expect((await rest('POST', '/job/count', { processDefinitionKey: 'ji_timer', suspended: true })).body).toEqual({ count: 1 });
    expect(ids(await rest('POST', '/job', { processDefinitionKey: 'ji_timer', active: true }))).toEqual([first.jobId]);
    expect(await rest('GET', '/job?executionId=x')).toMatchObject(refused('executionId is not supported'));
    expect(await rest('POST', '/job/count', { priorityHigherThanOrEquals: 5, jobDefinitionId: 'd' })).toMatchObject(refused('priorityHigherThanOrEquals, jobDefinitionId are not supported'));
  });

  it('runs a timer\'s job at once and the instance moves on; a job it cannot find is a 404 in Camunda\'s words', async () => {
    const { instanceId, jobId } = await withJob('ji_timer');
    expect(await rest('POST', `/job/${jobId}/execute`)).toEqual({ status: 204, body: undefined });
    const instance = await api('GET', `/instances/${instanceId}`);
    expect(instance.status).toBe('completed');
    expect(instance.execution_path.map((p: { activity_id: string }) => p.activity_id)).toEqual(['start', 'wait', 'end']);
    expect(await rest('GET', `/job/${jobId}`)).toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `Job with id ${jobId} does not exist` } });
    expect(await rest('POST', `/job/${jobId}/execute`)).toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `ENGINE-14026 No job found with id '${jobId}'` } });

    const held = await withJob('ji_timer');
    await api('PUT', `/instances/${held.instanceId}/suspended`, { suspended: true });
    expect(await rest('POST', `/job/${held.jobId}/execute`)).toMatchObject({ status: 400, body: { type: 'BadUserRequestException' } });
    expect((await api('GET', `/instances/${held.instanceId}`)).status).toBe('suspended');
  });

  it('answers a job that fails as Camunda does, counts the attempt, and resolves its failedJob incident when its retries are set', async () => {
    const { instanceId, jobId } = await withJob('ji_call');
    expect(await rest('PUT', `/job/${jobId}/retries`, { retries: 1 })).toEqual({ status: 204, body: undefined });
    const failed = await rest('POST', `/job/${jobId}/execute`);
    expect(failed).toEqual({ status: 500, body: { type: 'RestException', message: expect.any(String) } });
    const job = (await rest('GET', `/job/${jobId}`)).body;
    expect(job).toMatchObject({ retries: 0, exceptionMessage: failed.body.message, failedActivityId: 'call', dueDate: expect.stringMatching(CAMUNDA_TIME) });
    expect(ids(await rest('GET', `/job?processInstanceId=${instanceId}&noRetriesLeft=true&withException=true`))).toEqual([jobId]);
    expect(ids(await rest('GET', `/job?processInstanceId=${instanceId}&withRetriesLeft=true`))).toEqual([]);
    expect((await rest('GET', `/job/count?processInstanceId=${instanceId}&withRetriesLeft=true&noRetriesLeft=true`)).body).toEqual({ count: 0 });

    const [incident] = (await rest('GET', `/incident?processInstanceId=${instanceId}`)).body;
    expect(incident).toEqual({
      id: expect.any(String), processDefinitionId: job.processDefinitionId, processInstanceId: instanceId, executionId: job.executionId,
      incidentTimestamp: expect.stringMatching(CAMUNDA_TIME), incidentType: 'failedJob', activityId: 'call', failedActivityId: 'call',
      causeIncidentId: incident.id, rootCauseIncidentId: incident.id, configuration: jobId, incidentMessage: expect.any(String), tenantId: null,
      jobDefinitionId: null, annotation: null,
    });
    expect(await rest('DELETE', `/incident/${incident.id}`)).toEqual({ status: 400, body: { type: 'InvalidRequestException', message: 'Cannot resolve an incident of type failedJob' } });
    expect((await rest('GET', `/incident/${incident.id}`)).body).toEqual(incident);

    expect(await rest('PUT', `/job/${jobId}/retries`, { retries: 2 })).toEqual({ status: 204, body: undefined });
    expect((await rest('GET', `/job/${jobId}`)).body.retries).toBe(2);
    expect(await rest('GET', `/incident/${incident.id}`)).toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `No matching incident with id ${incident.id}` } });
    expect(await api('GET', `/incidents/${incident.id}`)).toMatchObject({ status: 'resolved', resolution: { resolution_type: 'automatic' } });
  });

  it('refuses retries as Camunda does: an unknown job or a negative count a 500, a due date a 400', async () => {
    const { jobId } = await withJob('ji_timer');
    expect(await rest('PUT', `/job/${UNKNOWN_ID}/retries`, { retries: 1 }))
      .toEqual({ status: 500, body: { type: 'InvalidRequestException', message: `ENGINE-13053 No job found with id '${UNKNOWN_ID}'.'` } });
    expect(await rest('PUT', `/job/${jobId}/retries`, { retries: -1 })).toEqual({
      status: 500, body: { type: 'InvalidRequestException', message: "ENGINE-13054 The number of job retries must be a non-negative Integer, but '-1' has been provided." },
    });
    expect(await rest('PUT', `/job/${jobId}/retries`, { retries: 1, dueDate: camundaTime(Date.now()) })).toMatchObject(refused('dueDate'));
    expect((await rest('PUT', `/job/${jobId}/retries`, {})).status).toBe(400);
    expect((await rest('GET', `/job/${jobId}`)).body.retries).toBe(3);
  });

  it('sets a job\'s due date as Camunda does: a date, null for now; cascade, a date that is none and no body a 400, an unknown job a 500', async () => {
    const { jobId } = await withJob('ji_timer');
    const due = camundaTime(Date.parse('2026-12-08T10:00:00.000Z'));
    expect(await rest('PUT', `/job/${jobId}/duedate`, { duedate: due, cascade: false })).toEqual({ status: 204, body: undefined });
    expect((await rest('GET', `/job/${jobId}`)).body.dueDate).toBe('2026-12-08T10:00:00.000+0000');

    const before = Date.now();
    expect((await rest('PUT', `/job/${jobId}/duedate`, { duedate: null })).status).toBe(204);
    const now = Date.parse((await rest('GET', `/job/${jobId}`)).body.dueDate.replace('+0000', 'Z'));
    expect(now).toBeGreaterThanOrEqual(before - 1_000);
    expect(now).toBeLessThanOrEqual(Date.now());

    expect(await rest('PUT', `/job/${jobId}/duedate`, { duedate: due, cascade: true })).toMatchObject(refused('cascade'));
    expect(await rest('PUT', `/job/${jobId}/duedate`, { duedate: 'next week' })).toMatchObject(refused('duedate'));
    expect((await rest('PUT', `/job/${jobId}/duedate`, {})).status).toBe(400);
    expect(Date.parse((await rest('GET', `/job/${jobId}`)).body.dueDate.replace('+0000', 'Z'))).toBe(now);
    expect(await rest('PUT', `/job/${UNKNOWN_ID}/duedate`, { duedate: due }))
      .toEqual({ status: 500, body: { type: 'InvalidRequestException', message: `No job found with id '${UNKNOWN_ID}'.` } });
  });

  it('lists, filters, sorts and counts the open incidents only, and reads one', async () => {
    const one = await failedCharge('card declined');
    const two = await failedCharge('card expired');
    const routed = await start('ji_route', { variables: { amount: { value: 1 } } });
    const [conditionError] = (await rest('GET', `/incident?processInstanceId=${routed}`)).body;
    expect(conditionError).toMatchObject({ incidentType: 'conditionError', activityId: 'route', configuration: null });

    const charges = { processDefinitionKeyIn: 'ji_charge' };
    expect(ids(await rest('GET', `/incident${query(charges)}`))).toEqual([one.incident.id, two.incident.id]);
    expect((await rest('GET', `/incident/count${query(charges)}`)).body).toEqual({ count: 2 });
    expect(ids(await rest('GET', `/incident${query({ ...charges, sortBy: 'incidentTimestamp', sortOrder: 'desc' })}`))).toEqual([two.incident.id, one.incident.id]);
    expect(ids(await rest('GET', `/incident${query({ ...charges, firstResult: '1', maxResults: '1' })}`))).toEqual([two.incident.id]);
    expect(ids(await rest('GET', `/incident?incidentType=conditionError&processDefinitionKeyIn=ji_route`))).toEqual([conditionError.id]);
    expect(ids(await rest('GET', `/incident?incidentId=${two.incident.id}`))).toEqual([two.incident.id]);
    expect(ids(await rest('GET', `/incident${query({ incidentMessage: one.incident.incidentMessage })}`))).toEqual([one.incident.id]);
    for (const field of ['configuration', 'executionId', 'causeIncidentId', 'rootCauseIncidentId'] as const) {
      expect(ids(await rest('GET', `/incident${query({ [field]: one.incident[field] })}`))).toEqual([one.incident.id]);
    }
    expect(ids(await rest('GET', `/incident${query({ ...charges, activityId: 'charge', failedActivityId: 'charge' })}`))).toHaveLength(2);
    expect(ids(await rest('GET', `/incident${query({ activityId: 'charge', failedActivityId: 'route' })}`))).toEqual([]);
    // Camunda's `After` and `Before` leave the time itself out
    const after = await rest('GET', `/incident${query({ ...charges, incidentTimestampAfter: one.incident.incidentTimestamp })}`);
    expect(ids(after)).toEqual([two.incident.id]);
    expect(ids(await rest('GET', `/incident${query({ ...charges, incidentTimestampBefore: two.incident.incidentTimestamp })}`))).toEqual([one.incident.id]);
    expect(ids(await rest('GET', `/incident${query({ processInstanceId: one.instanceId, tenantIdIn: 'acme' })}`))).toEqual([]);

    expect(await rest('GET', '/incident?incidentMessageLike=card%25')).toMatchObject(refused('incidentMessageLike is not supported'));
    expect(await rest('GET', '/incident?jobDefinitionIdIn=a')).toMatchObject(refused('jobDefinitionIdIn'));
    expect(await rest('GET', '/incident?processDefinitionKeyIn=a,b')).toMatchObject(refused('processDefinitionKeyIn'));
    expect(await rest('GET', '/incident?sortBy=incidentId&sortOrder=asc')).toMatchObject(refused("Cannot sort by 'incidentId'"));

    await api('POST', `/incidents/${two.incident.id}/resolve`, { resolution_type: 'manual' });
    expect(ids(await rest('GET', `/incident${query(charges)}`))).toEqual([one.incident.id]);
    expect(await rest('GET', `/incident/${two.incident.id}`)).toMatchObject({ status: 404 });
    expect(await rest('GET', `/incident/${UNKNOWN_ID}`)).toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `No matching incident with id ${UNKNOWN_ID}` } });
  });

  it('sets and clears an annotation, which the history shows too', async () => {
    const { instanceId, incident } = await failedCharge('gateway timeout');
    expect(await rest('PUT', `/incident/${incident.id}/annotation`, { annotation: 'the provider is down' })).toEqual({ status: 204, body: undefined });
    expect((await rest('GET', `/incident/${incident.id}`)).body.annotation).toBe('the provider is down');
    const [historic] = (await rest('GET', `/history/incident?processInstanceId=${instanceId}`)).body;
    expect(historic).toMatchObject({ id: incident.id, annotation: 'the provider is down', open: true });
    expect((await api('GET', `/instances/${instanceId}`)).audit_trail.map((entry: { operation: string; user_id?: string }) => [entry.operation, entry.user_id]))
      .toContainEqual(['SetAnnotation', 'root']);

    expect(await rest('DELETE', `/incident/${incident.id}/annotation`)).toEqual({ status: 204, body: undefined });
    expect((await rest('GET', `/incident/${incident.id}`)).body.annotation).toBeNull();
    expect(await rest('PUT', `/incident/${UNKNOWN_ID}/annotation`, { annotation: 'x' })).toEqual({ status: 400, body: { type: 'BadUserRequestException', message: 'incident is null' } });
    expect((await rest('PUT', `/incident/${incident.id}/annotation`, { annotation: 'x'.repeat(4001) })).status).toBe(400);
  });

  it('resolves a custom incident, leaving the token where it is, and refuses one of a failed external task', async () => {
    const { incident } = await failedCharge('insufficient funds');
    expect(await rest('DELETE', `/incident/${incident.id}`)).toEqual({ status: 400, body: { type: 'InvalidRequestException', message: 'Cannot resolve an incident of type failedExternalTask' } });
    expect((await rest('GET', `/incident/${incident.id}`)).status).toBe(200);

    const routed = await start('ji_route', { variables: { amount: { value: 2 } } });
    const [conditionError] = (await rest('GET', `/incident?processInstanceId=${routed}`)).body;
    expect(await rest('DELETE', `/incident/${conditionError.id}`)).toEqual({ status: 204, body: undefined });
    expect(await api('GET', `/incidents/${conditionError.id}`)).toMatchObject({ status: 'resolved', resolution: { resolution_type: 'manual', resolved_by: 'root' } });
    const instance = await api('GET', `/instances/${routed}`);
    expect(instance.status).toBe('active');
    expect(instance.activities.filter((a: { end_time?: string }) => a.end_time === undefined).map((a: { activity_id: string }) => a.activity_id)).toEqual(['route']);
    expect(await rest('DELETE', `/incident/${conditionError.id}`))
      .toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `Cannot find an incident with id '${conditionError.id}': incident is null` } });
  });

  it('lets readers list jobs and incidents and only operators change them', async () => {
    const { jobId } = await withJob('ji_timer');
    const { incident } = await failedCharge('declined again');
    const [plain, analyst, operator] = await Promise.all([bearer('pat'), bearer('ann', { roles: ['analyst'] }), bearer('ops', { roles: ['operator'] })]);
    for (const path of [`/job/${jobId}`, '/job/count', `/incident/${incident.id}`, '/incident/count']) {
      expect(await rest('GET', path, undefined, plain), path).toMatchObject({ status: 403, body: { type: 'AuthorizationException', message: expect.stringContaining('permission') } });
      expect((await rest('GET', path, undefined, analyst)).status, path).toBe(200);
    }
    expect((await rest('PUT', `/job/${jobId}/retries`, { retries: 4 }, analyst)).status).toBe(403);
    expect((await rest('PUT', `/job/${jobId}/duedate`, { duedate: null }, analyst)).status).toBe(403);
    expect((await rest('PUT', `/job/${jobId}/duedate`, { duedate: camundaTime(Date.now() + HOUR_MS) }, operator)).status).toBe(204);
    expect((await rest('PUT', `/incident/${incident.id}/annotation`, { annotation: 'mine' }, analyst)).status).toBe(403);
    expect((await rest('PUT', `/job/${jobId}/retries`, { retries: 4 }, operator)).status).toBe(204);
    expect((await rest('PUT', `/incident/${incident.id}/annotation`, { annotation: 'mine' }, operator)).status).toBe(204);
    expect((await rest('GET', `/job/${jobId}`, undefined, operator)).body.retries).toBe(4);
  });
});
