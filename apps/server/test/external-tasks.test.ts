// /external-tasks: fetch-and-lock, list, extend-lock, failure, BPMN error and complete, with lock ownership.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { externalTaskModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

describe.each(testBackends())('external tasks on %s', (backend) => {
  let t: TestApp;
  let topicCount = 0;
  beforeAll(async () => {
    t = await startTestApp(backend, 'external-tasks');
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  /** A fresh topic with one instance waiting on it. */
  const waitingOnTopic = async (variables?: Record<string, unknown>) => {
    const key = `ext_${++topicCount}`;
    const topic = `topic_${topicCount}`;
    await call(t.app, 'POST', '/definitions', { bpmn_xml: externalTaskModel(key, topic) });
    const instance = (await call(t.app, 'POST', '/instances', { process_definition_key: key, business_key: `bk-${key}`, variables })).json();
    return { topic, instanceId: instance.id as string };
  };
  const fetch = (topic: string, worker = 'w1') => call(t.app, 'POST', '/external-tasks/fetch-and-lock', {
    worker_id: worker, max_tasks: 5, topics: [{ topic_name: topic, lock_duration: 60_000 }],
  });

  it('fetches and locks: a plain array; a locked task goes to no one again', async () => {
    const { topic, instanceId } = await waitingOnTopic({ amount: { value: 30 } });
    const res = await fetch(topic);
    expect(res.statusCode).toBe(200);
    const locked = res.json();
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({
      topic_name: topic, process_instance_id: instanceId, activity_id: 'charge', business_key: expect.stringMatching(/^bk-/),
      variables: { amount: { value: 30, type: 'Integer' } }, retries: 3,
    });
    expect(Date.parse(locked[0].lock_expiration_time)).toBeGreaterThan(Date.now());
    expect((await fetch(topic)).json()).toEqual([]);
    expect((await fetch(topic, 'w2')).json()).toEqual([]);
  });

  it('refuses bad fetch bodies with 400, types not coerced', async () => {
    const topics = [{ topic_name: 't', lock_duration: 1000 }];
    expectError(await call(t.app, 'POST', '/external-tasks/fetch-and-lock', { worker_id: 'w', max_tasks: '5', topics }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', '/external-tasks/fetch-and-lock', { worker_id: 'w', max_tasks: 5, topics: [] }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', '/external-tasks/fetch-and-lock', { worker_id: 'w', max_tasks: 5, topics: [{ topic_name: 't' }] }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', '/external-tasks/fetch-and-lock', { worker_id: 'w', max_tasks: 5, topics, colour: 1 }), 400, 'VALIDATION_ERROR');
  });

  it('lists by topic and lock state', async () => {
    const { topic } = await waitingOnTopic();
    expect((await call(t.app, 'GET', `/external-tasks?topic_name=${topic}&locked=false`)).json().total).toBe(1);
    await fetch(topic);
    const locked = (await call(t.app, 'GET', `/external-tasks?topic_name=${topic}&locked=true`)).json();
    expect(locked).toMatchObject({ total: 1, data: [expect.objectContaining({ topic_name: topic, worker_id: 'w1' })] });
    expectError(await call(t.app, 'GET', '/external-tasks?locked=sometimes'), 400, 'VALIDATION_ERROR');
  });

  it('extends a lock (204); another worker gets 409', async () => {
    const { topic } = await waitingOnTopic();
    const [task] = (await fetch(topic)).json();
    const res = await call(t.app, 'POST', `/external-tasks/${task.id}/extend-lock`, { worker_id: 'w1', new_duration: 120_000 });
    expect(res.statusCode).toBe(204);
    expectError(await call(t.app, 'POST', `/external-tasks/${task.id}/extend-lock`, { worker_id: 'w2', new_duration: 1000 }), 409, 'CONFLICT');
    expectError(await call(t.app, 'POST', `/external-tasks/${task.id}/extend-lock`, { worker_id: 'w1' }), 400, 'VALIDATION_ERROR');
  });

  it('completes (204) and the instance moves on; completing again is 404; a non-holder gets 409', async () => {
    const { topic, instanceId } = await waitingOnTopic();
    const [task] = (await fetch(topic)).json();
    expectError(await call(t.app, 'POST', `/external-tasks/${task.id}/complete`, { worker_id: 'intruder' }), 409, 'CONFLICT');
    const res = await call(t.app, 'POST', `/external-tasks/${task.id}/complete`, { worker_id: 'w1', variables: { charged: { value: true } } });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const instance = (await call(t.app, 'GET', `/instances/${instanceId}`)).json();
    expect(instance).toMatchObject({ status: 'completed', variables: { charged: { value: true } } });
    expectError(await call(t.app, 'POST', `/external-tasks/${task.id}/complete`, { worker_id: 'w1' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', `/external-tasks/${UNKNOWN_ID}/complete`, { worker_id: 'w1' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/external-tasks/zzz/complete', { worker_id: 'w1' }), 404, 'NOT_FOUND');
  });

  it('replays a 204 for a repeated Idempotency-Key', async () => {
    const { topic } = await waitingOnTopic();
    const [task] = (await fetch(topic)).json();
    const headers = { 'idempotency-key': `complete-${task.id}` };
    expect((await call(t.app, 'POST', `/external-tasks/${task.id}/complete`, { worker_id: 'w1' }, headers)).statusCode).toBe(204);
    const repeat = await call(t.app, 'POST', `/external-tasks/${task.id}/complete`, { worker_id: 'w1' }, headers);
    expect(repeat.statusCode).toBe(204);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toBe('');
  });

  it('reports a failure (204): retries left count down; at 0 a failedExternalTask incident opens', async () => {
    const { topic, instanceId } = await waitingOnTopic();
    const [task] = (await fetch(topic)).json();
    const failed = await call(t.app, 'POST', `/external-tasks/${task.id}/failure`, {
      worker_id: 'w1', error_message: 'card declined', retries: 0, retry_timeout: 0,
    });
    expect(failed.statusCode).toBe(204);
    const incidents = (await call(t.app, 'GET', `/incidents?process_instance_id=${instanceId}`)).json();
    expect(incidents.data).toEqual([expect.objectContaining({ incident_type: 'failedExternalTask', status: 'open', activity_id: 'charge' })]);
    expectError(await call(t.app, 'POST', `/external-tasks/${task.id}/failure`, { worker_id: 'w1', retries: 1 }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', `/external-tasks/${task.id}/failure`, { worker_id: 'w1', error_message: 'x', retries: -1 }), 400, 'VALIDATION_ERROR');
  });

  it('throws a BPMN error (204): uncaught, it opens an unhandledBpmnError incident', async () => {
    const { topic, instanceId } = await waitingOnTopic();
    const [task] = (await fetch(topic)).json();
    const res = await call(t.app, 'POST', `/external-tasks/${task.id}/bpmn-error`, { worker_id: 'w1', error_code: 'NO_FUNDS', error_message: 'empty' });
    expect(res.statusCode).toBe(204);
    const incidents = (await call(t.app, 'GET', `/incidents?process_instance_id=${instanceId}&incident_type=unhandledBpmnError`)).json();
    expect(incidents.total).toBe(1);
    expectError(await call(t.app, 'POST', `/external-tasks/${task.id}/bpmn-error`, { worker_id: 'w1' }), 400, 'VALIDATION_ERROR');
  });
});
