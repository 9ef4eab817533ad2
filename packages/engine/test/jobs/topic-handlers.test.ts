// In-process workers registered with engine.handle(topic, fn): what they return becomes process
// variables, a BpmnError they throw is caught by an error boundary event, any other error costs a
// retry and ends in a failedExternalTask incident, and several engines on one database work each task
// once.
import { describe, expect, it } from 'vitest';
import { BpmnError, type Engine, type LockedExternalTask } from '../../src/index.js';
import { camunda, flow, jobBackends, jobEngines, waitFor, waitForStatus, zeebe } from '../support/job-engines.js';

/** start → service task on `topic` → user task `after`; an error boundary REJECTED → user task `rejected` */
const worked = (key: string, topic: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="${topic}" />${flow('f2', 'work', 'after')}
    <bpmn:userTask id="after" />
    <bpmn:boundaryEvent id="onRejected" attachedToRef="work"><bpmn:errorEventDefinition errorRef="err_rejected" /></bpmn:boundaryEvent>${flow('f3', 'onRejected', 'rejected')}
    <bpmn:userTask id="rejected" />`, `
  <bpmn:error id="err_rejected" name="Rejected" errorCode="REJECTED" />`);

const zeebeWorked = zeebe('zeebe_flaky', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="zeebe-flaky" retries="2" /></bpmn:extensionElements></bpmn:serviceTask>${flow('f2', 'work', 'after')}
    <bpmn:userTask id="after" />`);

const straight = (key: string, topic: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="${topic}" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />`);

/** start → service task on `topic` with a local input `doubled` → end */
const scoped = (key: string, topic: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="${topic}">
      <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="doubled">\${amount * 2}</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
    </bpmn:serviceTask>${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(jobBackends())('engine.handle on $name', (backend) => {
  const engine = jobEngines(backend, 'handlers', [
    worked('handled_vars', 'compute'), worked('handled_error', 'check'), worked('handled_failing', 'fragile'), zeebeWorked, straight('handled_many', 'many'), straight('handled_elsewhere', 'elsewhere'),
    scoped('handled_scoped', 'held'), scoped('handled_sorted', 'sorted'), scoped('fetched_sorted', 'unhandled'), straight('handled_slot', 'slot'),
  ], { jobs: { sweepIntervalMs: 100 } }); // a task that failed is locked until its retry, and fetched again on the next sweep
  const tasksOf = async (instanceId: string) => (await engine().listTasks({ process_instance_id: instanceId })).data.map((t) => t.task_definition_key);

  it('turns what the handler returns into process variables; the handler sees the task and its variables', async () => {
    const seen: LockedExternalTask[] = [];
    engine().handle('compute', (task) => {
      seen.push(task);
      return { total: (task.variables.amount!.value as number) * 2, checked: true, details: { by: 'handler' } };
    });
    const instance = await engine().startInstance({ process_definition_key: 'handled_vars', business_key: 'order-1', variables: { amount: { value: 21 } } });
    await waitFor(async () => (await tasksOf(instance.id)).includes('after'), 10_000, 'the handler');

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ topic_name: 'compute', process_instance_id: instance.id, activity_id: 'work', business_key: 'order-1', retries: 3 });
    const variables = await engine().getVariables(instance.id);
    expect(variables.total?.value).toBe(42);
    expect(variables.checked?.value).toBe(true);
    expect(variables.details?.value).toEqual({ by: 'handler' });
    expect((await engine().listExternalTasks({ process_instance_id: instance.id })).total).toBe(0);
  });

  it('a BpmnError thrown by the handler is caught by the error boundary event, with its variables', async () => {
    expect(new BpmnError('X')).toBeInstanceOf(Error);
    engine().handle('check', () => {
      throw new BpmnError('REJECTED', 'no credit', { reason: 'credit limit' });
    });
    const instance = await engine().startInstance({ process_definition_key: 'handled_error' });
    await waitFor(async () => (await tasksOf(instance.id)).length > 0, 10_000, 'the handler');
    expect(await tasksOf(instance.id)).toEqual(['rejected']);
    const details = await engine().getInstance(instance.id);
    expect(details.execution_path.map((p) => p.activity_id)).toEqual(['start', 'work', 'onRejected', 'rejected']);
    expect(details.activities.find((a) => a.activity_id === 'work')?.status).toBe('cancelled');
    expect(details.variables.reason?.value).toBe('credit limit');
    expect(details.incidents).toEqual([]);
  });

  it('another error costs a retry each time; at zero a failedExternalTask incident, and retry gives fresh retries', async () => {
    const calls: number[] = [];
    let healthy = false;
    engine().handle('fragile', (task) => {
      calls.push(task.retries);
      if (!healthy) throw new Error('service unavailable');
      return { done: true };
    });
    const instance = await engine().startInstance({ process_definition_key: 'handled_failing' });
    const incident = await waitFor(async () => (await engine().listIncidents({ process_instance_id: instance.id, status: 'open' })).data[0],
      10_000, 'the incident');
    // the task was handed out with 3, 2 and 1 retries left
    expect(calls).toEqual([3, 2, 1]);
    expect(incident).toMatchObject({ incident_type: 'failedExternalTask', activity_id: 'work', incident_message: 'service unavailable' });
    const { data: [task] } = await engine().listExternalTasks({ process_instance_id: instance.id });
    expect(task).toMatchObject({ retries: 0, error_message: 'service unavailable' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(3);

    healthy = true;
    await engine().resolveIncident(incident.id, { resolution_type: 'retry' });
    await waitFor(async () => (await tasksOf(instance.id)).includes('after'), 10_000, 'the retried handler');
    expect(calls).toEqual([3, 2, 1, 3]);
    expect((await engine().getVariables(instance.id)).done?.value).toBe(true);
  });

  it('zeebe:taskDefinition retries="2" gives the handler two attempts', async () => {
    let calls = 0;
    engine().handle('zeebe-flaky', () => {
      calls += 1;
      throw new Error(`attempt ${calls} failed`);
    });
    const instance = await engine().startInstance({ process_definition_key: 'zeebe_flaky' });
    const incident = await waitFor(async () => (await engine().listIncidents({ process_instance_id: instance.id, status: 'open' })).data[0],
      10_000, 'the incident');
    expect(calls).toBe(2);
    expect(incident).toMatchObject({ incident_type: 'failedExternalTask', incident_message: 'attempt 2 failed' });
  });

  it('a handler takes new tasks while it has room, seeing the variables a fetch gives; a REST worker gets those it had no room for', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const seen: LockedExternalTask[] = [];
    engine().handle('held', async (task) => {
      seen.push(task);
      await gate;
    }, { concurrency: 2 });
    // started together, so that on PostgreSQL their commands share transactions and take room before any commits
    const instances = await Promise.all(Array.from({ length: 5 }, () =>
      engine().startInstance({ process_definition_key: 'handled_scoped', variables: { amount: { value: 21 }, note: { value: 'a' } } })));
    await waitFor(() => seen.length === 2, 10_000, 'the handler');

    const fetched = await engine().fetchAndLock({ worker_id: 'rest', max_tasks: 5, topics: [{ topic_name: 'held', lock_duration: 60_000 }] });
    expect(fetched).toHaveLength(3);
    expect(seen).toHaveLength(2);
    const ids = instances.map((i) => i.id).sort();
    expect([...seen, ...fetched].map((t) => t.process_instance_id).sort()).toEqual(ids);
    const held = await engine().listExternalTasks({ process_instance_id: seen[0]!.process_instance_id });
    expect(held.data[0]?.worker_id).toBe(seen[0]!.worker_id);
    // the same model and values: the handler's task holds what the fetch read, the local input included
    expect(seen[0]!.variables).toEqual(fetched[0]!.variables);
    expect(seen[0]!.variables.doubled?.value).toBe(42);

    open();
    for (const task of fetched) await engine().completeExternalTask(task.id, { worker_id: 'rest' });
    for (const id of ids) await waitForStatus(engine(), id, 'completed', 10_000);
  });

  it('gives a task its variables sorted by name, handed to a handler at commit or fetched, the local input among those of the instance', async () => {
    const variables = { note: { value: 'a' }, amount: { value: 21 }, Total: { value: 1 } };
    // as JavaScript compares strings, whatever the database's collation
    const sorted = ['Total', 'amount', 'doubled', 'note'];
    const seen = new Map<string, LockedExternalTask>();
    engine().handle('sorted', (task) => {
      seen.set(task.process_instance_id, task);
    });
    // a task the handler holds when its start returns was handed over at commit; one it fetched comes
    // later (while a fetch of the handler's is under way, its room is taken and new tasks wait for it)
    const handed = await waitFor(async () => seen.get((await engine().startInstance({ process_definition_key: 'handled_sorted', variables })).id),
      10_000, 'a task handed over at commit');
    await engine().startInstance({ process_definition_key: 'fetched_sorted', variables });
    const [fetched] = await engine().fetchAndLock({ worker_id: 'rest', max_tasks: 1, topics: [{ topic_name: 'unhandled', lock_duration: 60_000 }] });
    expect(Object.keys(handed.variables)).toEqual(sorted);
    expect(Object.keys(fetched!.variables)).toEqual(sorted);
  });

  it('keeps the room a command took for a task when that command fails: the handler goes on with the next tasks', async () => {
    const handled: string[] = [];
    engine().handle('slot', (task) => {
      handled.push(task.process_instance_id);
    }, { concurrency: 1 });
    // the business key is too long for its column: the start fails when its rows are written, after the
    // handler's room was taken for its task
    await expect(engine().startInstance({ process_definition_key: 'handled_slot', business_key: 'k'.repeat(300) })).rejects.toThrow();
    const next = await engine().startInstance({ process_definition_key: 'handled_slot' });
    await waitForStatus(engine(), next.id, 'completed', 10_000);
    expect(handled).toEqual([next.id]);
  });

  it('refuses a second handler for a topic in one engine', () => {
    engine().handle('taken', () => {});
    expect(() => engine().handle('taken', () => {})).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
  });

  it(`hands each of 50 tasks to exactly one handler${backend.database === 'postgres' ? ', with two engines on the database handling the topic' : ''}`, async () => {
    const engines: Engine[] = backend.database === 'postgres' ? [engine(), await engine.another()] : [engine()];
    const handled = new Map<string, number>();
    const perEngine = engines.map(() => 0);
    engines.forEach((e, i) => e.handle('many', async (task) => {
      handled.set(task.id, (handled.get(task.id) ?? 0) + 1);
      perEngine[i]! += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { by: i };
    }, { concurrency: 5 }));

    const instances = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      engines[i % engines.length]!.startInstance({ process_definition_key: 'handled_many' })));
    for (const instance of instances) await waitForStatus(engine(), instance.id, 'completed', 20_000);

    expect(handled.size).toBe(50);
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
    // each engine is woken by its own commits, so each took part
    expect(perEngine.every((n) => n > 0)).toBe(true);
  });

  // only engines sharing Redis can tell each other; on PGlite there is one engine
  if (backend.redis) {
    it('wakes a handler in another engine when a task is created there: it need not wait for its sweep', async () => {
      // the other engine sweeps once an hour, so only the announcement of the new task can reach it in time
      const worker = await engine.another({ jobs: { sweepIntervalMs: 3_600_000 } });
      worker.handle('elsewhere', () => ({ handledBy: 'the other engine' }));
      const instance = await engine().startInstance({ process_definition_key: 'handled_elsewhere' });
      await waitForStatus(engine(), instance.id, 'completed', 10_000);
      expect((await engine().getVariables(instance.id)).handledBy).toMatchObject({ value: 'the other engine' });
    });
  }
});
