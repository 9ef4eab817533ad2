// Camunda 7's external task resource beyond a worker's commands, and its signal endpoint, at /engine-rest,
// driven over HTTP as Cockpit, a worker client or a script drives them: the tasks listed, filtered, paged,
// sorted and counted as ExternalTaskDto, one read, a task locked by its id for a worker, a lock released
// so that another worker fetches the task, retries set (0 opens the failedExternalTask incident, more resolve it), and a signal broadcast. Effects are
// read back through /api/processes; what the engine cannot do is refused by name; each route needs its permission.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, SECRET_ENV } from './auth/tokens.js';
import { externalTaskModel, signalModel } from './models.js';
import { call, expectContractKept, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

interface Answer {
  status: number;
  /** Camunda's JSON, read as a client reads it */
  body: any;
}

const CAMUNDA_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

describe.each(testBackends())('the Camunda 7 external task resource and signals on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'engine-rest-external-tasks');
  });
  afterAll(() => t?.close());

  /** a request as a Camunda client sends it, JSON in and out, and Camunda's answer */
  async function rest(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer> {
    const json = body === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) };
    const res = await t.app.inject({ method, url: `/engine-rest${path}`, ...json });
    expect(res.headers['content-type'] ?? 'application/json').toBe('application/json');
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  }
  const refused = (name: string) => ({ status: 400, body: { type: 'InvalidRequestException', message: expect.stringContaining(name) } });
  const missing = (id: string) => ({ status: 404, body: { type: 'RestException', message: `External task with id ${id} does not exist` } });

  const deploy = async (bpmn_xml: string, tenant_id?: string) => expect((await call(t.app, 'POST', '/definitions', { bpmn_xml, tenant_id })).statusCode).toBe(201);
  /** an instance started through the API, and the id of the external task it waits at */
  const start = async (key: string, business_key: string) => {
    const res = await call(t.app, 'POST', '/instances', { process_definition_key: key, business_key });
    expect(res.statusCode).toBe(201);
    const instanceId = res.json().id as string;
    const listed = (await call(t.app, 'GET', `/external-tasks?process_instance_id=${instanceId}`)).json().data as { id: string }[];
    expect(listed).toHaveLength(1);
    return { instanceId, taskId: listed[0]!.id };
  };
  const fetchAndLock = async (workerId: string, topicName: string, businessKey: string) =>
    (await rest('POST', '/external-task/fetchAndLock', { workerId, maxTasks: 1, topics: [{ topicName, lockDuration: 600_000, businessKey }] })).body as { id: string }[];
  const ids = (answer: Answer) => (answer.body as { id: string }[]).map((task) => task.id);
  const incidentsOf = async (instanceId: string, status: string) =>
    (await call(t.app, 'GET', `/incidents?process_instance_id=${instanceId}&status=${status}`)).json().data as Record<string, unknown>[];

  describe('the task list', () => {
    const e = { held: '', spent: '', paused: '', theirs: '', held_instance: '', paused_instance: '', definition: '' };
    beforeAll(async () => {
      await deploy(externalTaskModel('et_charge', 'et-charge'));
      await deploy(externalTaskModel('et_ship', 'et-ship'), 'acme');
      const held = await start('et_charge', 'b-held');
      const spent = await start('et_charge', 'b-spent');
      const paused = await start('et_charge', 'b-paused');
      const theirs = await start('et_ship', 'b-theirs');
      expect(await fetchAndLock('w1', 'et-charge', 'b-held')).toHaveLength(1);
      expect(await fetchAndLock('w2', 'et-charge', 'b-spent')).toHaveLength(1);
      expect((await rest('POST', `/external-task/${spent.taskId}/failure`, { workerId: 'w2', errorMessage: 'card service down', retries: 0 })).status).toBe(204);
      expect((await call(t.app, 'PUT', `/instances/${paused.instanceId}/suspended`, { suspended: true })).statusCode).toBe(200);
      const definition = (await call(t.app, 'GET', `/instances/${held.instanceId}`)).json().process_definition_id as string;
      Object.assign(e, {
        held: held.taskId, spent: spent.taskId, paused: paused.taskId, theirs: theirs.taskId,
        held_instance: held.instanceId, paused_instance: paused.instanceId, definition,
      });
    });
    const charge = () => [e.held, e.spent, e.paused].sort();

    it('answers each task as ExternalTaskDto', async () => {
      const listed = await rest('GET', '/external-task?topicName=et-charge&workerId=w1');
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual([{
        activityId: 'charge', activityInstanceId: expect.any(String), errorMessage: null, executionId: expect.any(String), id: e.held,
        lockExpirationTime: expect.stringMatching(CAMUNDA_DATE), createTime: expect.stringMatching(CAMUNDA_DATE), processDefinitionId: e.definition,
        processDefinitionKey: 'et_charge', processDefinitionVersionTag: null, processInstanceId: e.held_instance, retries: 3, suspended: false,
        workerId: 'w1', topicName: 'et-charge', tenantId: null, priority: 0, businessKey: 'b-held',
      }]);
      expect((await rest('GET', `/external-task?externalTaskId=${e.spent}`)).body).toEqual([
        expect.objectContaining({ errorMessage: 'card service down', retries: 0, workerId: null, lockExpirationTime: null }),
      ]);
      expectContractKept(t);
    });

    it('filters as Camunda\'s query does, its flags only when true and two that exclude each other matching nothing', async () => {
      const found = async (query: string) => ids(await rest('GET', `/external-task?${query}`)).sort();
      expect(await found('topicName=et-charge')).toEqual(charge());
      expect(await found('topicName=et-charge&locked=true')).toEqual([e.held]);
      expect(await found('topicName=et-charge&notLocked=true')).toEqual([e.spent, e.paused].sort());
      expect(await found('topicName=et-charge&locked=false')).toEqual(charge());
      expect(await found('topicName=et-charge&locked=true&notLocked=true')).toEqual([]);
      expect(await found('topicName=et-charge&noRetriesLeft=true')).toEqual([e.spent]);
      expect(await found('topicName=et-charge&withRetriesLeft=true')).toEqual([e.held, e.paused].sort());
      expect(await found('topicName=et-charge&suspended=true')).toEqual([e.paused]);
      expect(await found('topicName=et-charge&active=true')).toEqual([e.held, e.spent].sort());
      expect(await found(`processInstanceId=${e.paused_instance}`)).toEqual([e.paused]);
      expect(await found(`processDefinitionId=${e.definition}`)).toEqual(charge());
      expect(await found('processDefinitionKey=et_ship')).toEqual([e.theirs]);
      expect(await found('activityId=charge&tenantIdIn=acme,globex')).toEqual([e.theirs]);
      expect(await found(`externalTaskIdIn=${e.held},${e.theirs}`)).toEqual([e.held, e.theirs].sort());
      expect(await found(`externalTaskId=${e.held}&externalTaskIdIn=${e.spent}`)).toEqual([]);
      expect(await found('workerId=w2')).toEqual([]);
    });

    it('pages and sorts a GET or a POSTed query, and counts either', async () => {
      expect(ids(await rest('GET', '/external-task?topicName=et-charge&sortBy=id&sortOrder=desc'))).toEqual(charge().reverse());
      expect(ids(await rest('GET', '/external-task?topicName=et-charge&sortBy=id&sortOrder=asc&firstResult=1&maxResults=1'))).toEqual([charge()[1]]);
      expect(ids(await rest('GET', '/external-task?sortBy=tenantId&sortOrder=asc&maxResults=1'))).toEqual([e.theirs]);
      const posted = await rest('POST', '/external-task?firstResult=0&maxResults=2', {
        topicName: 'et-charge', withRetriesLeft: true, noRetriesLeft: null, tenantIdIn: null, sorting: [{ sortBy: 'id', sortOrder: 'desc' }],
      });
      expect(ids(posted)).toEqual([e.held, e.paused].sort().reverse());
      expect((await rest('POST', '/external-task', { processDefinitionKey: 'et_charge', suspended: true })).body).toEqual([
        expect.objectContaining({ id: e.paused, suspended: true }),
      ]);

      expect((await rest('GET', '/external-task/count?topicName=et-charge')).body).toEqual({ count: 3 });
      expect((await rest('GET', '/external-task/count?topicName=et-charge&notLocked=true')).body).toEqual({ count: 2 });
      expect((await rest('POST', '/external-task/count', { topicName: 'et-charge', noRetriesLeft: true })).body).toEqual({ count: 1 });
      expect((await rest('POST', '/external-task/count', null)).body).toEqual({ count: 4 });

      expect(await rest('GET', '/external-task?sortBy=id')).toMatchObject({ status: 400, body: { type: 'InvalidRequestException' } });
      expect(await rest('GET', '/external-task?sortBy=workerId&sortOrder=asc')).toMatchObject(refused('workerId'));
      expectContractKept(t);
    });

    it('refuses by name the filters this engine cannot serve, and fields Camunda does not have', async () => {
      expect(await rest('GET', '/external-task?processVariables=amount_gt_5')).toMatchObject(refused('processVariables'));
      expect(await rest('GET', '/external-task/count?lockExpirationBefore=2024-01-01T00:00:00.000%2B0000')).toMatchObject(refused('lockExpirationBefore'));
      expect(await rest('POST', '/external-task', { executionId: 'x', activityIdIn: ['charge'] })).toMatchObject(refused('activityIdIn, executionId are not supported'));
      expect(await rest('POST', '/external-task/count', { priorityHigherThanOrEquals: 1 })).toMatchObject(refused('priorityHigherThanOrEquals'));
      expect((await rest('GET', '/external-task?unheardOf=1')).status).toBe(400);
      // asking for nothing is no request for the filter
      expect((await rest('POST', '/external-task/count', { processVariables: [], executionId: null, topicName: 'et-charge' })).body).toEqual({ count: 3 });
    });

    it('reads one task as the list answers it, and answers a task that does not exist as Camunda does', async () => {
      const one = await rest('GET', `/external-task/${e.paused}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual((await rest('GET', `/external-task?externalTaskId=${e.paused}`)).body[0]);
      expect(one.body).toMatchObject({ id: e.paused, suspended: true, processInstanceId: e.paused_instance });
      expect(await rest('GET', `/external-task/${UNKNOWN_ID}`)).toEqual(missing(UNKNOWN_ID));
      expect(await rest('GET', '/external-task/not-an-id')).toEqual(missing('not-an-id'));
      expect(await rest('POST', `/external-task/${UNKNOWN_ID}/unlock`)).toEqual(missing(UNKNOWN_ID));
      expect(await rest('POST', `/external-task/${UNKNOWN_ID}/lock`, { workerId: 'w', lockDuration: 1_000 })).toEqual(missing(UNKNOWN_ID));
      expect(await rest('POST', '/external-task/not-an-id/lock', { workerId: 'w', lockDuration: 1_000 })).toEqual(missing('not-an-id'));
      expect(await rest('PUT', `/external-task/${UNKNOWN_ID}/retries`, { retries: 1 })).toEqual(missing(UNKNOWN_ID));
      expectContractKept(t);
    });
  });

  it('unlocks a task whoever holds it: another worker fetches it at once and the old holder can no longer complete it', async () => {
    await deploy(externalTaskModel('et_unlock', 'et-unlock'));
    const { instanceId, taskId } = await start('et_unlock', 'b-unlock');
    expect(await fetchAndLock('first', 'et-unlock', 'b-unlock')).toEqual([expect.objectContaining({ id: taskId })]);
    expect(await fetchAndLock('second', 'et-unlock', 'b-unlock')).toEqual([]);

    expect((await rest('POST', `/external-task/${taskId}/unlock`)).status).toBe(204);
    expect((await rest('GET', `/external-task/${taskId}`)).body).toMatchObject({ workerId: null, lockExpirationTime: null });
    expect(await fetchAndLock('second', 'et-unlock', 'b-unlock')).toEqual([expect.objectContaining({ id: taskId, workerId: 'second' })]);
    expect(await rest('POST', `/external-task/${taskId}/complete`, { workerId: 'first' })).toMatchObject({ status: 400, body: { type: 'BadUserRequestException' } });
    expect((await rest('POST', `/external-task/${taskId}/complete`, { workerId: 'second' })).status).toBe(204);
    expect((await call(t.app, 'GET', `/instances/${instanceId}`)).json().status).toBe('completed');
    expectContractKept(t);
  });

  it('locks a task by its id: no other worker fetches or locks it while the lock holds, and the holder completes it', async () => {
    await deploy(externalTaskModel('et_lock', 'et-lock'));
    const { instanceId, taskId } = await start('et_lock', 'b-lock');
    const lock = (workerId: string, lockDuration: number) => rest('POST', `/external-task/${taskId}/lock`, { workerId, lockDuration });

    const before = Date.now();
    expect(await lock('first', 60_000)).toEqual({ status: 204, body: undefined });
    const locked = (await rest('GET', `/external-task/${taskId}`)).body;
    expect(locked).toMatchObject({ workerId: 'first' });
    expect(Date.parse(locked.lockExpirationTime)).toBeGreaterThanOrEqual(before + 59_000);
    expect(await fetchAndLock('second', 'et-lock', 'b-lock')).toEqual([]);
    expect(await lock('second', 60_000)).toEqual({
      status: 400, body: { type: 'BadUserRequestException', message: expect.stringContaining("locked by worker 'first'") },
    });
    expect(await rest('POST', `/external-task/${taskId}/complete`, { workerId: 'second' })).toMatchObject({ status: 400, body: { type: 'BadUserRequestException' } });

    // the holder locks it again: the lock then runs from now, here briefly, and another worker fetches it once it expired
    expect((await lock('first', 3_000)).status).toBe(204);
    // the lock runs from the command's time, which is before its answer
    const relockedBy = Date.now();
    expect(await fetchAndLock('second', 'et-lock', 'b-lock')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, relockedBy + 3_100 - Date.now()));
    expect(await fetchAndLock('second', 'et-lock', 'b-lock')).toEqual([expect.objectContaining({ id: taskId, workerId: 'second' })]);
    expect((await lock('first', 60_000)).status).toBe(400);

    // released, it is the first worker's again, and that worker completes it
    expect((await rest('POST', `/external-task/${taskId}/unlock`)).status).toBe(204);
    expect((await lock('first', 60_000)).status).toBe(204);
    expect(await fetchAndLock('second', 'et-lock', 'b-lock')).toEqual([]);
    expect((await rest('POST', `/external-task/${taskId}/complete`, { workerId: 'first' })).status).toBe(204);
    expect((await call(t.app, 'GET', `/instances/${instanceId}`)).json().status).toBe('completed');

    for (const body of [{ lockDuration: 1_000 }, { workerId: '', lockDuration: 1_000 }, { workerId: 'w' }, { workerId: 'w', lockDuration: 0 }, { workerId: 'w', lockDuration: 1.5 }]) {
      expect({ body, answer: await rest('POST', `/external-task/${taskId}/lock`, body) })
        .toMatchObject({ body, answer: { status: 400, body: { type: 'InvalidRequestException', message: expect.stringMatching(/workerId|lockDuration/) } } });
    }
    expectContractKept(t);
  });

  it('sets retries: 0 opens a failedExternalTask incident and no worker gets the task; 3 resolves it and a worker gets it again', async () => {
    await deploy(externalTaskModel('et_retries', 'et-retries'));
    const { instanceId, taskId } = await start('et_retries', 'b-retries');

    expect((await rest('PUT', `/external-task/${taskId}/retries`, { retries: 0 })).status).toBe(204);
    const [incident] = await incidentsOf(instanceId, 'open');
    expect(incident).toMatchObject({ incident_type: 'failedExternalTask', activity_id: 'charge', configuration: taskId });
    expect((await rest('GET', `/external-task/${taskId}`)).body).toMatchObject({ retries: 0 });
    expect(await fetchAndLock('worker', 'et-retries', 'b-retries')).toEqual([]);

    expect((await rest('PUT', `/external-task/${taskId}/retries`, { retries: 3 })).status).toBe(204);
    expect(await incidentsOf(instanceId, 'open')).toEqual([]);
    expect(await incidentsOf(instanceId, 'resolved')).toEqual([expect.objectContaining({ id: incident!.id, resolution: expect.objectContaining({ resolution_type: 'retry' }) })]);
    expect(await fetchAndLock('worker', 'et-retries', 'b-retries')).toEqual([expect.objectContaining({ id: taskId, retries: 3 })]);

    const nullRetries = { status: 400, body: { type: 'InvalidRequestException', message: 'The number of retries cannot be null.' } };
    expect(await rest('PUT', `/external-task/${taskId}/retries`, {})).toEqual(nullRetries);
    expect(await rest('PUT', `/external-task/${taskId}/retries`, { retries: null })).toEqual(nullRetries);
    expect(await rest('PUT', `/external-task/${taskId}/retries`, { retries: -1 })).toMatchObject(refused('retries'));
    expectContractKept(t);
  });

  it('broadcasts a signal: waiting instances go on, processes with its start event start, with the variables given', async () => {
    await deploy(signalModel('et_signalled', 'et-alarm'));
    const waiting = (await call(t.app, 'POST', '/instances', { process_definition_key: 'et_signalled' })).json().id as string;
    const status = async () => (await call(t.app, 'GET', `/instances/${waiting}`)).json().status as string;

    // a signal for another tenant does not reach an instance of none
    expect((await rest('POST', '/signal', { name: 'et-alarm', tenantId: 'globex' })).status).toBe(204);
    expect(await status()).toBe('active');

    expect((await rest('POST', '/signal', { name: 'et-alarm', variables: { level: { type: 'Integer', value: 3 } }, tenantId: null })).status).toBe(204);
    expect(await status()).toBe('completed');
    const started = (await call(t.app, 'GET', '/instances?process_definition_key=et_signalled&status=active')).json().data as { id: string }[];
    expect(started).toHaveLength(1);
    expect((await call(t.app, 'GET', `/instances/${started[0]!.id}/variables`)).json()).toMatchObject({ level: { value: 3 } });

    expect((await rest('POST', '/signal', { name: 'et-nobody-listens' })).status).toBe(204);
    expect(await rest('POST', '/signal', { name: 'et-alarm', executionId: UNKNOWN_ID })).toMatchObject(refused('executionId'));
    expect(await rest('POST', '/signal', { name: 'et-alarm', withoutTenantId: true })).toMatchObject(refused('withoutTenantId'));
    expect(await rest('POST', '/signal', { variables: {} })).toMatchObject({ status: 400, body: { type: 'InvalidRequestException', message: expect.stringContaining('name') } });
    expectContractKept(t);
  });

  describe('with authentication', () => {
    let secured: TestApp;
    beforeAll(async () => {
      secured = await startTestApp(backend, 'engine-rest-external-tasks-auth', {}, SECRET_ENV);
    });
    afterAll(() => secured?.close());

    const ROUTES: { method: 'GET' | 'POST' | 'PUT'; url: string; body?: unknown; allowed: string[]; answer: number }[] = [
      { method: 'GET', url: '/external-task', allowed: ['worker', 'operator', 'analyst', 'admin'], answer: 200 },
      { method: 'POST', url: '/external-task', body: {}, allowed: ['worker', 'operator', 'analyst', 'admin'], answer: 200 },
      { method: 'GET', url: '/external-task/count', allowed: ['worker', 'operator', 'analyst', 'admin'], answer: 200 },
      { method: 'POST', url: '/external-task/count', body: {}, allowed: ['worker', 'operator', 'analyst', 'admin'], answer: 200 },
      { method: 'GET', url: `/external-task/${UNKNOWN_ID}`, allowed: ['worker', 'operator', 'analyst', 'admin'], answer: 404 },
      { method: 'POST', url: `/external-task/${UNKNOWN_ID}/unlock`, allowed: ['worker', 'admin'], answer: 404 },
      { method: 'POST', url: `/external-task/${UNKNOWN_ID}/lock`, body: { workerId: 'w', lockDuration: 1_000 }, allowed: ['worker', 'admin'], answer: 404 },
      { method: 'PUT', url: `/external-task/${UNKNOWN_ID}/retries`, body: { retries: 1 }, allowed: ['operator', 'admin'], answer: 404 },
      { method: 'POST', url: '/signal', body: { name: 'et-secured' }, allowed: ['operator', 'admin'], answer: 204 },
    ];

    it('lets each route be used by the roles with its permission, and refuses the others', async () => {
      for (const route of ROUTES) {
        for (const role of ['plain', 'deployer', 'worker', 'operator', 'analyst', 'admin']) {
          const headers = await bearer(role, { roles: role === 'plain' ? [] : [role] });
          const res = await secured.app.inject({ method: route.method, url: `/engine-rest${route.url}`, headers, ...(route.body ? { payload: route.body } : {}) });
          expect({ route: `${route.method} ${route.url}`, role, status: res.statusCode })
            .toEqual({ route: `${route.method} ${route.url}`, role, status: route.allowed.includes(role) ? route.answer : 403 });
        }
      }
    });
  });
});
