// Signals broadcast through the API: they reach every waiting signal catch, boundary event and event-based
// gateway of active instances, and start the latest version of every process with a signal start event.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow, pathOf, waitFor } from '../support/job-engines.js';

const SIGNALS = '<bpmn:signal id="Alarm" name="alarm" /><bpmn:message id="Paid" name="paid" />';
const onAlarm = '<bpmn:signalEventDefinition signalRef="Alarm" />';

/** user task `work` with an interrupting signal boundary → `evacuate`; completing `work` → `done` */
const interrupted = camunda('sig_interrupting', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />${flow('f2', 'work', 'done')}
    <bpmn:endEvent id="done" />
    <bpmn:boundaryEvent id="alarmed" attachedToRef="work">${onAlarm}</bpmn:boundaryEvent>${flow('f3', 'alarmed', 'evacuate')}
    <bpmn:userTask id="evacuate" />`, SIGNALS);

/** user task `work` with a non-interrupting signal boundary → user task `report` */
const notified = camunda('sig_non_interrupting', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />${flow('f2', 'work', 'done')}
    <bpmn:endEvent id="done" />
    <bpmn:boundaryEvent id="alarmed" attachedToRef="work" cancelActivity="false">${onAlarm}</bpmn:boundaryEvent>${flow('f3', 'alarmed', 'report')}
    <bpmn:userTask id="report" />`, SIGNALS);

/** an event-based gateway racing signal `alarm` against message `paid` */
const raced = camunda('sig_race', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'gate')}
    <bpmn:eventBasedGateway id="gate" />${flow('f2', 'gate', 'onAlarm')}${flow('f3', 'gate', 'onPaid')}
    <bpmn:intermediateCatchEvent id="onAlarm">${onAlarm}</bpmn:intermediateCatchEvent>${flow('f4', 'onAlarm', 'alarmEnd')}
    <bpmn:endEvent id="alarmEnd" />
    <bpmn:intermediateCatchEvent id="onPaid"><bpmn:messageEventDefinition messageRef="Paid" /></bpmn:intermediateCatchEvent>${flow('f5', 'onPaid', 'paidEnd')}
    <bpmn:endEvent id="paidEnd" />`, SIGNALS);

/** started by signal `alarm` (version `tag`) → user task `triage` */
const startedBy = (tag: string) => camunda('sig_start', `
    <bpmn:startEvent id="started_${tag}">${onAlarm}</bpmn:startEvent>${flow('f1', `started_${tag}`, 'triage')}
    <bpmn:userTask id="triage" />`, SIGNALS);

/** start → signal catch `wait` → user task `after` */
const waiting = camunda('sig_wait', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:intermediateCatchEvent id="wait">${onAlarm}</bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'after')}
    <bpmn:userTask id="after" />`, SIGNALS);

/** start → signal end event throwing `alarm` */
const endsAlarming = camunda('sig_end_throw', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'raise')}
    <bpmn:endEvent id="raise">${onAlarm}</bpmn:endEvent>`, SIGNALS);

/** start → intermediate throw of `alarm` → user task `next` */
const throwsAlarm = camunda('sig_throw', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'raise')}
    <bpmn:intermediateThrowEvent id="raise">${onAlarm}</bpmn:intermediateThrowEvent>${flow('f2', 'raise', 'next')}
    <bpmn:userTask id="next" />`, SIGNALS);

/**
 * sub-process `area` throwing `alarm` from a parallel branch, with an interrupting signal boundary event
 * → `evacuate`; a non-interrupting signal event sub-process of the process → `log`; after the throw, a
 * catch of `alarm` that only starts listening then
 */
const throwsToItself = camunda('sig_own', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'area')}
    <bpmn:subProcess id="area">
      <bpmn:startEvent id="areaStart" />${flow('a1', 'areaStart', 'fork')}
      <bpmn:parallelGateway id="fork" />${flow('a2', 'fork', 'work')}${flow('a3', 'fork', 'raise')}
      <bpmn:userTask id="work" />
      <bpmn:intermediateThrowEvent id="raise">${onAlarm}</bpmn:intermediateThrowEvent>${flow('a4', 'raise', 'later')}
      <bpmn:intermediateCatchEvent id="later">${onAlarm}</bpmn:intermediateCatchEvent>
    </bpmn:subProcess>${flow('f2', 'area', 'done')}
    <bpmn:endEvent id="done" />
    <bpmn:boundaryEvent id="alarmed" attachedToRef="area">${onAlarm}</bpmn:boundaryEvent>${flow('f3', 'alarmed', 'evacuate')}
    <bpmn:userTask id="evacuate" />
    <bpmn:subProcess id="onAlarm" triggeredByEvent="true">
      <bpmn:startEvent id="heard" isInterrupting="false">${onAlarm}</bpmn:startEvent>${flow('e1', 'heard', 'log')}
      <bpmn:userTask id="log" />
    </bpmn:subProcess>`, SIGNALS);

/** start → parallel: an intermediate throw of `alarm`, and a signal catch `wait` that listens before it */
const throwsToOwnCatch = camunda('sig_own_catch', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'fork')}
    <bpmn:parallelGateway id="fork" />${flow('f2', 'fork', 'wait')}${flow('f3', 'fork', 'raise')}
    <bpmn:intermediateCatchEvent id="wait">${onAlarm}</bpmn:intermediateCatchEvent>${flow('f4', 'wait', 'heard')}
    <bpmn:userTask id="heard" />
    <bpmn:intermediateThrowEvent id="raise">${onAlarm}</bpmn:intermediateThrowEvent>${flow('f5', 'raise', 'thrown')}
    <bpmn:userTask id="thrown" />`, SIGNALS);

/** a catch and an intermediate throw of the signal `zone-${zone}`, each named by its instance's variable */
const ZONE = '<bpmn:signal id="Zone" name="zone-${zone}" />';
const waitsForZone = camunda('sig_zone_wait', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="Zone" /></bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'after')}
    <bpmn:userTask id="after" />`, ZONE);
const throwsToZone = camunda('sig_zone_throw', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'raise')}
    <bpmn:intermediateThrowEvent id="raise"><bpmn:signalEventDefinition signalRef="Zone" /></bpmn:intermediateThrowEvent>${flow('f2', 'raise', 'next')}
    <bpmn:userTask id="next" />`, ZONE);

/** start → intermediate throw of `alarm` carrying `floor` as `level` and the business key `caseId` (camunda:in) → user task `next` */
const throwsCarrying = camunda('sig_throw_in', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'raise')}
    <bpmn:intermediateThrowEvent id="raise"><bpmn:signalEventDefinition signalRef="Alarm"><bpmn:extensionElements>
      <camunda:in source="floor" target="level" /><camunda:in businessKey="\${caseId}" />
    </bpmn:extensionElements></bpmn:signalEventDefinition></bpmn:intermediateThrowEvent>${flow('f2', 'raise', 'next')}
    <bpmn:userTask id="next" />`, SIGNALS);

describe.each(testBackends())('signals on %s', (backend) => {
  const engine = engineUnderTest(backend, 'signals');
  const openTasks = async (instanceId: string) =>
    (await engine().listTasks({ process_instance_id: instanceId, status: 'created' })).data.map((t) => t.task_definition_key).sort();

  it('an interrupting boundary signal cancels the activity and takes its path, with the signal\'s variables', async () => {
    await engine().deploy({ bpmn_xml: interrupted });
    const instance = await engine().startInstance({ process_definition_key: 'sig_interrupting' });
    const reached = await engine().broadcastSignal({ signal_name: 'alarm', variables: { floor: { value: 4 } } });
    expect(reached).toEqual([{ process_instance_id: instance.id, activity_id: 'alarmed' }]);
    expect(await openTasks(instance.id)).toEqual(['evacuate']);
    expect((await engine().getVariables(instance.id)).floor?.value).toBe(4);
    expect(await engine().broadcastSignal({ signal_name: 'alarm' })).toEqual([]);
  });

  it('a non-interrupting boundary signal opens a branch at each broadcast while the activity lives', async () => {
    await engine().deploy({ bpmn_xml: notified });
    const instance = await engine().startInstance({ process_definition_key: 'sig_non_interrupting' });
    await engine().broadcastSignal({ signal_name: 'alarm' });
    await engine().broadcastSignal({ signal_name: 'alarm' });
    expect(await openTasks(instance.id)).toEqual(['report', 'report', 'work']);
    const work = (await engine().listTasks({ process_instance_id: instance.id, task_definition_key: 'work' })).data[0]!;
    await engine().completeTask(work.id, {});
    expect(await engine().broadcastSignal({ signal_name: 'alarm' })).toEqual([]);
    expect(await openTasks(instance.id)).toEqual(['report', 'report']);
  });

  it('decides the race of an event-based gateway: the message that lost no longer waits', async () => {
    await engine().deploy({ bpmn_xml: raced });
    const instance = await engine().startInstance({ process_definition_key: 'sig_race' });
    await engine().broadcastSignal({ signal_name: 'alarm' });
    expect((await engine().getInstance(instance.id)).status).toBe('completed');
    expect(await pathOf(engine(), instance.id)).toEqual(['start', 'gate', 'onAlarm', 'alarmEnd']);
    await expect(engine().correlateMessage({ message_name: 'paid', process_instance_id: instance.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reaches every waiting instance but the suspended ones, and only the tenant named', async () => {
    await engine().deploy({ bpmn_xml: waiting });
    await engine().deploy({ bpmn_xml: waiting, tenant_id: 'acme' });
    const [a, b, suspended] = [
      await engine().startInstance({ process_definition_key: 'sig_wait', tenant_id: 'acme' }),
      await engine().startInstance({ process_definition_key: 'sig_wait' }),
      await engine().startInstance({ process_definition_key: 'sig_wait' }),
    ];
    await engine().setInstanceSuspended(suspended.id, true);

    expect(await engine().broadcastSignal({ signal_name: 'alarm', tenant_id: 'acme' })).toEqual([{ process_instance_id: a.id, activity_id: 'wait' }]);
    expect(await engine().broadcastSignal({ signal_name: 'alarm' })).toEqual([{ process_instance_id: b.id, activity_id: 'wait' }]);
    expect(await openTasks(a.id)).toEqual(['after']);
    expect(await openTasks(b.id)).toEqual(['after']);

    await engine().setInstanceSuspended(suspended.id, false);
    expect(await engine().broadcastSignal({ signal_name: 'alarm' })).toEqual([{ process_instance_id: suspended.id, activity_id: 'wait' }]);
  });

  it('starts an instance of the latest version with a signal start event', async () => {
    await engine().deploy({ bpmn_xml: startedBy('v1') });
    await engine().deploy({ bpmn_xml: startedBy('v2') });
    const reached = await engine().broadcastSignal({ signal_name: 'alarm', variables: { source: { value: 'sensor' } } });
    expect(reached).toHaveLength(1);
    expect(reached[0]!.activity_id).toBe('started_v2');
    const instance = await engine().getInstance(reached[0]!.process_instance_id);
    expect(instance).toMatchObject({ process_definition_key: 'sig_start', status: 'active' });
    expect((await engine().getVariables(instance.id)).source?.value).toBe('sensor');
    expect(await openTasks(instance.id)).toEqual(['triage']);
  });

  it('a signal end event reaches the instances waiting for it, though its own instance has ended', async () => {
    await engine().deploy({ bpmn_xml: waiting });
    await engine().deploy({ bpmn_xml: endsAlarming });
    const waiters = [await engine().startInstance({ process_definition_key: 'sig_wait' }), await engine().startInstance({ process_definition_key: 'sig_wait' })];
    const thrower = await engine().startInstance({ process_definition_key: 'sig_end_throw' });
    expect(thrower.status).toBe('completed');
    for (const w of waiters) await waitFor(async () => (await openTasks(w.id)).includes('after'), 10_000, 'the thrown signal');
    expect((await engine().listJobs({})).data.filter((j) => j.activity_id === 'raise')).toEqual([]);
  });

  it('an intermediate throw goes on at once; its signal stays in the thrower\'s tenant, where it also starts definitions of no tenant', async () => {
    await engine().deploy({ bpmn_xml: throwsAlarm, tenant_id: 'acme' });
    await engine().deploy({ bpmn_xml: waiting, tenant_id: 'acme' });
    await engine().deploy({ bpmn_xml: waiting, tenant_id: 'globex' });
    await engine().deploy({ bpmn_xml: startedBy('shared') });
    const acme = await engine().startInstance({ process_definition_key: 'sig_wait', tenant_id: 'acme' });
    const globex = await engine().startInstance({ process_definition_key: 'sig_wait', tenant_id: 'globex' });

    const thrower = await engine().startInstance({ process_definition_key: 'sig_throw', tenant_id: 'acme' });
    expect(await openTasks(thrower.id)).toEqual(['next']);
    await waitFor(async () => (await openTasks(acme.id)).includes('after'), 10_000, 'the thrown signal');
    // the definition of no tenant starts an instance of the thrower's
    const startedInAcme = async () => (await engine().listInstances({ process_definition_key: 'sig_start', limit: 100 })).data.filter((i) => i.tenant_id === 'acme');
    await waitFor(async () => (await startedInAcme()).length > 0, 10_000, 'a started instance');
    expect(await startedInAcme()).toHaveLength(1);
    expect(await openTasks(globex.id)).toEqual([]);
    expect((await engine().getInstance(globex.id)).status).toBe('active');
  });

  it('a thrown signal reaches the catchers of its own instance in the same command: a boundary event of the sub-process that threw it, and an event sub-process', async () => {
    await engine().deploy({ bpmn_xml: throwsToItself });
    for (let run = 0; run < 3; run += 1) {
      const instance = await engine().startInstance({ process_definition_key: 'sig_own' });
      // the start command itself ran the catchers: no job had to run first
      expect(instance.current_activities.map((a) => a.activity_id).sort()).toEqual(['evacuate', 'log', 'onAlarm']);
      expect(await openTasks(instance.id)).toEqual(['evacuate', 'log']);
      const details = await engine().getInstance(instance.id);
      expect(details.activities.filter((a) => a.activity_id === 'work' || a.activity_id === 'area').map((a) => a.status)).toEqual(['cancelled', 'cancelled']);
      // the catch that began to listen after the throw was cancelled with its sub-process, never reached
      expect(details.execution_path.map((p) => p.activity_id)).not.toContain('later');
    }
  });

  it('a thrown signal reaches only the catchers of its instance that listen when it is thrown; the job after commit passes its instance over', async () => {
    await engine().deploy({ bpmn_xml: throwsToOwnCatch });
    await engine().deploy({ bpmn_xml: waiting });
    const other = await engine().startInstance({ process_definition_key: 'sig_wait' });
    const instance = await engine().startInstance({ process_definition_key: 'sig_own_catch' });
    expect(await openTasks(instance.id)).toEqual(['heard', 'thrown']);
    await waitFor(async () => (await openTasks(other.id)).includes('after'), 10_000, 'the thrown signal in the other instance');
    await waitFor(async () => (await engine().listJobs({})).data.every((j) => j.activity_id !== 'raise'), 10_000, 'the signal job');
    const audit = (await engine().getInstance(instance.id)).audit_trail.filter((a) => a.operation === 'SignalEvent');
    expect(audit.map((a) => a.activity_id)).toEqual(['wait']);
  });

  it('evaluates a signal name with an expression: the thrower\'s with its variables, each catcher\'s with its own', async () => {
    await engine().deploy({ bpmn_xml: waitsForZone });
    await engine().deploy({ bpmn_xml: throwsToZone });
    const north = await engine().startInstance({ process_definition_key: 'sig_zone_wait', variables: { zone: { value: 'north' } } });
    const south = await engine().startInstance({ process_definition_key: 'sig_zone_wait', variables: { zone: { value: 'south' } } });
    await engine().startInstance({ process_definition_key: 'sig_zone_throw', variables: { zone: { value: 'north' } } });
    await waitFor(async () => (await openTasks(north.id)).includes('after'), 10_000, 'the thrown signal');
    await waitFor(async () => (await engine().listJobs({})).data.every((j) => j.activity_id !== 'raise'), 10_000, 'the signal job');
    expect(await openTasks(south.id)).toEqual([]);
    expect(await engine().broadcastSignal({ signal_name: 'zone-south' })).toEqual([{ process_instance_id: south.id, activity_id: 'wait' }]);
  });

  it('a thrown signal carries what its camunda:in names to the instances it reaches and starts, and its business key to those it starts', async () => {
    await engine().deploy({ bpmn_xml: waiting });
    await engine().deploy({ bpmn_xml: startedBy('carried') });
    await engine().deploy({ bpmn_xml: throwsCarrying });
    const waiter = await engine().startInstance({ process_definition_key: 'sig_wait' });
    await engine().startInstance({ process_definition_key: 'sig_throw_in', variables: { floor: { value: 3 }, caseId: { value: 'case-7' }, secret: { value: 'x' } } });
    await waitFor(async () => (await openTasks(waiter.id)).includes('after'), 10_000, 'the thrown signal');
    expect((await engine().getVariables(waiter.id)).level).toMatchObject({ value: 3, type: 'Integer' });
    const started = async () => (await engine().listInstances({ process_definition_key: 'sig_start', business_key: 'case-7' })).data;
    await waitFor(async () => (await started()).length > 0, 10_000, 'the instance started with the business key');
    const [instance] = await started();
    const variables = await engine().getVariables(instance!.id);
    expect(variables.level?.value).toBe(3);
    expect(variables.secret).toBeUndefined();
  });

  it('refuses a broadcast without a signal name', async () => {
    await expect(engine().broadcastSignal({ signal_name: '' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe.each(testBackends())('a thrown signal whose delivery waits, on %s', (backend) => {
  // jobs are written but not run, so that the delivery runs when the test says
  const engine = engineUnderTest(backend, 'signals-held', [waiting, endsAlarming], { jobs: { run: false } });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 10));

  it('reaches the catchers that listened when it was thrown, not those that began to listen before its delivery ran', async () => {
    const before = await engine().startInstance({ process_definition_key: 'sig_wait' });
    await pause();
    await engine().startInstance({ process_definition_key: 'sig_end_throw' });
    const [delivery] = (await engine().listJobs({})).data.filter((j) => j.activity_id === 'raise');
    await pause();
    const after = await engine().startInstance({ process_definition_key: 'sig_wait' });
    await engine().executeJob(delivery!.id);
    const open = async (id: string) => (await engine().listTasks({ process_instance_id: id })).data.map((t) => t.task_definition_key);
    expect(await open(before.id)).toEqual(['after']);
    expect(await open(after.id)).toEqual([]);
    expect((await engine().getInstance(after.id)).current_activities.map((a) => a.activity_id)).toEqual(['wait']);
  });
});
