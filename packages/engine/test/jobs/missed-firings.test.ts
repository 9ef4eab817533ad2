// Repeating timers after the engine was stopped, on a clock the test moves (the engine's `now`): as in
// Camunda 7 the firing that comes due late fires once, and the next is the first of the cycle after
// the clock, so the firings missed meanwhile are skipped (and count as repetitions) instead of run one
// after another. Jobs run
// with executeJob (run: false), so that the moved clock alone decides what is due.
import { describe, expect, it } from 'vitest';
import type { JobQuery } from '../../src/index.js';
import { camunda, flow, jobBackends, jobEngines, pathOf, timer } from '../support/job-engines.js';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const reminder = camunda('missed_reminder', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />
    <bpmn:boundaryEvent id="remind" attachedToRef="work" cancelActivity="false">${timer('timeCycle', 'R3/PT1H')}</bpmn:boundaryEvent>${flow('f3', 'remind', 'noted')}
    <bpmn:endEvent id="noted" />`);

const hourlyCron = camunda('missed_cron_start', `
    <bpmn:startEvent id="tick">${timer('timeCycle', '0 0 * * * ?')}</bpmn:startEvent>${flow('f1', 'tick', 'report')}
    <bpmn:userTask id="report" />`);

describe.each(jobBackends())('missed firings on $name', (backend) => {
  let clock = T0;
  const engine = jobEngines(backend, 'missed-firings', [reminder], { jobs: { run: false }, now: () => new Date(clock) });

  const jobsOf = async (query: JobQuery) => (await engine().listJobs(query)).data;
  /** the clock moves to `elapsed` ms after T0 and the one job found runs; answers the jobs left */
  async function runAt(elapsed: number, query: JobQuery) {
    clock = T0 + elapsed;
    const [job] = await jobsOf(query);
    await engine().executeJob(job!.id);
    return jobsOf(query);
  }

  it('a non-interrupting R3/PT1H boundary timer overdue fires once, then on the cycle\'s next beat after the clock; a skipped beat is a repetition used up', async () => {
    clock = T0;
    const instance = await engine().startInstance({ process_definition_key: 'missed_reminder' });
    const query = { process_instance_id: instance.id };
    expect((await jobsOf(query)).map((j) => j.due_at)).toEqual([new Date(T0 + HOUR).toISOString()]);
    const reminders = async () => (await pathOf(engine(), instance.id)).filter((id) => id === 'remind').length;

    // the engine was down from before the first firing (+1 h) until 2.5 hours after the start: the one
    // due at +2 h is skipped, so the third, at +3 h, is the last
    expect((await runAt(2 * HOUR + 30 * MINUTE, query)).map((j) => j.due_at)).toEqual([new Date(T0 + 3 * HOUR).toISOString()]);
    expect(await reminders()).toBe(1);
    expect(await runAt(3 * HOUR, query)).toEqual([]);
    expect(await reminders()).toBe(2);
    expect((await engine().getInstance(instance.id)).current_activities.map((a) => a.activity_id)).toEqual(['work']);
  });

  it('a cron timer start event overdue by hours starts one instance, and its next firing is the first after the clock', async () => {
    clock = T0;
    const { definitions: [definition] } = await engine().deploy({ bpmn_xml: hourlyCron });
    const query = { type: 'timer' as const, activity_id: 'tick' };
    expect((await jobsOf(query)).map((j) => j.due_at)).toEqual([new Date(T0 + HOUR).toISOString()]);

    expect((await runAt(3 * HOUR + 10 * MINUTE, query)).map((j) => j.due_at)).toEqual([new Date(T0 + 4 * HOUR).toISOString()]);
    expect((await engine().listInstances({ process_definition_id: definition!.id })).total).toBe(1);
  });
});
