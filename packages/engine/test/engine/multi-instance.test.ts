// Multi-instance and standard loops, for what the conformance fixtures cannot show well: the counters
// inner instances see as others complete, the incidents of a cardinality that cannot run and of a
// completion condition that cannot be evaluated, and the activity instances of a loop's body.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow, zeebe } from '../support/job-engines.js';

/** start → parallel multi-instance user task `vote` (`loop` inside its loop characteristics) → user task `after` */
const voting = (key: string, loop: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'vote')}
    <bpmn:userTask id="vote" name="Vote">
      <bpmn:multiInstanceLoopCharacteristics>${loop}</bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>${flow('f2', 'vote', 'after')}
    <bpmn:userTask id="after" />${flow('f3', 'after', 'end')}
    <bpmn:endEvent id="end" />`);

const cardinality = (expression: string) => `<bpmn:loopCardinality>${expression}</bpmn:loopCardinality>`;
const completion = (expression: string) => `<bpmn:completionCondition>${expression}</bpmn:completionCondition>`;

const counted = voting('mi_counted', cardinality('3'));
const evaluated = voting('mi_evaluated', cardinality('${voters}'));
const conditional = voting('mi_conditional', cardinality('3') + completion('${score &gt;= 5}'));

/** start → user task `draft`, a standard loop of at most two iterations → end */
const drafting = camunda('loop_drafting', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'draft')}
    <bpmn:userTask id="draft"><bpmn:standardLoopCharacteristics loopMaximum="2" /></bpmn:userTask>${flow('f2', 'draft', 'end')}
    <bpmn:endEvent id="end" />`);

/** Zeebe: a parallel user task over `=reviewers`, done once two are, by Zeebe's names of the counters */
const zeebeVoting = zeebe('mi_zeebe_counters', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'vote')}
    <bpmn:userTask id="vote"><bpmn:multiInstanceLoopCharacteristics>
      <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=reviewers" inputElement="reviewer" /></bpmn:extensionElements>
      ${completion('=numberOfCompletedInstances &gt;= 2 and numberOfInstances = 3 and numberOfActiveInstances = 1')}
    </bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>${flow('f2', 'vote', 'after')}
    <bpmn:userTask id="after" />`);

/** Zeebe: a parallel script task doubling each of `=items` into `results` → user task `after` */
const doubling = zeebe('mi_doubling', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'double')}
    <bpmn:scriptTask id="double">
      <bpmn:extensionElements><zeebe:script expression="=item * 2" resultVariable="doubled" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=doubled" />
      </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:scriptTask>${flow('f2', 'double', 'after')}
    <bpmn:userTask id="after" />`);

const COUNTERS = ['loopCounter', 'nrOfInstances', 'nrOfActiveInstances', 'nrOfCompletedInstances'] as const;
type Counter = (typeof COUNTERS)[number];

describe.each(testBackends())('multi-instance on %s', (backend) => {
  const engine = engineUnderTest(backend, 'multi-instance', [counted, evaluated, conditional, drafting, zeebeVoting, doubling]);

  /** the open tasks at `vote`, each with the loop counters it sees, by loopCounter */
  const votes = async (instanceId: string) => {
    const { data } = await engine().listTasks({ process_instance_id: instanceId, task_definition_key: 'vote' });
    return data
      .map((task) => ({ id: task.id, ...Object.fromEntries(COUNTERS.map((name) => [name, task.variables[name]?.value])) as Record<Counter, unknown> }))
      .sort((a, b) => Number(a.loopCounter) - Number(b.loopCounter));
  };
  const start = (key: string, variables: Record<string, unknown> = {}) => engine().startInstance({
    process_definition_key: key,
    variables: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, { value }])),
  });
  const openIncidents = async (instanceId: string) => (await engine().getInstance(instanceId)).incidents.filter((i) => i.status === 'open');
  const pathOf = async (instanceId: string) => (await engine().getInstance(instanceId)).execution_path.map((p) => p.activity_id);

  it('shows the inner tasks of a parallel body the counters as they stand, each instance counted once as it completes', async () => {
    const instance = await start('mi_counted');
    const counters = (tasks: Awaited<ReturnType<typeof votes>>) => tasks.map(({ id: _id, ...rest }) => rest);
    const first = await votes(instance.id);
    expect(counters(first)).toEqual([0, 1, 2].map((loopCounter) => ({
      loopCounter, nrOfInstances: 3, nrOfActiveInstances: 3, nrOfCompletedInstances: 0,
    })));

    await engine().completeTask(first[1]!.id);
    expect(counters(await votes(instance.id))).toEqual([0, 2].map((loopCounter) => ({
      loopCounter, nrOfInstances: 3, nrOfActiveInstances: 2, nrOfCompletedInstances: 1,
    })));

    await engine().completeTask(first[0]!.id);
    expect(counters(await votes(instance.id))).toEqual([{ loopCounter: 2, nrOfInstances: 3, nrOfActiveInstances: 1, nrOfCompletedInstances: 2 }]);

    await engine().completeTask(first[2]!.id);
    expect(await votes(instance.id)).toEqual([]);
    const details = await engine().getInstance(instance.id);
    expect(details.current_activities.map((a) => a.activity_id)).toEqual(['after']);
    for (const name of COUNTERS) expect(details.variables).not.toHaveProperty(name);
  });

  it('records the body as an activity instance of type multiInstanceBody, the parent of its inner instances and no step of the path', async () => {
    const instance = await start('mi_counted');
    const open = await engine().getInstance(instance.id);
    const body = open.activities.find((a) => a.type === 'multiInstanceBody')!;
    expect(body).toMatchObject({ activity_id: 'vote', name: 'Vote', status: 'active' });
    expect(body.parent_activity_instance_id).toBeUndefined();
    const inner = open.activities.filter((a) => a.activity_id === 'vote' && a.id !== body.id);
    expect(inner).toHaveLength(3);
    for (const a of inner) expect(a).toMatchObject({ type: 'userTask', status: 'waiting', parent_activity_instance_id: body.id });
    expect(open.execution_path.map((p) => `${p.transition_id ?? ''}>${p.activity_id}`)).toEqual(['>start', 'f1>vote', 'f1>vote', 'f1>vote']);
    expect(open.current_activities.map((a) => [a.activity_id, a.type]).sort()).toEqual([
      ['vote', 'multiInstanceBody'], ['vote', 'userTask'], ['vote', 'userTask'], ['vote', 'userTask'],
    ]);

    for (const task of await votes(instance.id)) await engine().completeTask(task.id);
    const done = await engine().getInstance(instance.id);
    expect(done.activities.filter((a) => a.activity_id === 'vote').map((a) => [a.type, a.status])).toEqual([
      ['multiInstanceBody', 'completed'], ['userTask', 'completed'], ['userTask', 'completed'], ['userTask', 'completed'],
    ]);
    expect(done.current_activities.map((a) => [a.activity_id, a.type])).toEqual([['after', 'userTask']]);
    expect(done.execution_path.map((p) => p.activity_id)).toEqual(['start', 'vote', 'vote', 'vote', 'after']);
  });

  it('records a standard loop body as standardLoopBody, with one path entry per iteration', async () => {
    const instance = await start('loop_drafting');
    const open = await engine().getInstance(instance.id);
    expect(open.current_activities.map((a) => [a.activity_id, a.type]).sort()).toEqual([['draft', 'standardLoopBody'], ['draft', 'userTask']]);
    const body = open.activities.find((a) => a.type === 'standardLoopBody')!;
    expect(open.activities.find((a) => a.type === 'userTask')!.parent_activity_instance_id).toBe(body.id);

    for (const _ of [1, 2]) {
      const { data: [task] } = await engine().listTasks({ process_instance_id: instance.id });
      await engine().completeTask(task!.id);
    }
    const done = await engine().getInstance(instance.id);
    expect(done.status).toBe('completed');
    expect(done.activities.filter((a) => a.activity_id === 'draft').map((a) => [a.type, a.status])).toEqual([
      ['standardLoopBody', 'completed'], ['userTask', 'completed'], ['userTask', 'completed'],
    ]);
    expect(done.execution_path.map((p) => p.activity_id)).toEqual(['start', 'draft', 'draft', 'end']);
  });

  it('completes a body with a cardinality of 0 at once, with no inner instance', async () => {
    const instance = await start('mi_evaluated', { voters: 0 });
    const details = await engine().getInstance(instance.id);
    expect(details.execution_path.map((p) => p.activity_id)).toEqual(['start', 'after']);
    expect(details.activities.filter((a) => a.activity_id === 'vote').map((a) => [a.type, a.status])).toEqual([['multiInstanceBody', 'completed']]);
    expect(details.incidents).toEqual([]);
  });

  it('refuses an evaluated cardinality over 10,000 with a failedInstruction incident at the body, and runs once the variable is fixed', async () => {
    const instance = await start('mi_evaluated', { voters: 10_001 });
    const details = await engine().getInstance(instance.id);
    expect(details.status).toBe('active');
    expect(details.incidents).toHaveLength(1);
    const [incident] = details.incidents;
    expect(incident).toMatchObject({ incident_type: 'failedInstruction', activity_id: 'vote', status: 'open' });
    expect(incident!.incident_message).toContain('10001');
    expect(incident!.incident_message).toContain('10000');
    const body = details.activities.find((a) => a.activity_id === 'vote')!;
    expect(body).toMatchObject({ type: 'multiInstanceBody', status: 'failed', execution_id: incident!.execution_id });
    expect(details.activities.filter((a) => a.activity_id === 'vote')).toHaveLength(1);
    expect(await pathOf(instance.id)).toEqual(['start']);

    await engine().resolveIncident(incident!.id, { resolution_type: 'retry', variables: { voters: { value: 2 } } });
    expect((await votes(instance.id)).map((v) => [v.loopCounter, v.nrOfInstances])).toEqual([[0, 2], [1, 2]]);
    expect(await openIncidents(instance.id)).toEqual([]);
  });

  it('opens an incident at the inner instance whose completion condition cannot be evaluated, and counts it once when it completes again on retry', async () => {
    const instance = await start('mi_conditional');
    const [first, second, third] = await votes(instance.id);
    await engine().completeTask(second!.id);

    const failed = await engine().getInstance(instance.id);
    expect(failed.incidents).toHaveLength(1);
    const [incident] = failed.incidents;
    expect(incident).toMatchObject({ incident_type: 'failedInstruction', activity_id: 'vote' });
    expect(incident!.incident_message).toContain('score');
    const inner = failed.activities.find((a) => a.execution_id === incident!.execution_id)!;
    expect(inner).toMatchObject({ activity_id: 'vote', type: 'userTask', status: 'failed', task_id: second!.id });
    // still open until its body has taken its completion, so it is current, failed
    expect(failed.current_activities.find((a) => a.id === inner.id)).toMatchObject({ status: 'failed' });
    expect((await votes(instance.id)).map((v) => [v.loopCounter, v.nrOfActiveInstances, v.nrOfCompletedInstances])).toEqual([[0, 3, 0], [2, 3, 0]]);

    await engine().resolveIncident(incident!.id, { resolution_type: 'retry', variables: { score: { value: 1 } } });
    const retried = await engine().getInstance(instance.id);
    expect(await openIncidents(instance.id)).toEqual([]);
    expect(retried.activities.find((a) => a.id === inner.id)).toMatchObject({ status: 'completed' });
    expect(retried.current_activities.find((a) => a.id === inner.id)).toBeUndefined();
    expect((await votes(instance.id)).map((v) => [v.loopCounter, v.nrOfActiveInstances, v.nrOfCompletedInstances])).toEqual([[0, 2, 1], [2, 2, 1]]);

    // the condition holds at the next completion: the last instance is cancelled with its task
    await engine().completeTask(first!.id, { variables: { score: { value: 7 } } });
    const done = await engine().getInstance(instance.id);
    expect(done.activities.filter((a) => a.activity_id === 'vote').map((a) => a.status).sort()).toEqual(['cancelled', 'completed', 'completed', 'completed']);
    expect(done.activities.find((a) => a.task_id === third!.id)!.status).toBe('cancelled');
    expect(done.current_activities.map((a) => a.activity_id)).toEqual(['after']);
    expect(await pathOf(instance.id)).toEqual(['start', 'vote', 'vote', 'vote', 'after']);
    expect((await engine().getTask(third!.id)).status).toBe('cancelled');
  });

  it('names the counters in a Zeebe completion condition as Zeebe does (numberOfInstances, numberOfActiveInstances, numberOfCompletedInstances)', async () => {
    const instance = await start('mi_zeebe_counters', { reviewers: ['ann', 'bob', 'eve'] });
    const [first, second] = await votes(instance.id);
    await engine().completeTask(first!.id);
    expect(await votes(instance.id)).toHaveLength(2);
    await engine().completeTask(second!.id);
    const done = await engine().getInstance(instance.id);
    expect(done.incidents).toEqual([]);
    expect(done.current_activities.map((a) => a.activity_id)).toEqual(['after']);
  });

  it('runs a body over a collection of 1,000 items in one command, whose list, like its output collection, is longer than an index entry holds', async () => {
    const items = Array.from({ length: 1_000 }, (_, i) => i);
    const instance = await start('mi_doubling', { items });
    expect(instance.current_activities.map((a) => a.activity_id)).toEqual(['after']);
    const variables = await engine().getVariables(instance.id);
    expect(variables.results?.value).toEqual(items.map((i) => i * 2));
    expect(variables.items?.value).toEqual(items);
  });
});
