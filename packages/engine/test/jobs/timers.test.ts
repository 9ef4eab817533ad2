// Timer events as jobs of type 'timer', as Camunda 7 runs them: intermediate catch events, boundary
// events on tasks and sub-processes, event-based gateways and timer start events. Short real timers
// (PT0.3S) show the engine firing them by itself, never before they are due; long ones (PT1H) stay put
// and are fired with executeJob.
import { describe, expect, it } from 'vitest';
import type { Engine, Job } from '../../src/index.js';
import { camunda, flow, jobBackends, jobEngines, pathOf, timer, waitFor, waitForStatus, zeebe } from '../support/job-engines.js';

const HOUR = 3_600_000;

const catchEvent = (key: string, definition: string, dialect = camunda) => dialect(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:intermediateCatchEvent id="wait">${definition}</bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'end')}
    <bpmn:endEvent id="end" />`);

const durationCatch = catchEvent('timer_duration', timer('timeDuration', 'PT0.3S'));
const pastDateCatch = catchEvent('timer_past_date', timer('timeDate', '2020-01-01T00:00:00Z'));
const juelCatch = catchEvent('timer_juel', timer('timeDuration', '${delay}'));
const feelCatch = catchEvent('timer_feel', timer('timeDuration', '=delay'), zeebe);
const zeebeCatch = catchEvent('timer_zeebe', timer('timeDuration', 'PT0.3S'), zeebe);

/** a user task `work` with a timer boundary event `deadline` leading to the user task `late` */
const boundaryOnTask = (key: string, value: string, interrupting: boolean) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />
    <bpmn:boundaryEvent id="deadline" attachedToRef="work" cancelActivity="${interrupting}">${value}</bpmn:boundaryEvent>${flow('f3', 'deadline', 'late')}
    <bpmn:${interrupting ? 'userTask' : 'task'} id="late" />${interrupting ? '' : `${flow('f4', 'late', 'noted')}<bpmn:endEvent id="noted" />`}`);

const interruptingBoundary = boundaryOnTask('boundary_interrupting', timer('timeDuration', 'PT0.3S'), true);
const reminderTwice = boundaryOnTask('boundary_reminder_r2', timer('timeCycle', 'R2/PT0.3S'), false);
const reminderForever = boundaryOnTask('boundary_reminder_forever', timer('timeCycle', 'R/PT0.3S'), false);

const boundaryOnSubProcess = camunda('boundary_sub_process', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'sub')}
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="subStart" />${flow('s1', 'subStart', 'inner')}
      <bpmn:userTask id="inner" />${flow('s2', 'inner', 'subEnd')}
      <bpmn:endEvent id="subEnd" />
    </bpmn:subProcess>${flow('f2', 'sub', 'end')}
    <bpmn:endEvent id="end" />
    <bpmn:boundaryEvent id="timeout" attachedToRef="sub">${timer('timeDuration', 'PT0.3S')}</bpmn:boundaryEvent>${flow('f3', 'timeout', 'handle')}
    <bpmn:userTask id="handle" />`);

const eventGateway = camunda('event_gateway', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'race')}
    <bpmn:eventBasedGateway id="race" />${flow('f2', 'race', 'paid')}${flow('f3', 'race', 'expired')}
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="msg_paid" /></bpmn:intermediateCatchEvent>${flow('f4', 'paid', 'ship')}
    <bpmn:intermediateCatchEvent id="expired">${timer('timeDuration', 'PT1H')}</bpmn:intermediateCatchEvent>${flow('f5', 'expired', 'cancel')}
    <bpmn:userTask id="ship" />
    <bpmn:userTask id="cancel" />`, `
  <bpmn:message id="msg_paid" name="paid-\${orderId}" />`);

/** a process started every hour (or on another cycle); `name` tells versions apart */
const hourly = (key: string, name: string, cycle = 'R/PT1H') => camunda(key, `
    <bpmn:startEvent id="tick" name="${name}">${timer('timeCycle', cycle)}</bpmn:startEvent>${flow('f1', 'tick', 'report')}
    <bpmn:userTask id="report" />`);

describe.each(jobBackends())('timers on $name', (backend) => {
  const engine = jobEngines(backend, 'timers', [
    durationCatch, pastDateCatch, juelCatch, feelCatch, zeebeCatch, interruptingBoundary, reminderTwice, reminderForever, boundaryOnSubProcess, eventGateway,
  ]);

  const jobsOf = async (instanceId: string) => (await engine().listJobs({ process_instance_id: instanceId })).data;
  const openTasks = async (instanceId: string) => (await engine().listTasks({ process_instance_id: instanceId })).data;
  const startedAt = (details: Awaited<ReturnType<Engine['getInstance']>>, activityId: string, nth = 0) =>
    new Date(details.activities.filter((a) => a.activity_id === activityId)[nth]!.start_time).getTime();

  /** starts an instance and answers it with its due time bounds: after `before`, before `after` */
  async function start(key: string, variables: Record<string, unknown> = {}) {
    const before = Date.now();
    const instance = await engine().startInstance({
      process_definition_key: key, variables: Object.fromEntries(Object.entries(variables).map(([k, value]) => [k, { value }])),
    });
    return { instance, before, after: Date.now() };
  }

  describe('intermediate catch events', () => {
    it('timeDuration PT0.3S: a timer job due 0.3 s after the start fires by itself, not before it is due', async () => {
      const { instance, before, after } = await start('timer_duration');
      expect(instance.current_activities.map((a) => a.activity_id)).toEqual(['wait']);
      const [job] = await jobsOf(instance.id);
      expect(job).toMatchObject({ type: 'timer', activity_id: 'wait', retries: 3 });
      const due = new Date(job!.due_at).getTime();
      expect(due).toBeGreaterThanOrEqual(before + 300);
      expect(due).toBeLessThanOrEqual(after + 300);

      const done = await waitForStatus(engine(), instance.id, 'completed');
      expect(done.execution_path.map((p) => p.activity_id)).toEqual(['start', 'wait', 'end']);
      expect(startedAt(done, 'end')).toBeGreaterThanOrEqual(due);
      expect(await jobsOf(instance.id)).toEqual([]);
    });

    it('a timer of a suspended instance does not fire; once the instance is activated, the overdue timer fires by itself', async () => {
      const { instance } = await start('timer_duration');
      await engine().setInstanceSuspended(instance.id, true);
      const [job] = await jobsOf(instance.id);
      await waitFor(() => Date.now() > new Date(job!.due_at).getTime() + 400, 5_000, 'the due time to pass');
      expect(await jobsOf(instance.id)).toEqual([expect.objectContaining({ id: job!.id, suspended: true })]);
      expect((await engine().getInstance(instance.id)).status).toBe('suspended');

      await engine().setInstanceSuspended(instance.id, false);
      const done = await waitForStatus(engine(), instance.id, 'completed');
      expect(done.execution_path.map((p) => p.activity_id)).toEqual(['start', 'wait', 'end']);
    });

    it('a Zeebe timer PT0.3S fires the same way', async () => {
      const { instance } = await start('timer_zeebe');
      const [job] = await jobsOf(instance.id);
      expect(job).toMatchObject({ type: 'timer', activity_id: 'wait' });
      const done = await waitForStatus(engine(), instance.id, 'completed');
      expect(startedAt(done, 'end')).toBeGreaterThanOrEqual(new Date(job!.due_at).getTime());
    });

    it('timeDate in the past is due at once', async () => {
      // (held-jobs.test.ts shows the job with its date)
      const { instance } = await start('timer_past_date');
      const done = await waitForStatus(engine(), instance.id, 'completed');
      expect(done.execution_path.map((p) => p.activity_id)).toEqual(['start', 'wait', 'end']);
    });

    it.each([
      ['a JUEL expression ${delay}', 'timer_juel'],
      ['a FEEL expression =delay (Zeebe)', 'timer_feel'],
    ])('takes its value from %s, evaluated when the token arrives', async (_title, key) => {
      const { instance, before, after } = await start(key, { delay: 'PT1H' });
      const [job] = await jobsOf(instance.id);
      const due = new Date(job!.due_at).getTime();
      expect(due).toBeGreaterThanOrEqual(before + HOUR);
      expect(due).toBeLessThanOrEqual(after + HOUR);
      // later changes do not move a timer already scheduled
      await engine().updateVariables(instance.id, [{ variable_name: 'delay', value: 'PT0S' }]);
      expect((await engine().getJob(job!.id)).due_at).toBe(job!.due_at);

      await engine().executeJob(job!.id);
      expect((await engine().getInstance(instance.id)).status).toBe('completed');
    });

    it('a value that is no duration (PTX) is a failedInstruction incident at the catch event; fixed and retried, the timer is scheduled', async () => {
      const { instance } = await start('timer_juel', { delay: 'PTX' });
      expect(instance.status).toBe('active');
      expect(await jobsOf(instance.id)).toEqual([]);
      const { data: [incident] } = await engine().listIncidents({ process_instance_id: instance.id });
      expect(incident).toMatchObject({ incident_type: 'failedInstruction', activity_id: 'wait', status: 'open' });
      expect(incident!.incident_message).toContain('PTX');

      const before = Date.now();
      const resolved = await engine().resolveIncident(incident!.id, { resolution_type: 'retry', variables: { delay: { value: 'PT1H' } } });
      expect(resolved.status).toBe('resolved');
      const [job] = await jobsOf(instance.id);
      expect(job).toMatchObject({ type: 'timer', activity_id: 'wait' });
      expect(new Date(job!.due_at).getTime()).toBeGreaterThanOrEqual(before + HOUR);
      const details = await engine().getInstance(instance.id);
      expect(details.status).toBe('active');
      expect(details.variables.delay?.value).toBe('PT1H');
    });
  });

  describe('boundary events', () => {
    it('an interrupting timer on a user task cancels the task and takes the boundary\'s path', async () => {
      const { instance } = await start('boundary_interrupting');
      const [work] = await openTasks(instance.id);
      const [job] = await jobsOf(instance.id);
      expect(job).toMatchObject({ type: 'timer', activity_id: 'deadline' });

      await waitFor(async () => (await openTasks(instance.id)).some((t) => t.task_definition_key === 'late'), 10_000, 'the boundary to fire');
      expect((await openTasks(instance.id)).map((t) => t.task_definition_key)).toEqual(['late']);
      expect((await engine().getTask(work!.id)).status).toBe('cancelled');
      const details = await engine().getInstance(instance.id);
      expect(details.execution_path.map((p) => p.activity_id)).toEqual(['start', 'work', 'deadline', 'late']);
      expect(startedAt(details, 'deadline')).toBeGreaterThanOrEqual(new Date(job!.due_at).getTime());
      expect(details.activities.find((a) => a.activity_id === 'work')?.status).toBe('cancelled');
      // what each element is: the boundary event's definition; the task `late`, with no flow out, ends its scope
      const facts = details.activities.map((a) => [a.activity_id, a.type, a.event_definition, a.ends_scope]);
      expect(facts).toEqual(expect.arrayContaining([
        ['start', 'startEvent', undefined, undefined], ['work', 'userTask', undefined, undefined],
        ['deadline', 'boundaryEvent', 'timer', undefined], ['late', 'userTask', undefined, true],
      ]));
      await expect(engine().completeTask(work!.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('a non-interrupting cycle R2/PT0.3S fires twice while the task lives, and the task stays open', async () => {
      const { instance } = await start('boundary_reminder_r2');
      const [work] = await openTasks(instance.id);
      const reminders = async () => (await pathOf(engine(), instance.id)).filter((id) => id === 'deadline').length;
      await waitFor(async () => (await reminders()) === 2, 10_000, 'two reminders');
      // R2 is spent: no job is left to fire a third time
      await waitFor(async () => (await jobsOf(instance.id)).length === 0, 5_000, 'the cycle to end');
      expect(await reminders()).toBe(2);

      const details = await engine().getInstance(instance.id);
      // the second firing is due a period after the first was due, and neither came early
      const fired = details.activities.filter((a) => a.activity_id === 'deadline').map((a) => new Date(a.start_time).getTime());
      const started = new Date(details.start_time).getTime();
      expect(fired[0]).toBeGreaterThanOrEqual(started + 300);
      expect(fired[1]).toBeGreaterThanOrEqual(started + 600);
      expect(details.execution_path.filter((p) => p.activity_id === 'noted')).toHaveLength(2);
      expect(details.status).toBe('active');
      expect((await openTasks(instance.id)).map((t) => t.id)).toEqual([work!.id]);
      await engine().completeTask(work!.id);
      expect((await engine().getInstance(instance.id)).status).toBe('completed');
    });

    it('a non-interrupting cycle stops re-arming when the task completes', async () => {
      const { instance } = await start('boundary_reminder_forever');
      const [work] = await openTasks(instance.id);
      const reminders = async () => (await pathOf(engine(), instance.id)).filter((id) => id === 'deadline').length;
      await waitFor(async () => (await reminders()) >= 1, 10_000, 'a reminder');
      // R/ never ends on its own: the next firing is waiting
      expect((await jobsOf(instance.id)).map((j) => j.activity_id)).toEqual(['deadline']);

      await engine().completeTask(work!.id);
      expect(await jobsOf(instance.id)).toEqual([]);
      const fired = await reminders();
      expect((await engine().getInstance(instance.id)).status).toBe('completed');
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await reminders()).toBe(fired);
      expect(await jobsOf(instance.id)).toEqual([]);
    });

    it('a timer on an embedded sub-process ends everything inside it', async () => {
      const { instance } = await start('boundary_sub_process');
      const [inner] = await openTasks(instance.id);
      expect(inner).toMatchObject({ task_definition_key: 'inner' });
      expect((await jobsOf(instance.id)).map((j) => [j.type, j.activity_id])).toEqual([['timer', 'timeout']]);

      await waitFor(async () => (await openTasks(instance.id)).some((t) => t.task_definition_key === 'handle'), 10_000, 'the sub-process timer');
      expect((await engine().getTask(inner!.id)).status).toBe('cancelled');
      const details = await engine().getInstance(instance.id);
      expect(details.execution_path.map((p) => p.activity_id)).toEqual(['start', 'sub', 'subStart', 'inner', 'timeout', 'handle']);
      expect(details.activities.filter((a) => a.activity_id === 'sub' || a.activity_id === 'inner').map((a) => a.status)).toEqual(['cancelled', 'cancelled']);
      expect(details.current_activities.map((a) => a.activity_id)).toEqual(['handle']);
    });
  });

  describe('event-based gateway', () => {
    it('the message wins: the timer job is deleted', async () => {
      const { instance } = await start('event_gateway', { orderId: 7 });
      const [job] = await jobsOf(instance.id);
      expect(job).toMatchObject({ type: 'timer', activity_id: 'expired' });

      const [result] = await engine().correlateMessage({ message_name: 'paid-7' });
      expect(result).toEqual({ process_instance_id: instance.id, activity_id: 'paid' });
      expect(await jobsOf(instance.id)).toEqual([]);
      await expect(engine().getJob(job!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(engine().executeJob(job!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await pathOf(engine(), instance.id)).toEqual(['start', 'race', 'paid', 'ship']);
    });

    it('the timer wins: the message subscription is gone, and a later message finds nothing', async () => {
      const { instance } = await start('event_gateway', { orderId: 8 });
      const [job] = await jobsOf(instance.id);
      await engine().executeJob(job!.id);
      expect(await pathOf(engine(), instance.id)).toEqual(['start', 'race', 'expired', 'cancel']);
      await expect(engine().correlateMessage({ message_name: 'paid-8' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await openTasks(instance.id)).map((t) => t.task_definition_key)).toEqual(['cancel']);
    });
  });

  describe('timer start events', () => {
    const startJobs = async (definitionId: string): Promise<Job[]> =>
      (await engine().listJobs({ type: 'timer', limit: 1000 })).data.filter((j) => j.process_definition_id === definitionId);

    it('a cycle R/PT1H makes a job without instance on deploy; running it starts an instance and schedules the next firing', async () => {
      const before = Date.now();
      const { definitions: [definition] } = await engine().deploy({ bpmn_xml: hourly('hourly_report', 'v1') });
      const [job] = await startJobs(definition!.id);
      expect(job).toMatchObject({ type: 'timer', activity_id: 'tick', suspended: false });
      expect(job!.process_instance_id).toBeUndefined();
      expect(new Date(job!.due_at).getTime()).toBeGreaterThanOrEqual(before + HOUR);
      expect((await engine().listInstances({ process_definition_key: 'hourly_report' })).total).toBe(0);

      await engine().executeJob(job!.id);
      const { data: instances } = await engine().listInstances({ process_definition_key: 'hourly_report' });
      expect(instances).toHaveLength(1);
      expect((await pathOf(engine(), instances[0]!.id))).toEqual(['tick', 'report']);
      const [next] = await startJobs(definition!.id);
      expect(next!.id).not.toBe(job!.id);
      expect(new Date(next!.due_at).getTime()).toBe(new Date(job!.due_at).getTime() + HOUR);
      await expect(engine().getJob(job!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('a cycle R2/PT0.3S starts two instances by itself, then it has no job left', async () => {
      const deployed = Date.now();
      const { definitions: [definition] } = await engine().deploy({ bpmn_xml: hourly('twice_started', 'v1', 'R2/PT0.3S') });
      await waitFor(async () => (await engine().listInstances({ process_definition_key: 'twice_started' })).total === 2, 10_000, 'two instances');
      await waitFor(async () => (await startJobs(definition!.id)).length === 0, 5_000, 'the cycle to end');
      const { data: instances } = await engine().listInstances({ process_definition_key: 'twice_started', sort: 'start_time' });
      expect(instances).toHaveLength(2);
      expect(new Date(instances[0]!.start_time).getTime()).toBeGreaterThanOrEqual(deployed + 300);
      expect(new Date(instances[1]!.start_time).getTime()).toBeGreaterThanOrEqual(deployed + 600);
      for (const instance of instances) expect(await pathOf(engine(), instance.id)).toEqual(['tick', 'report']);
    });

    it('a changed version replaces the timer job of the old one; identical XML keeps it', async () => {
      const first = await engine().deploy({ bpmn_xml: hourly('versioned_report', 'v1') });
      const [oldJob] = await startJobs(first.definitions[0]!.id);

      const same = await engine().deploy({ bpmn_xml: hourly('versioned_report', 'v1') });
      expect(same.definitions[0]!.id).toBe(first.definitions[0]!.id);
      expect((await startJobs(first.definitions[0]!.id)).map((j) => j.id)).toEqual([oldJob!.id]);

      const second = await engine().deploy({ bpmn_xml: hourly('versioned_report', 'v2') });
      expect(second.definitions[0]!.version).toBe(2);
      expect(await startJobs(first.definitions[0]!.id)).toEqual([]);
      await expect(engine().getJob(oldJob!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await startJobs(second.definitions[0]!.id)).toEqual([expect.objectContaining({ activity_id: 'tick' })]);
    });

    it('deleting the definition deletes its timer job', async () => {
      const { definitions: [definition] } = await engine().deploy({ bpmn_xml: hourly('deleted_report', 'v1') });
      const [job] = await startJobs(definition!.id);
      await engine().deleteDefinition(definition!.id);
      await expect(engine().getJob(job!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('suspending the definition suspends its timer job, and executing it is refused', async () => {
      const { definitions: [definition] } = await engine().deploy({ bpmn_xml: hourly('suspended_report', 'v1') });
      const [job] = await startJobs(definition!.id);
      await engine().setDefinitionSuspended(definition!.id, true);
      expect(await engine().getJob(job!.id)).toMatchObject({ suspended: true });
      await expect(engine().executeJob(job!.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await engine().listInstances({ process_definition_key: 'suspended_report' })).total).toBe(0);

      await engine().setDefinitionSuspended(definition!.id, false);
      expect(await engine().getJob(job!.id)).toMatchObject({ suspended: false });
    });
  });
});
