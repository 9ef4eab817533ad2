// Every job runs once: many instances whose async continuations and timers come due together, worked
// by two engines on one database where the backend allows it (and, with Redis, on one queue); and a
// job whose row is deleted before it is due runs never, without harm to the engine.
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.js';
import { camunda, flow, jobBackends, jobEngines, timer, waitFor, waitForStatus, type JobBackend } from '../support/job-engines.js';

const INSTANCES = 200;
/** PGlite runs the instances' 600 commands one at a time: that took from 12 s to 47 s as the machine got busier */
const ALL_DONE_MS = 150_000;

const asyncThenTimer = camunda('async_then_timer', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'prepare')}
    <bpmn:scriptTask id="prepare" scriptFormat="feel" camunda:resultVariable="prepared" camunda:asyncBefore="true"><bpmn:script>true</bpmn:script></bpmn:scriptTask>${flow('f2', 'prepare', 'pause')}
    <bpmn:intermediateCatchEvent id="pause">${timer('timeDuration', 'PT0.3S')}</bpmn:intermediateCatchEvent>${flow('f3', 'pause', 'end')}
    <bpmn:endEvent id="end" />`);

const lateTimer = camunda('late_timer', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'later')}
    <bpmn:intermediateCatchEvent id="later">${timer('timeDuration', 'PT0.5S')}</bpmn:intermediateCatchEvent>${flow('f2', 'later', 'end')}
    <bpmn:endEvent id="end" />`);

const asyncJoin = camunda('async_join', `
    <bpmn:startEvent id="start" />${flow('f0', 'start', 'fork')}
    <bpmn:parallelGateway id="fork" />${flow('a1', 'fork', 'left')}${flow('b1', 'fork', 'right')}
    <bpmn:task id="left" />${flow('a2', 'left', 'join')}
    <bpmn:task id="right" />${flow('b2', 'right', 'join')}
    <bpmn:parallelGateway id="join" camunda:asyncBefore="true" />${flow('f3', 'join', 'after')}
    <bpmn:userTask id="after" />`);

/** two engines where they can share the database: PGlite belongs to one process */
const setups = (): (JobBackend & { engines: number })[] =>
  jobBackends().map((backend) => ({ ...backend, engines: backend.database === 'postgres' ? 2 : 1 }));

describe.each(setups())('exactly once on $name with $engines engine(s)', (setup) => {
  // a row deleted behind the engine's back: on PGlite, where nothing else can, only an engine that keeps no
  // instance rows in memory between commands sees it at once
  const engine = jobEngines(setup, 'exactly-once', [asyncThenTimer, lateTimer, asyncJoin], { poolSize: 20, instanceCache: 0 });

  it(`runs each async continuation and timer of ${INSTANCES} instances once`, { timeout: ALL_DONE_MS + 30_000 }, async () => {
    const engines: Engine[] = [engine()];
    for (let i = 1; i < setup.engines; i++) engines.push(await engine.another({ poolSize: 20 }));

    const started: string[] = [];
    for (let batch = 0; batch < INSTANCES; batch += 20) {
      const instances = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        engines[(batch + i) % engines.length]!.startInstance({ process_definition_key: 'async_then_timer' })));
      started.push(...instances.map((i) => i.id));
    }
    await waitFor(async () => (await engine().listInstances({ process_definition_key: 'async_then_timer', status: 'completed' })).total === INSTANCES,
      ALL_DONE_MS, `all ${INSTANCES} instances to complete`);

    const rows = await engine.sql<{ activity_id: string; entries: number; instances: number }>(
      `select activity_id, count(*)::int as entries, count(distinct process_instance_id)::int as instances
         from activity_instances where process_definition_key = $1 and in_path group by activity_id order by activity_id`,
      ['async_then_timer'],
    );
    expect(rows).toEqual(['end', 'pause', 'prepare', 'start'].map((activity_id) => ({ activity_id, entries: INSTANCES, instances: INSTANCES })));
    expect((await engine().listJobs({ limit: 1000 })).data.filter((j) => started.includes(j.process_instance_id ?? ''))).toEqual([]);
    expect((await engine().listIncidents({ status: 'open' })).total).toBe(0);
    // one instance read through the API as a sample
    const sample = await engine().getInstance(started[INSTANCES - 1]!);
    expect(sample.execution_path.map((p) => p.activity_id)).toEqual(['start', 'prepare', 'pause', 'end']);
    expect(sample.variables.prepared?.value).toBe(true);
  });

  it('fires a parallel join behind async continuations once when the engine runs them by itself', async () => {
    const instances = await Promise.all(Array.from({ length: 10 }, () => engine().startInstance({ process_definition_key: 'async_join' })));
    for (const instance of instances) {
      await waitFor(async () => (await engine().listTasks({ process_instance_id: instance.id })).total > 0, 10_000, 'the join');
    }
    const rows = await engine.sql<{ activity_id: string; entries: number }>(
      `select activity_id, count(*)::int as entries from activity_instances
         where process_definition_key = $1 and in_path and activity_id in ('join', 'after') group by activity_id order by activity_id`,
      ['async_join'],
    );
    expect(rows).toEqual([{ activity_id: 'after', entries: 10 }, { activity_id: 'join', entries: 20 }]);
    expect((await engine().listTasks({ process_definition_key: 'async_join', limit: 100 })).total).toBe(10);
    expect((await engine().listJobs({ limit: 1000 })).data.filter((j) => j.activity_id === 'join')).toEqual([]);
  });

  if (setup.engines > 1) {
    it('leaves the jobs of an engine that runs none (run: false) to the engines that do', async () => {
      const apiOnly = await engine.another({ jobs: { run: false } });
      const instance = await apiOnly.startInstance({ process_definition_key: 'async_then_timer' });
      const done = await waitForStatus(apiOnly, instance.id, 'completed', 15_000);
      expect(done.execution_path.map((p) => p.activity_id)).toEqual(['start', 'prepare', 'pause', 'end']);
    });

    it('closes an engine whose sweeper is busy: close() waits for the sweep under way before it closes the database', async () => {
      // postgres.js never ends a pool closed while a query holds one of its connections
      for (let i = 0; i < 5; i++) {
        const busy = await createEngine(engine.options({ jobs: { sweepIntervalMs: 1 } }));
        await new Promise((resolve) => setTimeout(resolve, 50 + 10 * i));
        const closed = await Promise.race([busy.close().then(() => true), new Promise((resolve) => setTimeout(resolve, 10_000, false))]);
        expect(closed).toBe(true);
      }
    });
  }

  it('runs nothing for a job whose row was deleted before it was due, and carries on with other work', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'late_timer' });
    const { data: [job] } = await engine().listJobs({ process_instance_id: instance.id });
    expect(job).toMatchObject({ type: 'timer', activity_id: 'later' });
    const deleted = await engine.sql<{ id: string }>('delete from jobs where id = $1 returning id', [job!.id]);
    expect(deleted).toEqual([{ id: job!.id }]);

    // well past the due time, and past several sweeps
    await waitFor(() => Date.now() > new Date(job!.due_at).getTime() + 700, 5_000, 'the due time to pass');
    const details = await engine().getInstance(instance.id);
    expect(details.status).toBe('active');
    expect(details.current_activities.map((a) => a.activity_id)).toEqual(['later']);
    expect(details.execution_path.map((p) => p.activity_id)).toEqual(['start', 'later']);
    expect(details.incidents).toEqual([]);
    expect((await engine().listJobs({ process_instance_id: instance.id })).total).toBe(0);

    // the engine is fine: another instance's timer fires as usual
    const other = await engine().startInstance({ process_definition_key: 'late_timer' });
    await waitForStatus(engine(), other.id, 'completed');
    expect((await engine().getInstance(instance.id)).status).toBe('active');
  });
});
