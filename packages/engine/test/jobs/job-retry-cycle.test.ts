// camunda:failedJobRetryTimeCycle on an element whose jobs are its own (an async continuation), as on a
// service task: the job has the cycle's number of retries, a failed attempt waits the cycle's delay before
// the next, the last one holds a failedJob incident, and a `retry` resolution gives the cycle's number again.
import { describe, expect, it } from 'vitest';
import { camunda, flow, jobBackends, jobEngines } from '../support/job-engines.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const TEN_MINUTES = 600_000;

const cycled = camunda('retry_cycled', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'calc')}
    <bpmn:task id="calc" camunda:asyncAfter="true">
      <bpmn:extensionElements><camunda:failedJobRetryTimeCycle>R5/PT10M</camunda:failedJobRetryTimeCycle></bpmn:extensionElements>
    </bpmn:task>${flow('f2', 'calc', 'check')}
    <bpmn:task id="check" camunda:asyncAfter="true">
      <bpmn:extensionElements><camunda:failedJobRetryTimeCycle>PT1M,PT2M</camunda:failedJobRetryTimeCycle></bpmn:extensionElements>
    </bpmn:task>${flow('f3', 'check', 'review')}
    <bpmn:userTask id="review" />`);

describe.each(jobBackends())('retry time cycles of async jobs on $name', (backend) => {
  const engine = jobEngines(backend, 'job-retry-cycle', [cycled], { jobs: { run: false }, instanceCache: 0, now: () => NOW });

  const jobAt = async (instanceId: string, activityId: string) =>
    (await engine().listJobs({ process_instance_id: instanceId })).data.find((job) => job.activity_id === activityId)!;
  /** a continuation that cannot go on: the flow it was to take is not in the model */
  const breakJob = (jobId: string) => engine.sql('update jobs set payload = $1 where id = $2', [JSON.stringify({ flows: ['nowhere'] }), jobId]);
  const failingRun = (jobId: string) => engine().executeJob(jobId).catch(() => undefined);

  it('gives the job the retries of the cycle and waits its delay after each failure, down to a failedJob incident', async () => {
    const { id: instanceId } = await engine().startInstance({ process_definition_key: 'retry_cycled' });
    const job = await jobAt(instanceId, 'calc');
    expect(job).toMatchObject({ type: 'async', retries: 5 });
    await breakJob(job.id);

    await failingRun(job.id);
    expect(await engine().getJob(job.id)).toMatchObject({ retries: 4, due_at: new Date(NOW.getTime() + TEN_MINUTES).toISOString() });
    for (let attempt = 0; attempt < 4; attempt++) await failingRun(job.id);
    const { data: [incident] } = await engine().listIncidents({ process_instance_id: instanceId, status: 'open' });
    expect(incident).toMatchObject({ incident_type: 'failedJob', activity_id: 'calc', configuration: job.id });

    await engine().resolveIncident(incident!.id, { resolution_type: 'retry' });
    expect(await engine().getJob(job.id)).toMatchObject({ retries: 5 });
  });

  it('takes a list of delays as one retry each, waiting them in turn', async () => {
    const { id: instanceId } = await engine().startInstance({ process_definition_key: 'retry_cycled' });
    const calc = await jobAt(instanceId, 'calc');
    await engine().executeJob(calc.id);
    const job = await jobAt(instanceId, 'check');
    expect(job).toMatchObject({ type: 'async', retries: 2 });
    await breakJob(job.id);

    await failingRun(job.id);
    expect(await engine().getJob(job.id)).toMatchObject({ retries: 1, due_at: new Date(NOW.getTime() + 60_000).toISOString() });
    await failingRun(job.id);
    expect(await engine().getJob(job.id)).toMatchObject({ retries: 0 });
  });
});
