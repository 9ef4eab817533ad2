// A job's due date set by hand (setJobDueDate, Camunda's setJobDuedate) on an engine that runs its jobs:
// moved earlier, the job runs then, also where BullMQ still holds the reminder of its old time; moved
// later, it does not run at its old time. Both dispatchers, both kinds of job: of an instance and of a
// timer start event (no instance).
import { describe, expect, it } from 'vitest';
import { camunda, flow, jobBackends, jobEngines, pathOf, timer, waitFor, waitForStatus } from '../support/job-engines.js';

const HOUR = 3_600_000;

/** start → a timer catch event `wait` of that duration → end */
const timerCatch = (key: string, duration: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', duration)}</bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'end')}
    <bpmn:endEvent id="end" />`);
const waitAnHour = timerCatch('due_hour', 'PT1H');
const waitASecond = timerCatch('due_second', 'PT1S');

const hourlyStart = camunda('due_hourly_start', `
    <bpmn:startEvent id="tick">${timer('timeCycle', 'R/PT1H')}</bpmn:startEvent>${flow('f1', 'tick', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(jobBackends())('job due dates on $name', (backend) => {
  const engine = jobEngines(backend, 'job-due-date', [waitAnHour, waitASecond, hourlyStart]);

  const timerOf = async (instanceId: string) => {
    const { data: [job] } = await engine().listJobs({ process_instance_id: instanceId });
    expect(job).toMatchObject({ type: 'timer', activity_id: 'wait' });
    return job!;
  };

  it('a timer moved into the past fires at once, not an hour later', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'due_hour' });
    const job = await timerOf(instance.id);
    expect(new Date(job.due_at).getTime()).toBeGreaterThan(Date.now() + HOUR - 60_000);

    const moved = await engine().setJobDueDate(job.id, '2020-01-01T00:00:00.000Z', { user_id: 'ops' });
    expect(moved).toMatchObject({ id: job.id, due_at: '2020-01-01T00:00:00.000Z' });
    await waitForStatus(engine(), instance.id, 'completed', 5_000);
    expect(await pathOf(engine(), instance.id)).toEqual(['start', 'wait', 'end']);

    const { data: audit } = await engine().listAuditEntries({ process_instance_id: instance.id, operation: 'SetJobDuedate' });
    expect(audit).toEqual([expect.objectContaining({
      entity_type: 'Job', category: 'Operator', user_id: 'ops', activity_id: 'wait', property: 'duedate',
      org_value: new Date(job.due_at).toISOString(), new_value: '2020-01-01T00:00:00.000Z',
    })]);
  });

  it('null is now: the timer fires at once', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'due_hour' });
    const job = await timerOf(instance.id);
    const before = Date.now();
    const moved = await engine().setJobDueDate(job.id, null);
    expect(new Date(moved.due_at).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(new Date(moved.due_at).getTime()).toBeLessThanOrEqual(Date.now());
    await waitForStatus(engine(), instance.id, 'completed', 5_000);
  });

  it('a timer moved later does not fire at its old time', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'due_second' });
    const job = await timerOf(instance.id);
    const later = new Date(Date.now() + HOUR).toISOString();
    await engine().setJobDueDate(job.id, later);

    // its old time (1 s) and a few sweeps (250 ms) go by
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await engine().getInstance(instance.id)).status).toBe('active');
    expect(await timerOf(instance.id)).toMatchObject({ id: job.id, due_at: later, retries: 3 });
  });

  it("a timer start event's job (no instance) moved into the past starts an instance at once", async () => {
    const { data: [definition] } = await engine().listDefinitions({ key: 'due_hourly_start' });
    const { data: [job] } = await engine().listJobs({ process_definition_key: 'due_hourly_start' });
    expect(job).toMatchObject({ type: 'timer' });
    expect(job!.process_instance_id).toBeUndefined();

    await engine().setJobDueDate(job!.id, new Date(Date.now() - 1_000).toISOString(), { user_id: 'ops' });
    await waitFor(async () => (await engine().listInstances({ process_definition_key: 'due_hourly_start' })).total === 1, 5_000, 'the started instance');
    const { data: audit } = await engine().listAuditEntries({ process_definition_key: 'due_hourly_start', operation: 'SetJobDuedate' });
    expect(audit).toEqual([expect.objectContaining({ entity_type: 'Job', process_definition_id: definition!.id, user_id: 'ops', org_value: job!.due_at })]);
  });

  it('refuses a due date that is no date, and a job that does not exist', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'due_hour' });
    const job = await timerOf(instance.id);
    for (const bad of ['tomorrow', '', 42 as unknown as string]) {
      await expect(engine().setJobDueDate(job.id, bad)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    }
    expect(await engine().getJob(job.id)).toMatchObject({ due_at: job.due_at });
    await expect(engine().setJobDueDate('00000000-0000-0000-0000-000000000000', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
