// camunda:asyncAfter as Camunda 7 runs it, on an engine that runs no job by itself (run: false): the
// activity completes, and its token waits after it (a transition instance) on one async job per flow
// taken. The token counts as current at the activity until its job runs, while the activity instance
// stays completed; each flow's job succeeds, fails and holds its incident on its own.
import { describe, expect, it } from 'vitest';
import { camunda, flow, jobBackends, jobEngines, pathOf } from '../support/job-engines.js';

const asyncAfterTask = camunda('after_task', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'calc')}
    <bpmn:scriptTask id="calc" name="Calculate" scriptFormat="feel" camunda:resultVariable="score" camunda:asyncAfter="true">
      <bpmn:script>2 * 3</bpmn:script>
    </bpmn:scriptTask>${flow('f2', 'calc', 'review')}
    <bpmn:userTask id="review" name="Review" />`);

const asyncAfterFork = camunda('after_fork', `
    <bpmn:startEvent id="start" />${flow('f0', 'start', 'fork')}
    <bpmn:parallelGateway id="fork" name="Split" camunda:asyncAfter="true" />${flow('toLeft', 'fork', 'left')}${flow('toRight', 'fork', 'right')}
    <bpmn:task id="left" />${flow('l2', 'left', 'join')}
    <bpmn:task id="right" />${flow('r2', 'right', 'join')}
    <bpmn:parallelGateway id="join" />${flow('f3', 'join', 'after')}
    <bpmn:userTask id="after" />`);

describe.each(jobBackends())('asyncAfter on $name', (backend) => {
  // jobs of older versions are made by changing rows behind the engine's back: on PGlite, where nothing else
  // can, only an engine that keeps no instance rows in memory between commands sees such a change at once
  const engine = jobEngines(backend, 'async-after', [asyncAfterTask, asyncAfterFork], { jobs: { run: false }, instanceCache: 0 });

  const jobsOf = async (instanceId: string) => (await engine().listJobs({ process_instance_id: instanceId, sort: 'created_at' })).data;
  const currentOf = async (instanceId: string) => (await engine().getInstance(instanceId)).current_activities;
  const openIncidents = async (instanceId: string) => (await engine().listIncidents({ process_instance_id: instanceId, status: 'open' })).data;
  const jobExecution = async (jobId: string) =>
    (await engine.sql<{ execution_id: string }>('select execution_id from jobs where id = $1', [jobId]))[0]!.execution_id;
  const setPayload = (jobId: string, flows: string[]) =>
    engine.sql('update jobs set payload = $1 where id = $2', [JSON.stringify({ flows }), jobId]);
  /** an attempt that fails: what counts here is what it leaves on the job, not what executeJob answers */
  const failingRun = (jobId: string) => engine().executeJob(jobId).catch(() => undefined);

  describe('the token after its activity', () => {
    it('is current at the activity while its job waits, the same from the command as from the queries; the activity stays completed', async () => {
      const started = await engine().startInstance({ process_definition_key: 'after_task' });
      const waiting = [{ id: expect.any(String), activity_id: 'calc', name: 'Calculate', type: 'scriptTask', status: 'waiting', started_at: expect.any(String) }];
      expect(started.current_activities).toEqual(waiting);

      const details = await engine().getInstance(started.id);
      expect(details.current_activities).toEqual(started.current_activities);
      expect(details.activities.find((a) => a.activity_id === 'calc')).toMatchObject({ status: 'completed', end_time: expect.any(String) });
      const listed = await engine().listInstances({ process_definition_key: 'after_task', limit: 100 });
      expect(listed.data.find((i) => i.id === started.id)?.current_activities).toEqual(started.current_activities);
      // a command that loads the instance (the ended activity instance stays in the database) answers it alike
      expect((await engine().setInstanceSuspended(started.id, true)).current_activities).toEqual(started.current_activities);
      await engine().setInstanceSuspended(started.id, false);

      const [job] = await jobsOf(started.id);
      expect(details.current_activities[0]).toMatchObject({ id: await jobExecution(job!.id), started_at: job!.created_at });
      await engine().executeJob(job!.id);
      const after = await engine().getInstance(started.id);
      expect(after.current_activities.map((a) => a.activity_id)).toEqual(['review']);
      expect(after.activities.filter((a) => a.activity_id === 'calc').map((a) => a.status)).toEqual(['completed']);
    });
  });

  describe('a forking parallel gateway', () => {
    it('has a job and a token of its own per flow; the join after fires once both jobs ran', async () => {
      const started = await engine().startInstance({ process_definition_key: 'after_fork' });
      const jobs = await jobsOf(started.id);
      expect(jobs.map((j) => [j.type, j.activity_id, j.retries])).toEqual([['async', 'fork', 3], ['async', 'fork', 3]]);
      const executions = await Promise.all(jobs.map((j) => jobExecution(j.id)));
      expect(new Set(executions).size).toBe(2);
      expect(started.current_activities.map((a) => [a.activity_id, a.status])).toEqual([['fork', 'waiting'], ['fork', 'waiting']]);
      expect(started.current_activities.map((a) => a.id).sort()).toEqual([...executions].sort());
      expect(await currentOf(started.id)).toEqual(started.current_activities);

      await engine().executeJob(jobs[0]!.id);
      expect((await currentOf(started.id)).map((a) => a.activity_id).sort()).toEqual(['fork', 'join']);
      await engine().executeJob(jobs[1]!.id);
      const path = await pathOf(engine(), started.id);
      expect(path.filter((id) => id === 'fork')).toHaveLength(1);
      expect(path.filter((id) => id === 'join')).toHaveLength(2);
      expect(path.filter((id) => id === 'after')).toHaveLength(1);
      expect((await currentOf(started.id)).map((a) => a.activity_id)).toEqual(['after']);
      expect(await jobsOf(started.id)).toEqual([]);
    });

    it('lets one flow\'s job fail, down to its own failedJob incident, while the other flow goes on; retried, the join fires', async () => {
      const started = await engine().startInstance({ process_definition_key: 'after_fork' });
      const [bad, good] = await jobsOf(started.id);
      const [{ payload }] = await engine.sql<{ payload: string }>('select payload from jobs where id = $1', [bad!.id]);
      // a continuation that cannot go on: the flow it was to take is not in the model
      await setPayload(bad!.id, ['nowhere']);

      await failingRun(bad!.id);
      expect(await engine().getJob(bad!.id)).toMatchObject({ retries: 2, exception_message: expect.any(String) });
      await engine().executeJob(good!.id);
      expect(await engine().getJob(bad!.id)).toMatchObject({ retries: 2 });
      expect((await currentOf(started.id)).map((a) => [a.activity_id, a.status]).sort()).toEqual([['fork', 'waiting'], ['join', 'waiting']]);

      await failingRun(bad!.id);
      await failingRun(bad!.id);
      const [incident] = await openIncidents(started.id);
      expect(incident).toMatchObject({ incident_type: 'failedJob', activity_id: 'fork', configuration: bad!.id });
      expect(await openIncidents(started.id)).toHaveLength(1);
      expect((await currentOf(started.id)).map((a) => [a.activity_id, a.status]).sort()).toEqual([['fork', 'failed'], ['join', 'waiting']]);

      await engine.sql('update jobs set payload = $1 where id = $2', [payload, bad!.id]);
      await engine().setJobRetries(bad!.id, 1);
      expect(await openIncidents(started.id)).toEqual([]);
      await engine().executeJob(bad!.id);
      expect((await currentOf(started.id)).map((a) => a.activity_id)).toEqual(['after']);
      expect((await pathOf(engine(), started.id)).filter((id) => id === 'join')).toHaveLength(2);
    });

    it('still runs a job of an older version that carries several flows on one token', async () => {
      const started = await engine().startInstance({ process_definition_key: 'after_fork' });
      const [kept, dropped] = await jobsOf(started.id);
      // as an older version left it: one job, one token, both flows
      const droppedExecution = await jobExecution(dropped!.id);
      await engine.sql('delete from jobs where id = $1', [dropped!.id]);
      await engine.sql('delete from executions where id = $1', [droppedExecution]);
      await setPayload(kept!.id, ['toLeft', 'toRight']);

      await engine().executeJob(kept!.id);
      expect(await pathOf(engine(), started.id)).toEqual(['start', 'fork', 'left', 'right', 'join', 'join', 'after']);
      expect((await currentOf(started.id)).map((a) => a.activity_id)).toEqual(['after']);
    });
  });
});
