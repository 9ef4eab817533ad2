// What is done to an external task whoever holds its lock: reading it, locking it by its id for a worker,
// releasing its lock so that the next fetch takes it, and setting its retries, where 0 opens the
// failedExternalTask incident a failure with none left opens and more resolve it, as Camunda 7's external
// task service does.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/index.js';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow, waitFor } from '../support/job-engines.js';

/** start → external service task `charge` on topic `charge` → user task `after` */
const charged = camunda('ops_charge', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'charge')}
    <bpmn:serviceTask id="charge" camunda:type="external" camunda:topic="charge" />${flow('f2', 'charge', 'after')}
    <bpmn:userTask id="after" />`);

/** start → external service task on topic `pushed` → end */
const pushed = camunda('ops_pushed', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="pushed" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(testBackends())('operating external tasks on %s', (backend) => {
  const engine = engineUnderTest(backend, 'external-task-operations', [charged]);
  // its sweep never comes in a test: an in-process handler hears of a task only when a command announces it
  const swept = engineUnderTest(backend, 'external-task-announcements', [pushed], { jobs: { sweepIntervalMs: 600_000 } });

  /** a new instance waiting at `charge`, and the id of its task */
  const waiting = async (tenant_id?: string) => {
    const instance = await engine().startInstance({ process_definition_key: 'ops_charge', ...(tenant_id ? { tenant_id } : {}) });
    const { data: [task] } = await engine().listExternalTasks({ process_instance_id: instance.id });
    return { instanceId: instance.id, taskId: task!.id };
  };
  const fetch = (worker_id: string, instanceId: string) =>
    engine().fetchAndLock({ worker_id, max_tasks: 1, topics: [{ topic_name: 'charge', lock_duration: 60_000, process_instance_id: instanceId }] });
  const audit = async (instanceId: string, operation: string) =>
    (await engine().getInstance(instanceId)).audit_trail.filter((entry) => entry.operation === operation);
  const userTasks = async (instanceId: string) =>
    (await engine().listTasks({ process_instance_id: instanceId })).data.map((task) => task.task_definition_key);
  const chargeActivity = async (instanceId: string) =>
    (await engine().getInstance(instanceId)).activities.find((activity) => activity.activity_id === 'charge');

  it('reads a task as the list has it, with the activity instance it belongs to', async () => {
    const { instanceId, taskId } = await waiting();
    const task = await engine().getExternalTask(taskId);
    expect(task).toEqual((await engine().listExternalTasks({ ids: [taskId] })).data[0]);
    expect(task).toMatchObject({ id: taskId, process_instance_id: instanceId, activity_id: 'charge', topic_name: 'charge', retries: 3 });
    expect(task.activity_instance_id).toBe((await chargeActivity(instanceId))!.id);
  });

  it('unlocks a task whoever holds it: another worker fetches it at once and the old holder no longer acts on it', async () => {
    const { instanceId, taskId } = await waiting();
    expect(await fetch('first', instanceId)).toHaveLength(1);
    expect(await fetch('second', instanceId)).toEqual([]);

    await engine().unlockExternalTask(taskId, { user_id: 'ops' });
    const unlocked = await engine().getExternalTask(taskId);
    expect(unlocked).not.toHaveProperty('worker_id');
    expect(unlocked).not.toHaveProperty('lock_expiration_time');
    expect(await audit(instanceId, 'Unlock')).toEqual([expect.objectContaining({ user_id: 'ops', activity_id: 'charge' })]);

    expect(await fetch('second', instanceId)).toEqual([expect.objectContaining({ id: taskId, worker_id: 'second' })]);
    await expect(engine().completeExternalTask(taskId, { worker_id: 'first' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await engine().completeExternalTask(taskId, { worker_id: 'second' });
    expect(await userTasks(instanceId)).toEqual(['after']);
  });

  it('locks a task by its id: another worker neither fetches nor locks it while the lock holds, the holder locks it again and completes it', async () => {
    const { instanceId, taskId } = await waiting();
    const before = Date.now();
    await engine().lockExternalTask(taskId, { worker_id: 'first', lock_duration: 60_000 });
    const locked = await engine().getExternalTask(taskId);
    expect(locked.worker_id).toBe('first');
    const until = new Date(locked.lock_expiration_time!).getTime();
    expect(until).toBeGreaterThanOrEqual(before + 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await fetch('second', instanceId)).toEqual([]);
    await expect(engine().lockExternalTask(taskId, { worker_id: 'second', lock_duration: 1_000 }))
      .rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining("locked by worker 'first'") });
    expect((await engine().getExternalTask(taskId)).worker_id).toBe('first');

    // the holder's new lock runs from now, whatever was left of the old one
    await engine().lockExternalTask(taskId, { worker_id: 'first', lock_duration: 120_000 });
    expect(new Date((await engine().getExternalTask(taskId)).lock_expiration_time!).getTime()).toBeGreaterThanOrEqual(before + 120_000);
    await expect(engine().completeExternalTask(taskId, { worker_id: 'second' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await engine().completeExternalTask(taskId, { worker_id: 'first' });
    expect(await userTasks(instanceId)).toEqual(['after']);
  });

  it('lets another worker fetch or lock a task locked by its id once that lock expires or is released', async () => {
    const { instanceId, taskId } = await waiting();
    await engine().lockExternalTask(taskId, { worker_id: 'first', lock_duration: 3_000 });
    // the lock runs from the command's time, which is before its answer
    const lockedBy = Date.now();
    expect(await fetch('second', instanceId)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, lockedBy + 3_100 - Date.now()));
    expect(await fetch('second', instanceId)).toEqual([expect.objectContaining({ id: taskId, worker_id: 'second' })]);
    await expect(engine().lockExternalTask(taskId, { worker_id: 'first', lock_duration: 1_000 })).rejects.toMatchObject({ code: 'CONFLICT' });

    await engine().unlockExternalTask(taskId);
    await engine().lockExternalTask(taskId, { worker_id: 'first', lock_duration: 60_000 });
    expect(await fetch('second', instanceId)).toEqual([]);
    // an expired lock of another worker is no obstacle to locking by id either
    await engine().lockExternalTask(taskId, { worker_id: 'first', lock_duration: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await engine().lockExternalTask(taskId, { worker_id: 'second', lock_duration: 60_000 });
    expect(await engine().getExternalTask(taskId)).toMatchObject({ worker_id: 'second' });
  });

  it('refuses a lock without a worker or a positive whole duration, and on a task that is gone or of a tenant the caller lacks', async () => {
    const { instanceId, taskId } = await waiting();
    const refusal = (field: string) => ({ code: 'VALIDATION_ERROR', message: expect.stringContaining(field) });
    await expect(engine().lockExternalTask(taskId, { worker_id: '', lock_duration: 1_000 })).rejects.toMatchObject(refusal('worker_id'));
    for (const lock_duration of [0, -5, 1.5, Number.NaN]) {
      await expect(engine().lockExternalTask(taskId, { worker_id: 'w', lock_duration })).rejects.toMatchObject(refusal('lock_duration'));
    }
    expect(await engine().getExternalTask(taskId)).not.toHaveProperty('worker_id');

    await fetch('worker', instanceId);
    await engine().completeExternalTask(taskId, { worker_id: 'worker' });
    await expect(engine().lockExternalTask(taskId, { worker_id: 'worker', lock_duration: 1_000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine().lockExternalTask('not-an-id', { worker_id: 'worker', lock_duration: 1_000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await engine().deploy({ bpmn_xml: charged, tenant_id: 'acme' });
    const theirs = await waiting('acme');
    const outsider = engine().as({ user_id: 'op', groups: [], roles: ['operator'], tenant_ids: ['globex'] } satisfies Caller);
    await expect(outsider.lockExternalTask(theirs.taskId, { worker_id: 'w', lock_duration: 1_000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await engine().getExternalTask(theirs.taskId)).not.toHaveProperty('worker_id');
  });

  it('opens the failedExternalTask incident at retries 0, with the last failure\'s message, and resolves it when retries are set again', async () => {
    const { instanceId, taskId } = await waiting();
    await fetch('worker', instanceId);
    await engine().failExternalTask(taskId, { worker_id: 'worker', error_message: 'card service down', retries: 1 });
    expect((await engine().listIncidents({ process_instance_id: instanceId })).total).toBe(0);

    await engine().setExternalTaskRetries(taskId, 0);
    await engine().setExternalTaskRetries(taskId, 0);
    const { data: opened } = await engine().listIncidents({ process_instance_id: instanceId });
    expect(opened).toEqual([expect.objectContaining({
      incident_type: 'failedExternalTask', incident_message: 'card service down', configuration: taskId, activity_id: 'charge', status: 'open',
    })]);
    expect((await chargeActivity(instanceId))?.status).toBe('failed');
    expect((await engine().listExternalTasks({ failed: true, process_instance_id: instanceId })).total).toBe(1);
    expect(await fetch('worker', instanceId)).toEqual([]);

    await engine().setExternalTaskRetries(taskId, 2, { user_id: 'ops' });
    const [resolved] = (await engine().listIncidents({ process_instance_id: instanceId })).data;
    expect(resolved).toMatchObject({ id: opened[0]!.id, status: 'resolved', resolution: { resolution_type: 'retry', resolved_by: 'ops' } });
    expect((await chargeActivity(instanceId))?.status).toBe('active');
    expect(await audit(instanceId, 'SetExternalTaskRetries')).toContainEqual(
      expect.objectContaining({ user_id: 'ops', property: 'retries', org_value: '0', new_value: '2' }));
    expect(await fetch('worker', instanceId)).toEqual([expect.objectContaining({ id: taskId, retries: 2 })]);
  });

  it('sets retries on a task that has some left without touching incidents or its lock', async () => {
    const { instanceId, taskId } = await waiting();
    await fetch('holder', instanceId);
    await engine().setExternalTaskRetries(taskId, 7);
    expect(await engine().getExternalTask(taskId)).toMatchObject({ retries: 7, worker_id: 'holder' });
    expect((await engine().listIncidents({ process_instance_id: instanceId })).total).toBe(0);
  });

  it('refuses retries that are not a whole number of 0 or more, and a task that is gone or of a tenant the caller lacks', async () => {
    const { instanceId, taskId } = await waiting();
    await expect(engine().setExternalTaskRetries(taskId, -1)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(engine().setExternalTaskRetries(taskId, 1.5)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });

    await fetch('worker', instanceId);
    await engine().completeExternalTask(taskId, { worker_id: 'worker' });
    await expect(engine().getExternalTask(taskId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine().unlockExternalTask(taskId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine().setExternalTaskRetries(taskId, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await engine().deploy({ bpmn_xml: charged, tenant_id: 'acme' });
    const theirs = await waiting('acme');
    const outsider = engine().as({ user_id: 'op', groups: [], roles: ['operator'], tenant_ids: ['globex'] } satisfies Caller);
    await expect(outsider.getExternalTask(theirs.taskId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outsider.unlockExternalTask(theirs.taskId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outsider.setExternalTaskRetries(theirs.taskId, 0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await engine().getExternalTask(theirs.taskId)).retries).toBe(3);
  });

  it('hands a task that unlocking or new retries make fetchable to an in-process handler of its topic at once', async () => {
    const start = async () => {
      const { id } = await swept().startInstance({ process_definition_key: 'ops_pushed' });
      const [task] = await swept().fetchAndLock({ worker_id: 'elsewhere', max_tasks: 1, topics: [{ topic_name: 'pushed', lock_duration: 600_000, process_instance_id: id }] });
      return { id, taskId: task!.id };
    };
    const unlocked = await start();
    const spent = await start();
    await swept().failExternalTask(spent.taskId, { worker_id: 'elsewhere', error_message: 'down', retries: 0 });
    const handled: string[] = [];
    swept().handle('pushed', (task) => {
      handled.push(task.id);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handled).toEqual([]);

    await swept().unlockExternalTask(unlocked.taskId);
    await waitFor(() => handled.includes(unlocked.taskId), 5_000, 'the handler to get the unlocked task');
    await swept().setExternalTaskRetries(spent.taskId, 1);
    await waitFor(() => handled.includes(spent.taskId), 5_000, 'the handler to get the task with new retries');
    expect(handled).toEqual([unlocked.taskId, spent.taskId]);
  });
});
