// The locks of external tasks over time, as Camunda 7 keeps them: a lock that expired lets another worker
// fetch the task, after which the old holder acts on it no more; a holder extends a lock only while it
// holds; a failure with retries left keeps the task from every fetch until its retry timeout has passed.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';

const charged = camunda('locks_charge', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'charge')}
    <bpmn:serviceTask id="charge" camunda:type="external" camunda:topic="charge" />${flow('f2', 'charge', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(testBackends())('external task locks on %s', (backend) => {
  let now = new Date('2026-01-01T00:00:00Z');
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const engine = engineUnderTest(backend, 'external-task-locks', [charged], { jobs: { run: false }, now: () => now });

  const waiting = async () => (await engine().startInstance({ process_definition_key: 'locks_charge' })).id;
  const fetch = async (worker_id: string, instanceId: string) => (await engine().fetchAndLock({
    worker_id, max_tasks: 1, topics: [{ topic_name: 'charge', lock_duration: 1_000, process_instance_id: instanceId }],
  }))[0];
  const statusOf = async (instanceId: string) => (await engine().getInstance(instanceId)).status;

  it('hands a task whose lock expired to another worker; its old holder then gets a CONFLICT', async () => {
    const instanceId = await waiting();
    const first = await fetch('first', instanceId);
    expect(await fetch('second', instanceId)).toBeUndefined();
    later(1_001);
    const second = await fetch('second', instanceId);
    expect(second).toMatchObject({ id: first!.id, worker_id: 'second' });
    await expect(engine().completeExternalTask(first!.id, { worker_id: 'first' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(engine().extendExternalTaskLock(first!.id, { worker_id: 'first', new_duration: 5_000 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await engine().completeExternalTask(second!.id, { worker_id: 'second' });
    expect(await statusOf(instanceId)).toBe('completed');
  });

  it('extends a lock its holder still holds, but not one that expired', async () => {
    const instanceId = await waiting();
    const task = await fetch('holder', instanceId);
    later(500);
    await engine().extendExternalTaskLock(task!.id, { worker_id: 'holder', new_duration: 1_000 });
    expect((await engine().getExternalTask(task!.id)).lock_expiration_time).toBe(new Date(now.getTime() + 1_000).toISOString());
    later(1_001);
    await expect(engine().extendExternalTaskLock(task!.id, { worker_id: 'holder', new_duration: 1_000 }))
      .rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('expired') });
    // nobody has locked it since: the holder may still complete it
    await engine().completeExternalTask(task!.id, { worker_id: 'holder' });
    expect(await statusOf(instanceId)).toBe('completed');
  });

  it('keeps a task that failed with retries left from every fetch until its retry timeout has passed', async () => {
    const instanceId = await waiting();
    const task = await fetch('worker', instanceId);
    await engine().failExternalTask(task!.id, { worker_id: 'worker', error_message: 'down', retries: 2, retry_timeout: 60_000 });
    later(59_999);
    expect(await fetch('worker', instanceId)).toBeUndefined();
    later(1);
    expect(await fetch('worker', instanceId)).toMatchObject({ id: task!.id, retries: 2, error_message: 'down' });
  });
});
