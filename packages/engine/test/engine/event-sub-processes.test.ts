// Event sub-processes: started by an error thrown in their scope, or by a message, signal or timer while the
// scope runs; an interrupting one ends everything else in the scope first, a non-interrupting one runs
// beside it and goes on listening. The scope completes once everything in it has.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow, pathOf, timer, waitFor } from '../support/job-engines.js';

const ROOTS = '<bpmn:error id="Boom" errorCode="BOOM" /><bpmn:message id="Ping" name="ping" /><bpmn:signal id="Alarm" name="alarm" />';

/** an event sub-process `id` starting at `startId` with `definition` → user task `task` → end */
const eventSubProcess = (id: string, startId: string, definition: string, task: string, interrupting = true) => `
    <bpmn:subProcess id="${id}" triggeredByEvent="true">
      <bpmn:startEvent id="${startId}"${interrupting ? '' : ' isInterrupting="false"'}>${definition}</bpmn:startEvent>${flow(`${id}_f1`, startId, task)}
      <bpmn:userTask id="${task}" />${flow(`${id}_f2`, task, `${id}_end`)}
      <bpmn:endEvent id="${id}_end" />
    </bpmn:subProcess>`;

/** start → parallel: user task `work` and an error end event BOOM; an error event sub-process → `handle` */
const errorInProcess = camunda('esp_error', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'split')}
    <bpmn:parallelGateway id="split" />${flow('f2', 'split', 'work')}${flow('f3', 'split', 'fail')}
    <bpmn:userTask id="work" />
    <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="Boom" /></bpmn:endEvent>
    ${eventSubProcess('onError', 'errorStart', '<bpmn:errorEventDefinition errorRef="Boom" />', 'handle')}`, ROOTS);

/**
 * An embedded sub-process `inner` whose error event sub-process catches BOOM, and whose handler throws
 * BOOM again: that goes to the process's error event sub-process, not to the one it came from.
 */
const nestedErrors = camunda('esp_nested', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'inner')}
    <bpmn:subProcess id="inner">
      <bpmn:startEvent id="innerStart" />${flow('f2', 'innerStart', 'innerFail')}
      <bpmn:endEvent id="innerFail"><bpmn:errorEventDefinition errorRef="Boom" /></bpmn:endEvent>
      <bpmn:subProcess id="innerOnError" triggeredByEvent="true">
        <bpmn:startEvent id="innerErrorStart"><bpmn:errorEventDefinition errorRef="Boom" /></bpmn:startEvent>${flow('f3', 'innerErrorStart', 'rethrow')}
        <bpmn:endEvent id="rethrow"><bpmn:errorEventDefinition errorRef="Boom" /></bpmn:endEvent>
      </bpmn:subProcess>
    </bpmn:subProcess>${flow('f4', 'inner', 'done')}
    <bpmn:endEvent id="done" />
    ${eventSubProcess('outerOnError', 'outerErrorStart', '<bpmn:errorEventDefinition />', 'outerHandle')}`, ROOTS);

/** start → user task `work` → end; a non-interrupting message event sub-process → `notify`; an interrupting signal one → `evacuate` */
const listening = camunda('esp_listen', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />${flow('f2', 'work', 'done')}
    <bpmn:endEvent id="done" />
    ${eventSubProcess('onPing', 'pingStart', '<bpmn:messageEventDefinition messageRef="Ping" />', 'notify', false)}
    ${eventSubProcess('onAlarm', 'alarmStart', '<bpmn:signalEventDefinition signalRef="Alarm" />', 'evacuate')}`, ROOTS);

/** start → user task `work`; an interrupting timer event sub-process, PT0.3S → `late` */
const timed = camunda('esp_timer', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />${flow('f2', 'work', 'done')}
    <bpmn:endEvent id="done" />
    ${eventSubProcess('onTime', 'timeStart', timer('timeDuration', 'PT0.3S'), 'late')}`, ROOTS);

/** a process-level message event sub-process whose message name needs the variable `topic` */
const named = camunda('esp_named', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />
    ${eventSubProcess('onNews', 'newsStart', '<bpmn:messageEventDefinition messageRef="News" />', 'read', false)}`, `${ROOTS}<bpmn:message id="News" name="news-\${topic}" />`);

/**
 * An embedded sub-process `inner` (user task `work`) with an interrupting message event sub-process →
 * `cancelled`; `inner` → user task `after`. A signal boundary on `inner` → `aborted`.
 */
const inSubProcess = camunda('esp_inner', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'inner')}
    <bpmn:subProcess id="inner">
      <bpmn:startEvent id="innerStart" />${flow('f2', 'innerStart', 'work')}
      <bpmn:userTask id="work" />${flow('f3', 'work', 'innerEnd')}
      <bpmn:endEvent id="innerEnd" />
      ${eventSubProcess('onPing', 'pingStart', '<bpmn:messageEventDefinition messageRef="Ping" />', 'cancelled')}
    </bpmn:subProcess>${flow('f4', 'inner', 'after')}
    <bpmn:userTask id="after" />
    <bpmn:boundaryEvent id="aborting" attachedToRef="inner"><bpmn:signalEventDefinition signalRef="Alarm" /></bpmn:boundaryEvent>${flow('f5', 'aborting', 'aborted')}
    <bpmn:userTask id="aborted" />`, ROOTS);

describe.each(testBackends())('event sub-processes on %s', (backend) => {
  const engine = engineUnderTest(backend, 'event-sub-processes', [errorInProcess, nestedErrors, listening, timed, named, inSubProcess]);
  const openTasks = async (instanceId: string) =>
    (await engine().listTasks({ process_instance_id: instanceId, status: 'created' })).data.map((t) => t.task_definition_key).sort();
  const complete = async (instanceId: string, key: string) => {
    const task = (await engine().listTasks({ process_instance_id: instanceId, task_definition_key: key, status: 'created' })).data[0]!;
    await engine().completeTask(task.id, {});
  };

  it('an error thrown in the process starts its error event sub-process, which ends the rest; the instance ends with it', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_error' });
    expect(await openTasks(instance.id)).toEqual(['handle']);
    expect(await pathOf(engine(), instance.id)).toEqual(['start', 'split', 'work', 'fail', 'onError', 'errorStart', 'handle']);
    expect((await engine().listTasks({ process_instance_id: instance.id, task_definition_key: 'work', status: 'cancelled' })).total).toBe(1);
    await complete(instance.id, 'handle');
    expect((await engine().getInstance(instance.id)).status).toBe('completed');
  });

  it('an error thrown inside an event sub-process goes to the scope above, not back to it', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_nested' });
    expect(await pathOf(engine(), instance.id)).toEqual([
      'start', 'inner', 'innerStart', 'innerFail', 'innerOnError', 'innerErrorStart', 'rethrow', 'outerOnError', 'outerErrorStart', 'outerHandle',
    ]);
    expect((await engine().getInstance(instance.id)).incidents ?? []).toEqual([]);
    await complete(instance.id, 'outerHandle');
    expect((await engine().getInstance(instance.id)).status).toBe('completed');
  });

  it('a non-interrupting message event sub-process runs beside the work at each message; the instance ends when all have', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_listen' });
    for (let i = 0; i < 2; i += 1) {
      expect(await engine().correlateMessage({ message_name: 'ping', process_instance_id: instance.id, variables: { n: { value: i } } }))
        .toEqual([{ process_instance_id: instance.id, activity_id: 'pingStart' }]);
    }
    expect(await openTasks(instance.id)).toEqual(['notify', 'notify', 'work']);
    expect((await engine().getVariables(instance.id)).n?.value).toBe(1);
    await complete(instance.id, 'work');
    await complete(instance.id, 'notify');
    expect((await engine().getInstance(instance.id)).status).toBe('active');
    await complete(instance.id, 'notify');
    expect((await engine().getInstance(instance.id)).status).toBe('completed');
    await expect(engine().correlateMessage({ message_name: 'ping', process_instance_id: instance.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an interrupting signal event sub-process ends the work and the non-interrupting one stops listening', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_listen' });
    await engine().correlateMessage({ message_name: 'ping', process_instance_id: instance.id });
    expect(await engine().broadcastSignal({ signal_name: 'alarm' })).toEqual([{ process_instance_id: instance.id, activity_id: 'alarmStart' }]);
    expect(await openTasks(instance.id)).toEqual(['evacuate']);
    await expect(engine().correlateMessage({ message_name: 'ping', process_instance_id: instance.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await complete(instance.id, 'evacuate');
    expect((await engine().getInstance(instance.id)).status).toBe('completed');
  });

  it('a timer event sub-process fires by itself while its scope runs', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_timer' });
    expect(await openTasks(instance.id)).toEqual(['work']);
    await waitFor(async () => (await openTasks(instance.id)).includes('late'), 10_000, 'the timer');
    expect(await openTasks(instance.id)).toEqual(['late']);
  });

  it('a timer event sub-process stops listening when its scope has ended', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_timer' });
    await complete(instance.id, 'work');
    expect((await engine().getInstance(instance.id)).status).toBe('completed');
    expect((await engine().listJobs({ process_instance_id: instance.id })).total).toBe(0);
  });

  it('evaluates a message name when its scope starts; one that cannot be evaluated refuses the start, naming why', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_named', variables: { topic: { value: 'weather' } } });
    expect(await engine().correlateMessage({ message_name: 'news-weather' })).toEqual([{ process_instance_id: instance.id, activity_id: 'newsStart' }]);
    await expect(engine().startInstance({ process_definition_key: 'esp_named' }))
      .rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/event sub-process of process 'esp_named' cannot listen: .*topic/) });
    expect((await engine().listInstances({ process_definition_key: 'esp_named' })).total).toBe(1);
  });

  it('in an embedded sub-process: interrupting, it ends the work there; the sub-process then completes and leaves by its flow', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_inner' });
    await engine().correlateMessage({ message_name: 'ping', process_instance_id: instance.id });
    expect(await openTasks(instance.id)).toEqual(['cancelled']);
    await complete(instance.id, 'cancelled');
    expect(await openTasks(instance.id)).toEqual(['after']);
    expect(await pathOf(engine(), instance.id)).toEqual(['start', 'inner', 'innerStart', 'work', 'onPing', 'pingStart', 'cancelled', 'onPing_end', 'after']);
  });

  it('in an embedded sub-process: the sub-process\'s boundary events still listen while its event sub-process runs, and end it', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'esp_inner' });
    await engine().correlateMessage({ message_name: 'ping', process_instance_id: instance.id });
    await engine().broadcastSignal({ signal_name: 'alarm' });
    expect(await openTasks(instance.id)).toEqual(['aborted']);
    await expect(engine().correlateMessage({ message_name: 'ping', process_instance_id: instance.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
