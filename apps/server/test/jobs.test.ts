// /jobs: list and read timers and async continuations, run one now, set its retries or its due date.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpCallModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

const definitions = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_jobs" targetNamespace="http://example.com/test">
${body}
</bpmn:definitions>`;

/** start → timer catch event `wait` (an hour) → end: a job that stays put unless run by hand */
const timerModel = definitions(`
  <bpmn:process id="timed" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** start → task `work`, asynchronous before → end: a job due at once */
const asyncModel = definitions(`
  <bpmn:process id="async_work" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:task id="work" camunda:asyncBefore="true" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** start → an HTTP-connector call to a port where nothing listens → end: a job whose every attempt fails */
const refusedCallModel = httpCallModel('refused_call', 'http://127.0.0.1:9/refused', { method: 'GET' });

interface Job {
  id: string;
  type: string;
  process_instance_id: string;
  activity_id: string;
  due_at: string;
  retries: number;
  suspended: boolean;
}

const HOUR_MS = 3_600_000;
const MALFORMED_ID = 'not-a-job';

describe.each(testBackends())('jobs on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    // The executor would run the due async jobs by itself, racing the tests; here every job runs by hand.
    t = await startTestApp(backend, 'jobs', { jobs: { run: false } });
    for (const bpmn_xml of [timerModel, asyncModel, refusedCallModel]) expect((await call(t.app, 'POST', '/definitions', { bpmn_xml })).statusCode).toBe(201);
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const start = async (key: string): Promise<string> => {
    const res = await call(t.app, 'POST', '/instances', { process_definition_key: key });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const jobsOf = async (instanceId: string): Promise<Job[]> => {
    const res = await call(t.app, 'GET', `/jobs?process_instance_id=${instanceId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };
  /** an instance of the model and its one job */
  const startWithJob = async (key: string) => {
    const instanceId = await start(key);
    const jobs = await jobsOf(instanceId);
    expect(jobs).toHaveLength(1);
    return { instanceId, job: jobs[0]! };
  };
  const statusOf = async (instanceId: string) => (await call(t.app, 'GET', `/instances/${instanceId}`)).json().status;
  const ids = (res: { json(): { data: Job[] } }) => res.json().data.map((j) => j.id);

  it('lists jobs by instance, type and activity, and reads one', async () => {
    const timer = await startWithJob('timed');
    const work = await startWithJob('async_work');
    expect(timer.job).toMatchObject({ type: 'timer', process_instance_id: timer.instanceId, activity_id: 'wait', retries: 3, suspended: false });
    expect(Date.parse(timer.job.due_at) - Date.now()).toBeGreaterThan(HOUR_MS - 60_000);
    expect(work.job).toMatchObject({ type: 'async', process_instance_id: work.instanceId, activity_id: 'work' });
    expect(Date.parse(work.job.due_at)).toBeLessThanOrEqual(Date.now());

    const timers = await call(t.app, 'GET', '/jobs?type=timer');
    expect(timers.json()).toMatchObject({ limit: 50, offset: 0 });
    expect(timers.json().total).toBe(timers.json().data.length);
    expect(timers.json().data.every((j: Job) => j.type === 'timer')).toBe(true);
    expect(ids(timers)).toContain(timer.job.id);
    expect(ids(await call(t.app, 'GET', '/jobs?type=async'))).toEqual(expect.arrayContaining([work.job.id]));
    expect(ids(await call(t.app, 'GET', '/jobs?type=async'))).not.toContain(timer.job.id);
    const atWork = await call(t.app, 'GET', '/jobs?activity_id=work');
    expect(ids(atWork)).toContain(work.job.id);
    expect(ids(atWork)).not.toContain(timer.job.id);

    // soonest due first by default; the async job is due now, the timer in an hour
    const all = ids(await call(t.app, 'GET', '/jobs'));
    expect(all.indexOf(work.job.id)).toBeLessThan(all.indexOf(timer.job.id));
    const latestFirst = ids(await call(t.app, 'GET', '/jobs?sort=-due_at'));
    expect(latestFirst.indexOf(timer.job.id)).toBeLessThan(latestFirst.indexOf(work.job.id));
    const paged = await call(t.app, 'GET', '/jobs?limit=1&offset=1');
    expect(paged.json()).toMatchObject({ limit: 1, offset: 1, data: [{ id: all[1] }] });

    const one = await call(t.app, 'GET', `/jobs/${timer.job.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(timer.job);
  });

  it('executing a timer fires it at once: the instance completes and the job is gone', async () => {
    const { instanceId, job } = await startWithJob('timed');
    expect(await statusOf(instanceId)).toBe('active');
    const res = await call(t.app, 'POST', `/jobs/${job.id}/execute`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const instance = (await call(t.app, 'GET', `/instances/${instanceId}`)).json();
    expect(instance.status).toBe('completed');
    expect(instance.execution_path.map((p: { activity_id: string }) => p.activity_id)).toEqual(['start', 'wait', 'end']);
    expectError(await call(t.app, 'GET', `/jobs/${job.id}`), 404, 'NOT_FOUND');
    expect(await jobsOf(instanceId)).toEqual([]);
    expectError(await call(t.app, 'POST', `/jobs/${job.id}/execute`), 404, 'NOT_FOUND');
  });

  it('executes an async continuation, with an empty JSON body too', async () => {
    const { instanceId, job } = await startWithJob('async_work');
    const res = await call(t.app, 'POST', `/jobs/${job.id}/execute`, {});
    expect(res.statusCode, res.body).toBe(204);
    expect(await statusOf(instanceId)).toBe('completed');
    expectError(await call(t.app, 'GET', `/jobs/${job.id}`), 404, 'NOT_FOUND');
  });

  it('a job that fails when executed answers 409 naming its error, and the attempt counts against its retries', async () => {
    const { instanceId, job } = await startWithJob('refused_call');
    expect(job).toMatchObject({ type: 'service', retries: 3 });
    const res = await call(t.app, 'POST', `/jobs/${job.id}/execute`);
    expectError(res, 409, 'CONFLICT');
    expect(res.json().error.message).toContain(job.id);
    const after = (await call(t.app, 'GET', `/jobs/${job.id}`)).json();
    expect(after).toMatchObject({ retries: 2, exception_message: expect.any(String) });
    expect(res.json().error.message).toContain(after.exception_message);
    expect(await statusOf(instanceId)).toBe('active');
  });

  it('runs no job of a suspended instance (409, the job stays); after activation it runs', async () => {
    const { instanceId, job } = await startWithJob('timed');
    expect((await call(t.app, 'PUT', `/instances/${instanceId}/suspended`, { suspended: true })).statusCode).toBe(200);
    expectError(await call(t.app, 'POST', `/jobs/${job.id}/execute`), 409, 'CONFLICT');
    const kept = await call(t.app, 'GET', `/jobs/${job.id}`);
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({ id: job.id, retries: job.retries, suspended: true });
    expect(await statusOf(instanceId)).toBe('suspended');

    expect((await call(t.app, 'PUT', `/instances/${instanceId}/suspended`, { suspended: false })).statusCode).toBe(200);
    expect((await call(t.app, 'GET', `/jobs/${job.id}`)).json().suspended).toBe(false);
    expect((await call(t.app, 'POST', `/jobs/${job.id}/execute`)).statusCode).toBe(204);
    expect(await statusOf(instanceId)).toBe('completed');
  });

  it('sets retries: 200 with the job, and the list shows it', async () => {
    const { instanceId, job } = await startWithJob('timed');
    const res = await call(t.app, 'PUT', `/jobs/${job.id}/retries`, { retries: 7 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: job.id, retries: 7, type: 'timer', activity_id: 'wait' });
    expect((await jobsOf(instanceId))[0]).toMatchObject({ id: job.id, retries: 7 });
  });

  it('sets the due date: 200 with the job; null is now; a date that is none, or missing, a 400', async () => {
    const { instanceId, job } = await startWithJob('timed');
    const res = await call(t.app, 'PUT', `/jobs/${job.id}/due-date`, { due_at: '2026-12-08T10:00:00.000Z' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: job.id, due_at: '2026-12-08T10:00:00.000Z', type: 'timer', activity_id: 'wait' });
    expect((await jobsOf(instanceId))[0]).toMatchObject({ id: job.id, due_at: '2026-12-08T10:00:00.000Z' });

    const before = Date.now();
    const now = Date.parse((await call(t.app, 'PUT', `/jobs/${job.id}/due-date`, { due_at: null })).json().due_at);
    expect(now).toBeGreaterThanOrEqual(before - 1_000);
    expect(now).toBeLessThanOrEqual(Date.now());
    for (const payload of [{}, { due_at: 'tomorrow' }, { due_at: 42 }, { due_at: null, cascade: true }]) {
      expectError(await call(t.app, 'PUT', `/jobs/${job.id}/due-date`, payload), 400, 'VALIDATION_ERROR');
    }
    expect(Date.parse((await call(t.app, 'GET', `/jobs/${job.id}`)).json().due_at)).toBe(now);
    expect(await statusOf(instanceId)).toBe('active');
  });

  it('failed=true lists only jobs whose retries are exhausted', async () => {
    const failed = await startWithJob('timed');
    const healthy = await startWithJob('timed');
    expect((await call(t.app, 'PUT', `/jobs/${failed.job.id}/retries`, { retries: 0 })).json().retries).toBe(0);

    const res = await call(t.app, 'GET', '/jobs?failed=true');
    expect(res.statusCode).toBe(200);
    expect(ids(res)).toContain(failed.job.id);
    expect(ids(res)).not.toContain(healthy.job.id);
    expect(res.json().data.every((j: Job) => j.retries === 0)).toBe(true);
    const ok = await call(t.app, 'GET', '/jobs?failed=false');
    expect(ids(ok)).toContain(healthy.job.id);
    expect(ids(ok)).not.toContain(failed.job.id);
    expect(ids(await call(t.app, 'GET', `/jobs?failed=true&process_instance_id=${healthy.instanceId}`))).toEqual([]);
  });

  it('refuses retries that are missing, negative, fractional, text or beside unknown fields', async () => {
    const { job } = await startWithJob('timed');
    for (const payload of [{}, { retries: -1 }, { retries: 1.5 }, { retries: '3' }, { retries: null }, { retries: 2, extra: true }]) {
      expectError(await call(t.app, 'PUT', `/jobs/${job.id}/retries`, payload), 400, 'VALIDATION_ERROR');
    }
    expect((await call(t.app, 'GET', `/jobs/${job.id}`)).json().retries).toBe(job.retries);
    expectError(await call(t.app, 'POST', `/jobs/${job.id}/execute`, { now: true }), 400, 'VALIDATION_ERROR');
    expect((await call(t.app, 'GET', `/jobs/${job.id}`)).statusCode).toBe(200);
  });

  it('refuses bad list queries', async () => {
    for (const query of ['type=bogus', 'failed=maybe', 'limit=1001', 'limit=0', 'offset=-1', 'sort=activity_id', 'color=red']) {
      expectError(await call(t.app, 'GET', `/jobs?${query}`), 400, 'VALIDATION_ERROR');
    }
  });

  it('answers 404 on every route for an unknown or malformed id', async () => {
    for (const id of [UNKNOWN_ID, MALFORMED_ID]) {
      expectError(await call(t.app, 'GET', `/jobs/${id}`), 404, 'NOT_FOUND');
      expectError(await call(t.app, 'POST', `/jobs/${id}/execute`), 404, 'NOT_FOUND');
      expectError(await call(t.app, 'PUT', `/jobs/${id}/retries`, { retries: 1 }), 404, 'NOT_FOUND');
      expectError(await call(t.app, 'PUT', `/jobs/${id}/due-date`, { due_at: null }), 404, 'NOT_FOUND');
    }
  });
});
