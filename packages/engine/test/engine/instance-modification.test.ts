// Process instance modification, as Camunda 7 modifies an instance: tokens started before or after an
// activity or on a flow (with variables), activity instances cancelled, scopes and the instance itself
// ending when nothing is left in them; each instruction checked, and a refused modification changes nothing.
import { describe, expect, it } from 'vitest';
import type { ModificationInstruction, ProcessInstanceDetails } from '../../src/index.js';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';

/** start → review → approve → end */
const linear = camunda('linear', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review" />${flow('f2', 'review', 'approve')}
    <bpmn:userTask id="approve" />${flow('f3', 'approve', 'end')}
    <bpmn:endEvent id="end" />`);

/** start → prepare → a parallel split into a sub-process (start → inner → end, a timer on it) and `after` → end */
const nested = camunda('nested', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'prepare')}
    <bpmn:userTask id="prepare" />${flow('f2', 'prepare', 'split')}
    <bpmn:parallelGateway id="split" />${flow('f3', 'split', 'sub')}${flow('f3b', 'split', 'after')}
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="sub_start" />${flow('s1', 'sub_start', 'inner')}
      <bpmn:userTask id="inner" />${flow('s2', 'inner', 'sub_end')}
      <bpmn:endEvent id="sub_end" />
    </bpmn:subProcess>${flow('f4', 'sub', 'after')}
    <bpmn:boundaryEvent id="late" attachedToRef="sub"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>${flow('f5', 'late', 'after')}
    <bpmn:userTask id="after" />${flow('f6', 'after', 'end')}
    <bpmn:endEvent id="end" />`);

/** start → a sub-process run for each of `items` in parallel (start → item → end) → end */
const perItem = camunda('per_item', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'each')}
    <bpmn:subProcess id="each">
      <bpmn:multiInstanceLoopCharacteristics camunda:collection="\${items}" camunda:elementVariable="item" />
      <bpmn:startEvent id="each_start" />${flow('e1', 'each_start', 'item_task')}
      <bpmn:userTask id="item_task" />${flow('e2', 'item_task', 'each_end')}
      <bpmn:endEvent id="each_end" />
    </bpmn:subProcess>${flow('f2', 'each', 'end')}
    <bpmn:endEvent id="end" />`);

/** start → review, twice at once (or one after the other) → end */
const reviews = (key: string, sequential: boolean) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review">
      <bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}"><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>${flow('f2', 'review', 'end')}
    <bpmn:endEvent id="end" />`);

/** start → a call of `linear` → check → end */
const calling = camunda('calling', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'call')}
    <bpmn:callActivity id="call" calledElement="linear" />${flow('f2', 'call', 'check')}
    <bpmn:userTask id="check" />${flow('f3', 'check', 'end')}
    <bpmn:endEvent id="end" />`);

/** start → work → end, with an interrupting message event sub-process (start → handle → end) */
const escalating = camunda('escalating', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />
    <bpmn:subProcess id="on_cancel" triggeredByEvent="true">
      <bpmn:startEvent id="cancel_start"><bpmn:messageEventDefinition messageRef="m_cancel" /></bpmn:startEvent>${flow('c1', 'cancel_start', 'handle')}
      <bpmn:userTask id="handle" />${flow('c2', 'handle', 'cancel_end')}
      <bpmn:endEvent id="cancel_end" />
    </bpmn:subProcess>`, '<bpmn:message id="m_cancel" name="cancel" />');

describe.each(testBackends())('process instance modification on %s', (backend) => {
  const engine = engineUnderTest(backend, 'instance-modification', [linear, nested, perItem, calling, escalating, reviews('reviews', false), reviews('reviews_in_turn', true)]);
  const start = async (key: string, variables: Record<string, unknown> = {}) =>
    (await engine().startInstance({ process_definition_key: key, variables: Object.fromEntries(Object.entries(variables).map(([n, value]) => [n, { value }])) })).id;
  const waitingAt = async (id: string) => (await engine().getInstance(id)).current_activities.map((a) => a.activity_id).sort();
  const openTasks = async (id: string) => (await engine().listTasks({ process_instance_id: id })).data.map((t) => t.task_definition_key).sort();
  const modify = (id: string, ...instructions: ModificationInstruction[]) => engine().modifyInstance(id, { instructions, annotation: 'moved by ops' });
  const activity = (details: ProcessInstanceDetails, activityId: string) => details.activities.filter((a) => a.activity_id === activityId);

  it('moves a token: starts before a later task and cancels the one it waited at, keeping a trail of both', async () => {
    const id = await start('linear');
    const answer = await modify(id, { type: 'start_before_activity', activity_id: 'approve', variables: { note: { value: 'skipped review' } } }, { type: 'cancel', activity_id: 'review' });
    expect(answer.current_activities.map((a) => a.activity_id)).toEqual(['approve']);
    expect(answer.variables.note?.value).toBe('skipped review');
    expect(await openTasks(id)).toEqual(['approve']);
    const details = await engine().getInstance(id);
    expect(activity(details, 'review').map((a) => a.status)).toEqual(['cancelled']);
    expect((await engine().listTasks({ process_instance_id: id, status: 'cancelled' })).data.map((t) => t.task_definition_key)).toEqual(['review']);
    expect(details.audit_trail.find((entry) => entry.operation === 'ModifyProcessInstance')).toMatchObject({ new_value: 'moved by ops' });
    const [task] = (await engine().listTasks({ process_instance_id: id })).data;
    await engine().completeTask(task!.id);
    expect((await engine().getInstance(id)).status).toBe('completed');
  });

  it('starts after an activity on its one flow, and cancels one activity instance by its id', async () => {
    const id = await start('linear');
    const [review] = (await engine().getInstance(id)).current_activities;
    await modify(id, { type: 'start_after_activity', activity_id: 'review' });
    expect(await waitingAt(id)).toEqual(['approve', 'review']);
    await modify(id, { type: 'cancel', activity_instance_id: review!.id });
    expect(await waitingAt(id)).toEqual(['approve']);
    expect((await engine().getInstance(id)).execution_path.map((step) => [step.activity_id, step.transition_id])).toEqual([
      ['start', undefined], ['review', 'f1'], ['approve', 'f2'],
    ]);
  });

  it('ends the instance, terminated with the annotation as its reason, when nothing is left in it', async () => {
    const id = await start('linear');
    const answer = await modify(id, { type: 'cancel', activity_id: 'review' });
    expect(answer.status).toBe('externally_terminated');
    expect((await engine().getInstance(id)).delete_reason).toBe('moved by ops');
    await expect(modify(id, { type: 'start_before_activity', activity_id: 'review' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('opens a sub-process that does not run around the token it starts inside, with its boundary timer, its start event not run', async () => {
    const id = await start('nested');
    await modify(id, { type: 'start_before_activity', activity_id: 'inner' });
    expect(await openTasks(id)).toEqual(['inner', 'prepare']);
    const details = await engine().getInstance(id);
    const [sub] = activity(details, 'sub');
    expect(sub).toMatchObject({ status: 'active' });
    expect(activity(details, 'inner')[0]).toMatchObject({ parent_activity_instance_id: sub!.id });
    expect(activity(details, 'sub_start')).toEqual([]);
    expect((await engine().listJobs({ process_instance_id: id, type: 'timer' })).data.map((j) => j.activity_id)).toEqual(['late']);
    // a second start before it finds the sub-process running, and starts in it
    await modify(id, { type: 'start_before_activity', activity_id: 'inner' });
    expect(activity(await engine().getInstance(id), 'sub')).toHaveLength(1);
    expect(await openTasks(id)).toEqual(['inner', 'inner', 'prepare']);
  });

  it('opens an event sub-process around a token started in it, or runs it from its start event, interrupting nothing', async () => {
    const inside = await start('escalating');
    await modify(inside, { type: 'start_before_activity', activity_id: 'handle' });
    expect(await openTasks(inside)).toEqual(['handle', 'work']);
    const details = await engine().getInstance(inside);
    const [opened] = activity(details, 'on_cancel');
    expect(opened).toMatchObject({ status: 'active' });
    expect(activity(details, 'handle')[0]).toMatchObject({ parent_activity_instance_id: opened!.id });
    expect(activity(details, 'cancel_start')).toEqual([]);
    const before = await start('escalating');
    await modify(before, { type: 'start_before_activity', activity_id: 'on_cancel' });
    expect(await openTasks(before)).toEqual(['handle', 'work']);
    expect((await engine().getInstance(before)).execution_path.map((step) => step.activity_id)).toEqual(['start', 'work', 'on_cancel', 'cancel_start', 'handle']);
    // the event sub-process ends as it would have, and the instance goes on where it waited
    const [handle] = (await engine().listTasks({ process_instance_id: before, task_definition_key: 'handle' })).data;
    await engine().completeTask(handle!.id);
    expect(await openTasks(before)).toEqual(['work']);
  });

  it('opens a multi-instance sub-process around a token with one inner instance, as Camunda 7 does, but none outside the named ancestor', async () => {
    const id = await start('per_item', { items: ['a', 'b'] });
    await modify(id, { type: 'cancel', activity_id: 'each' }, { type: 'start_before_activity', activity_id: 'item_task' });
    expect(await openTasks(id)).toEqual(['item_task']);
    const details = await engine().getInstance(id);
    expect(activity(details, 'each').filter((a) => a.status === 'active').map((a) => a.type).sort()).toEqual(['multiInstanceBody', 'subProcess']);
    // the body counts the one instance it was opened for: completing it completes the body, and the instance
    const [task] = (await engine().listTasks({ process_instance_id: id })).data;
    await engine().completeTask(task!.id);
    expect((await engine().getInstance(id)).status).toBe('completed');
    const nested = await start('nested');
    const unknown = await modify(nested, { type: 'start_before_activity', activity_id: 'inner', ancestor_activity_instance_id: 'nothing' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining("'nothing' is no active activity instance of the instance") });
    expect(await openTasks(nested)).toEqual(['prepare']);
  });

  it('adds an inner instance to a running multi-instance activity, or starts the whole activity before its body', async () => {
    const id = await start('reviews');
    await modify(id, { type: 'start_before_activity', activity_id: 'review' });
    const tasks = (await engine().listTasks({ process_instance_id: id })).data;
    expect(tasks.map((t) => t.task_definition_key)).toEqual(['review', 'review', 'review']);
    // three instances counted: two completed leave the body waiting for the third
    for (const task of tasks.slice(0, 2)) await engine().completeTask(task.id);
    expect(await openTasks(id)).toEqual(['review']);
    expect((await engine().getInstance(id)).status).toBe('active');
    await modify(id, { type: 'start_before_activity', activity_id: 'review#multiInstanceBody' });
    expect(await openTasks(id)).toEqual(['review', 'review', 'review']);
    expect(activity(await engine().getInstance(id), 'review').filter((a) => a.type === 'multiInstanceBody' && a.status === 'active')).toHaveLength(2);
    const twoBodies = await modify(id, { type: 'start_before_activity', activity_id: 'review' }).catch((e: unknown) => e);
    expect(twoBodies).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining("'review' runs 2 times") });
    for (const task of (await engine().listTasks({ process_instance_id: id })).data) await engine().completeTask(task.id);
    expect((await engine().getInstance(id)).status).toBe('completed');
  });

  it('starts no second instance beside the running one of a sequential multi-instance activity', async () => {
    const id = await start('reviews_in_turn');
    const refused = await modify(id, { type: 'start_before_activity', activity_id: 'review' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining("'review' is sequential and one of its instances runs") });
    const notALoop = await modify(id, { type: 'start_before_activity', activity_id: 'end#multiInstanceBody' }).catch((e: unknown) => e);
    expect(notALoop).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining("'end' is no multi-instance activity") });
    expect(await openTasks(id)).toEqual(['review']);
    // cancelled by the activity's id, the body goes; a start before the activity then opens one for a single instance
    await modify(id, { type: 'cancel', activity_id: 'review#multiInstanceBody' }, { type: 'start_before_activity', activity_id: 'review' });
    const [task] = (await engine().listTasks({ process_instance_id: id })).data;
    await engine().completeTask(task!.id);
    expect((await engine().getInstance(id)).status).toBe('completed');
  });

  it('starts in a sub-process once it runs, instruction after instruction, and cancels a sub-process emptied of its tokens', async () => {
    const id = await start('nested');
    await modify(id, { type: 'start_before_activity', activity_id: 'sub' }, { type: 'start_before_activity', activity_id: 'inner' }, { type: 'cancel', activity_id: 'prepare' });
    expect(await openTasks(id)).toEqual(['inner', 'inner']);
    expect((await engine().listJobs({ process_instance_id: id, type: 'timer' })).total).toBe(1);
    // both tokens of the sub-process cancelled: the sub-process goes too, its timer with it, and the instance ends
    await modify(id, { type: 'start_before_activity', activity_id: 'after' }, { type: 'cancel', activity_id: 'inner' });
    expect(await waitingAt(id)).toEqual(['after']);
    expect(activity(await engine().getInstance(id), 'sub').map((a) => a.status)).toEqual(['cancelled']);
    expect((await engine().listJobs({ process_instance_id: id })).total).toBe(0);
  });

  it('needs the sub-process instance to start in when it runs more than once', async () => {
    const id = await start('per_item', { items: ['a', 'b'] });
    const ambiguous = await modify(id, { type: 'start_before_activity', activity_id: 'item_task' }).catch((e: unknown) => e);
    expect(ambiguous).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining("'each' runs 2 times") });
    const details = await engine().getInstance(id);
    const innerInstances = details.activities.filter((a) => a.activity_id === 'each' && a.type === 'subProcess' && a.status === 'active');
    expect(innerInstances).toHaveLength(2);
    await modify(id, { type: 'start_before_activity', activity_id: 'item_task', ancestor_activity_instance_id: innerInstances[0]!.id });
    expect(await openTasks(id)).toEqual(['item_task', 'item_task', 'item_task']);
  });

  it('ends the instance a cancelled call activity called', async () => {
    const id = await start('calling');
    const [called] = (await engine().listInstances({ super_instance_id: id })).data;
    await modify(id, { type: 'start_before_activity', activity_id: 'check' }, { type: 'cancel', activity_id: 'call' });
    expect(await waitingAt(id)).toEqual(['check']);
    expect((await engine().getInstance(called!.id)).status).toBe('terminated');
  });

  it('refuses an instruction it cannot carry out, naming it, and changes nothing', async () => {
    const id = await start('nested');
    const cases: [ModificationInstruction[], string][] = [
      [[{ type: 'start_before_activity', activity_id: 'nowhere' }], "Instruction 1: the process has no element 'nowhere'"],
      [[{ type: 'cancel', activity_id: 'prepare' }, { type: 'start_transition', transition_id: 'f9' }], "Instruction 2: the process has no sequence flow 'f9'"],
      [[{ type: 'start_before_activity', activity_id: 'late' }], "a token cannot start before 'late' (a boundary event)"],
      [[{ type: 'start_after_activity', activity_id: 'split' }], "'split' has 2 outgoing sequence flows"],
      [[{ type: 'cancel', activity_id: 'after' }], "'after' has no active instance to cancel"],
      [[{ type: 'cancel' }], 'a cancel names activity_id or activity_instance_id'],
      [[{ type: 'move' } as unknown as ModificationInstruction], 'type must be one of'],
      [[], 'at least one instruction'],
    ];
    for (const [instructions, message] of cases) {
      await expect(engine().modifyInstance(id, { instructions })).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining(message) });
    }
    expect(await openTasks(id)).toEqual(['prepare']);
    expect((await engine().getInstance(id)).audit_trail.some((entry) => entry.operation === 'ModifyProcessInstance')).toBe(false);
    await engine().setInstanceSuspended(id, true);
    await expect(modify(id, { type: 'start_before_activity', activity_id: 'after' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('cancels the only token, then takes a flow to the end with the variables given: the instance completes', async () => {
    const id = await start('linear');
    await modify(id, { type: 'cancel', activity_id: 'review' }, { type: 'start_transition', transition_id: 'f3', variables: { approved: { value: true } } });
    const details = await engine().getInstance(id);
    expect(details.status).toBe('completed');
    expect(details.variables.approved?.value).toBe(true);
    expect(details.execution_path.at(-1)).toMatchObject({ activity_id: 'end', transition_id: 'f3' });
  });
});
