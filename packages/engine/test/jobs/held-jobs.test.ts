// Jobs held by an engine that does not run them (run: false), so that every step can be looked at
// and each job is run with executeJob: asynchronous continuations (camunda:asyncBefore / asyncAfter)
// as Camunda 7 runs them, where the command stops at the element and a job of type 'async' carries on
// in a transaction of its own; and the job API (GET /jobs, GET /jobs/{id}, POST /jobs/{id}/execute,
// PUT /jobs/{id}/retries). Engines running jobs by themselves are in the other files of this folder.
import { describe, expect, it } from 'vitest';
import { camunda, flow, jobBackends, jobEngines, pathOf, timer } from '../support/job-engines.js';

const asyncStart = camunda('async_start', `
    <bpmn:startEvent id="start" camunda:asyncBefore="true" />${flow('f1', 'start', 'work')}
    <bpmn:scriptTask id="work" scriptFormat="feel" camunda:resultVariable="worked"><bpmn:script>true</bpmn:script></bpmn:scriptTask>${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />`);

const asyncUserTask = camunda('async_user_task', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review" name="Review" camunda:asyncBefore="true" camunda:candidateGroups="clerks" />${flow('f2', 'review', 'end')}
    <bpmn:endEvent id="end" />`);

// the script's result and its output mapping are done before the job; the gateway after it is not
const asyncAfterScript = camunda('async_after_script', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'calc')}
    <bpmn:scriptTask id="calc" scriptFormat="feel" camunda:resultVariable="score" camunda:asyncAfter="true">
      <bpmn:extensionElements><camunda:inputOutput>
        <camunda:inputParameter name="factor">2</camunda:inputParameter>
        <camunda:outputParameter name="usedFactor">\${factor}</camunda:outputParameter>
      </camunda:inputOutput></bpmn:extensionElements>
      <bpmn:script>base * 2</bpmn:script>
    </bpmn:scriptTask>${flow('f2', 'calc', 'decide')}
    <bpmn:exclusiveGateway id="decide" default="toLow" />${flow('toHigh', 'decide', 'high', '${score > 10}')}${flow('toLow', 'decide', 'low')}
    <bpmn:userTask id="high" />
    <bpmn:userTask id="low" />`);

const asyncJoin = camunda('async_join', `
    <bpmn:startEvent id="start" />${flow('f0', 'start', 'fork')}
    <bpmn:parallelGateway id="fork" />${flow('a1', 'fork', 'left')}${flow('b1', 'fork', 'right')}
    <bpmn:task id="left" />${flow('a2', 'left', 'join')}
    <bpmn:task id="right" />${flow('b2', 'right', 'join')}
    <bpmn:parallelGateway id="join" camunda:asyncBefore="true" />${flow('f3', 'join', 'after')}
    <bpmn:userTask id="after" />`);

const asyncGateway = camunda('async_gateway', `
    <bpmn:startEvent id="start" />${flow('f0', 'start', 'gw')}
    <bpmn:exclusiveGateway id="gw" camunda:asyncBefore="true" camunda:asyncAfter="true" />${flow('toA', 'gw', 'a', '${route == "a"}')}${flow('toB', 'gw', 'b', '${route == "b"}')}
    <bpmn:userTask id="a" />
    <bpmn:userTask id="b" />`);

const pastDate = camunda('past_date', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:intermediateCatchEvent id="wait">${timer('timeDate', '2020-01-01T00:00:00Z')}</bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'end')}
    <bpmn:endEvent id="end" />`);

// one instance, three kinds of job: an async continuation, a timer and an HTTP call
const threeJobs = camunda('three_jobs', `
    <bpmn:startEvent id="start" />${flow('f0', 'start', 'fork')}
    <bpmn:parallelGateway id="fork" />${flow('a', 'fork', 'review')}${flow('b', 'fork', 'pause')}${flow('c', 'fork', 'notify')}
    <bpmn:userTask id="review" camunda:asyncBefore="true" />
    <bpmn:intermediateCatchEvent id="pause">${timer('timeDuration', 'PT1H')}</bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="notify">
      <bpmn:extensionElements><camunda:connector>
        <camunda:connectorId>http-connector</camunda:connectorId>
        <camunda:inputOutput><camunda:inputParameter name="url">http://127.0.0.1:9/never-called</camunda:inputParameter></camunda:inputOutput>
      </camunda:connector></bpmn:extensionElements>
    </bpmn:serviceTask>`);

describe.each(jobBackends())('held jobs on $name', (backend) => {
  const engine = jobEngines(backend, 'held-jobs', [asyncStart, asyncUserTask, asyncAfterScript, asyncJoin, asyncGateway, threeJobs, pastDate], { jobs: { run: false } });

  describe('asynchronous continuations', () => {
    const jobsOf = async (instanceId: string) => (await engine().listJobs({ process_instance_id: instanceId })).data;

    it('asyncBefore on the start event: the instance waits at the start event until its job runs', async () => {
      const started = await engine().startInstance({ process_definition_key: 'async_start' });
      expect(started.status).toBe('active');
      expect(started.current_activities.map((a) => a.activity_id)).toEqual(['start']);
      expect(started.variables.worked).toBeUndefined();

      const jobs = await jobsOf(started.id);
      expect(jobs).toEqual([expect.objectContaining({ type: 'async', activity_id: 'start', process_instance_id: started.id, retries: 3 })]);
      expect(new Date(jobs[0]!.due_at).getTime()).toBeLessThanOrEqual(Date.now());
      expect(await pathOf(engine(), started.id)).toEqual(['start']);

      await engine().executeJob(jobs[0]!.id);
      const done = await engine().getInstance(started.id);
      expect(done.status).toBe('completed');
      expect(done.variables.worked?.value).toBe(true);
      expect(done.execution_path.map((p) => p.activity_id)).toEqual(['start', 'work', 'end']);
      expect(await jobsOf(started.id)).toEqual([]);
      await expect(engine().getJob(jobs[0]!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('asyncBefore on a user task: no task exists until the job runs', async () => {
      const started = await engine().startInstance({ process_definition_key: 'async_user_task' });
      expect(started.current_activities.map((a) => a.activity_id)).toEqual(['review']);
      expect((await engine().listTasks({ process_instance_id: started.id })).data).toEqual([]);
      const [job] = await jobsOf(started.id);
      expect(job).toMatchObject({ type: 'async', activity_id: 'review' });

      await engine().executeJob(job!.id);
      const { data: tasks } = await engine().listTasks({ process_instance_id: started.id });
      expect(tasks).toEqual([expect.objectContaining({ task_definition_key: 'review', name: 'Review' })]);
      expect(await jobsOf(started.id)).toEqual([]);
      await engine().completeTask(tasks[0]!.id);
      expect((await engine().getInstance(started.id)).status).toBe('completed');
    });

    it('asyncAfter on a script task: result and outputs before the job, the gateway\'s conditions when it runs', async () => {
      const started = await engine().startInstance({ process_definition_key: 'async_after_script', variables: { base: { value: 20 } } });
      // the script ran and its outputs were mapped in the first command
      expect(started.variables.score?.value).toBe(40);
      expect(started.variables.usedFactor?.value).toBe('2');
      expect(started.variables.factor).toBeUndefined();
      const waiting = await engine().getInstance(started.id);
      expect(waiting.execution_path.map((p) => p.activity_id)).toEqual(['start', 'calc']);
      // the activity has ended; only its continuation waits
      expect(waiting.activities.find((a) => a.activity_id === 'calc')).toMatchObject({ status: 'completed', end_time: expect.any(String) });
      const [job] = await jobsOf(started.id);
      expect(job).toMatchObject({ type: 'async', activity_id: 'calc' });

      // the gateway decides on the variables as they are when the job runs
      await engine().updateVariables(started.id, [{ variable_name: 'score', value: 5 }]);
      await engine().executeJob(job!.id);
      const details = await engine().getInstance(started.id);
      expect(details.execution_path.map((p) => p.activity_id)).toEqual(['start', 'calc', 'decide', 'low']);
      expect(details.activities.find((a) => a.activity_id === 'calc')?.status).toBe('completed');
      expect((await engine().listTasks({ process_instance_id: started.id })).data.map((t) => t.task_definition_key)).toEqual(['low']);
    });

    it('asyncBefore on a parallel join: one job per arriving token, and the join fires once', async () => {
      const started = await engine().startInstance({ process_definition_key: 'async_join' });
      const jobs = await jobsOf(started.id);
      expect(jobs.map((j) => [j.type, j.activity_id])).toEqual([['async', 'join'], ['async', 'join']]);

      await engine().executeJob(jobs[0]!.id);
      expect((await engine().listTasks({ process_instance_id: started.id })).data).toEqual([]);
      expect((await jobsOf(started.id)).map((j) => j.id)).toEqual([jobs[1]!.id]);

      await engine().executeJob(jobs[1]!.id);
      const path = await pathOf(engine(), started.id);
      expect(path.filter((id) => id === 'join')).toHaveLength(2);
      expect(path.filter((id) => id === 'after')).toHaveLength(1);
      expect((await engine().listTasks({ process_instance_id: started.id })).data.map((t) => t.task_definition_key)).toEqual(['after']);
      expect(await jobsOf(started.id)).toEqual([]);
    });

    it('asyncBefore on a parallel join whose jobs run at the same moment fires it once', async () => {
      const started = await engine().startInstance({ process_definition_key: 'async_join' });
      const jobs = await jobsOf(started.id);
      await Promise.all(jobs.map((j) => engine().executeJob(j.id)));
      const path = await pathOf(engine(), started.id);
      expect(path.filter((id) => id === 'after')).toHaveLength(1);
      expect((await engine().listTasks({ process_instance_id: started.id })).data).toHaveLength(1);
    });

    it('asyncBefore and asyncAfter on an exclusive gateway: a job before it, and one after it has chosen its flow', async () => {
      const started = await engine().startInstance({ process_definition_key: 'async_gateway', variables: { route: { value: 'a' } } });
      expect(started.current_activities.map((a) => a.activity_id)).toEqual(['gw']);
      const [before] = await jobsOf(started.id);
      expect(before).toMatchObject({ type: 'async', activity_id: 'gw' });

      await engine().executeJob(before!.id);
      const [after] = await jobsOf(started.id);
      expect(after).toMatchObject({ type: 'async', activity_id: 'gw' });
      expect(after!.id).not.toBe(before!.id);
      expect((await engine().listTasks({ process_instance_id: started.id })).data).toEqual([]);
      expect(await pathOf(engine(), started.id)).toEqual(['start', 'gw']);

      await engine().executeJob(after!.id);
      expect(await pathOf(engine(), started.id)).toEqual(['start', 'gw', 'a']);
      expect((await engine().listTasks({ process_instance_id: started.id })).data.map((t) => t.task_definition_key)).toEqual(['a']);
    });

    it('asyncAfter on an exclusive gateway takes the flow chosen when the gateway ran (Camunda 7 stores the transition with the job)', async () => {
      const started = await engine().startInstance({ process_definition_key: 'async_gateway', variables: { route: { value: 'b' } } });
      await engine().executeJob((await jobsOf(started.id))[0]!.id);
      // the gateway has decided; a change now does not redirect the token
      await engine().updateVariables(started.id, [{ variable_name: 'route', value: 'a' }]);
      await engine().executeJob((await jobsOf(started.id))[0]!.id);
      expect(await pathOf(engine(), started.id)).toEqual(['start', 'gw', 'b']);
    });
  });

  describe('the job API', () => {
    const start = (key = 'three_jobs') => engine().startInstance({ process_definition_key: key });

    it('lists jobs filtered by instance, type, activity and failure', async () => {
      const first = await start();
      const second = await start();

      const mine = await engine().listJobs({ process_instance_id: first.id });
      expect(mine.total).toBe(3);
      expect(mine.data.map((j) => [j.type, j.activity_id]).sort()).toEqual([['async', 'review'], ['service', 'notify'], ['timer', 'pause']]);
      expect(mine.data.every((j) => j.process_instance_id === first.id)).toBe(true);

      expect((await engine().listJobs({ process_instance_id: first.id, type: 'timer' })).data.map((j) => j.activity_id)).toEqual(['pause']);
      expect((await engine().listJobs({ process_instance_id: first.id, type: 'async' })).data.map((j) => j.activity_id)).toEqual(['review']);
      const calls = await engine().listJobs({ activity_id: 'notify' });
      expect(calls.data.map((j) => j.process_instance_id).sort()).toEqual([first.id, second.id].sort());
      expect(calls.data.every((j) => j.type === 'service')).toBe(true);

      const service = calls.data.find((j) => j.process_instance_id === first.id)!;
      await engine().setJobRetries(service.id, 0);
      expect((await engine().listJobs({ process_instance_id: first.id, failed: true })).data.map((j) => j.id)).toEqual([service.id]);
      expect((await engine().listJobs({ process_instance_id: first.id, failed: false })).total).toBe(2);
      expect((await engine().listJobs({ process_instance_id: second.id, failed: true })).total).toBe(0);

      const page = await engine().listJobs({ process_instance_id: first.id, limit: 2, sort: 'due_at' });
      expect(page).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(page.data).toHaveLength(2);
      // the timer, due in an hour, sorts last
      expect((await engine().listJobs({ process_instance_id: first.id, sort: '-due_at' })).data[0]!.activity_id).toBe('pause');
      await expect(engine().listJobs({ type: 'bogus' as 'timer' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    });

    it('gets one job with its fields', async () => {
      const instance = await start();
      const before = Date.now();
      const { data: [timerJob] } = await engine().listJobs({ process_instance_id: instance.id, type: 'timer' });
      const job = await engine().getJob(timerJob!.id);
      expect(job).toEqual({
        id: timerJob!.id, type: 'timer', process_instance_id: instance.id, process_definition_id: instance.process_definition_id,
        process_definition_key: 'three_jobs', execution_id: expect.any(String),
        activity_id: 'pause', due_at: expect.any(String), retries: 3, suspended: false, created_at: expect.any(String),
      });
      expect(new Date(job.due_at).getTime()).toBeGreaterThan(before + 3_500_000);
      await expect(engine().getJob('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(engine().getJob('not-an-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(engine().executeJob('not-an-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses to execute a job of a suspended instance, which keeps the job; once activated it runs', async () => {
      const instance = await start();
      const { data: [job] } = await engine().listJobs({ process_instance_id: instance.id, type: 'async' });
      await engine().setInstanceSuspended(instance.id, true);
      expect(await engine().getJob(job!.id)).toMatchObject({ suspended: true });

      await expect(engine().executeJob(job!.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await engine().getJob(job!.id)).toMatchObject({ retries: 3, suspended: true });
      expect((await engine().listTasks({ process_instance_id: instance.id })).total).toBe(0);

      await engine().setInstanceSuspended(instance.id, false);
      expect(await engine().getJob(job!.id)).toMatchObject({ suspended: false });
      await engine().executeJob(job!.id);
      expect((await engine().listTasks({ process_instance_id: instance.id })).data.map((t) => t.task_definition_key)).toEqual(['review']);
      await expect(engine().getJob(job!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('keeps the date of a timeDate in the past as the due time of its timer job: it is due', async () => {
      const instance = await start('past_date');
      const { data: [job] } = await engine().listJobs({ process_instance_id: instance.id });
      expect(job).toMatchObject({ type: 'timer', activity_id: 'wait', due_at: '2020-01-01T00:00:00.000Z' });
      await engine().executeJob(job!.id);
      expect((await engine().getInstance(instance.id)).status).toBe('completed');
    });

    it('executes a timer at once, whatever its due time', async () => {
      const instance = await start();
      const { data: [job] } = await engine().listJobs({ process_instance_id: instance.id, type: 'timer' });
      await engine().executeJob(job!.id);
      const details = await engine().getInstance(instance.id);
      expect(details.execution_path.map((p) => p.activity_id)).toContain('pause');
      expect(details.activities.find((a) => a.activity_id === 'pause')?.status).toBe('completed');
      expect((await engine().listJobs({ process_instance_id: instance.id, type: 'timer' })).total).toBe(0);
    });

    it('removes the jobs of a terminated instance', async () => {
      const instance = await start();
      const { data: jobs } = await engine().listJobs({ process_instance_id: instance.id });
      expect(jobs).toHaveLength(3);
      await engine().terminateInstance(instance.id, { reason: 'no longer needed' });
      expect((await engine().listJobs({ process_instance_id: instance.id })).total).toBe(0);
      for (const job of jobs) await expect(engine().executeJob(job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('sets retries, and refuses retries that are not a whole number of 0 or more', async () => {
      const instance = await start();
      const { data: [job] } = await engine().listJobs({ process_instance_id: instance.id, type: 'timer' });
      expect(await engine().setJobRetries(job!.id, 5)).toMatchObject({ id: job!.id, retries: 5 });
      expect((await engine().getJob(job!.id)).retries).toBe(5);
      for (const bad of [-1, 1.5, Number.NaN, '2' as unknown as number]) {
        await expect(engine().setJobRetries(job!.id, bad)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      }
      expect((await engine().getJob(job!.id)).retries).toBe(5);
      await expect(engine().setJobRetries('00000000-0000-0000-0000-000000000000', 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
