// Migrating running instances to another version of their process, as Camunda 7 migrates them: elements
// mapped by id or by instructions, tasks and timers carried over, the instance going on in the target's
// paths, events the target adds around what runs listening and those it drops not; all named instances or
// none, with every problem named.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { testBackends } from '../../src/testing/index.js';
import { newId } from '../../src/util/ids.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';

const timer = (id: string, on: string) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${on}"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`;

/** v1: start → review (a timer `late` → remind) → ship → end */
const v1 = camunda('order', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review" />${flow('f2', 'review', 'ship')}
    ${timer('late', 'review')}${flow('f3', 'late', 'remind')}
    <bpmn:userTask id="remind" />${flow('f4', 'remind', 'end')}
    <bpmn:userTask id="ship" />${flow('f5', 'ship', 'end')}
    <bpmn:endEvent id="end" />`);

/** v2: the same, with `check` between review and ship, and the timer leading to `escalate` */
const v2 = camunda('order', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review" />${flow('f2', 'review', 'check')}
    ${timer('late', 'review')}${flow('f3', 'late', 'escalate')}
    <bpmn:userTask id="escalate" />${flow('f4', 'escalate', 'end')}
    <bpmn:userTask id="check" />${flow('f6', 'check', 'ship')}
    <bpmn:userTask id="ship" />${flow('f5', 'ship', 'end')}
    <bpmn:endEvent id="end" />`);

/** v3: the review renamed `assess`, its timer `overdue` */
const v3 = camunda('order', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'assess')}
    <bpmn:userTask id="assess" />${flow('f2', 'assess', 'ship')}
    ${timer('overdue', 'assess')}${flow('f3', 'overdue', 'ship')}
    <bpmn:userTask id="ship" />${flow('f5', 'ship', 'end')}
    <bpmn:endEvent id="end" />`);

/** v4: the review done by a worker, and a second timer on it */
const v4 = camunda('order', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:serviceTask id="review" camunda:type="external" camunda:topic="review" />${flow('f2', 'review', 'ship')}
    ${timer('late', 'review')}${flow('f3', 'late', 'ship')}${timer('later', 'review')}${flow('f7', 'later', 'ship')}
    <bpmn:userTask id="ship" />${flow('f5', 'ship', 'end')}
    <bpmn:endEvent id="end" />`);

/** v5: v1 with a message boundary event `withdraw` on the review and a non-interrupting event sub-process started by `note` */
const v5 = camunda('order', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review" />${flow('f2', 'review', 'ship')}
    ${timer('late', 'review')}${flow('f3', 'late', 'remind')}
    <bpmn:boundaryEvent id="withdraw" attachedToRef="review"><bpmn:messageEventDefinition messageRef="withdrawn" /></bpmn:boundaryEvent>${flow('f8', 'withdraw', 'withdrawn_end')}
    <bpmn:endEvent id="withdrawn_end" />
    <bpmn:userTask id="remind" />${flow('f4', 'remind', 'end')}
    <bpmn:userTask id="ship" />${flow('f5', 'ship', 'end')}
    <bpmn:endEvent id="end" />
    <bpmn:subProcess id="notes" triggeredByEvent="true">
      <bpmn:startEvent id="note" isInterrupting="false"><bpmn:messageEventDefinition messageRef="noted" /></bpmn:startEvent>${flow('n1', 'note', 'read_note')}
      <bpmn:userTask id="read_note" />
    </bpmn:subProcess>`, '<bpmn:message id="withdrawn" name="withdrawn" /><bpmn:message id="noted" name="noted" />');

/** v6: v1 without the review's timer */
const v6 = camunda('order', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review" />${flow('f2', 'review', 'ship')}
    <bpmn:userTask id="ship" />${flow('f5', 'ship', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(testBackends())('instance migration on %s', (backend) => {
  // no job runs by itself: an asynchronous continuation waits to be looked at
  const engine = engineUnderTest(backend, 'instance-migration', [], { jobs: { run: false } });
  const deployed = async (xml: string) => (await engine().deploy({ bpmn_xml: xml })).definitions[0]!.id;
  const openTasks = async (e: Engine, id: string) => (await e.listTasks({ process_instance_id: id })).data;

  it('moves instances to the next version: their tasks and timers carried over, the instance going on in its paths', async () => {
    const first = await deployed(v1);
    const atReview = (await engine().startInstance({ process_definition_id: first })).id;
    const atShip = (await engine().startInstance({ process_definition_id: first })).id;
    await engine().completeTask((await openTasks(engine(), atShip))[0]!.id);
    const second = await deployed(v2);

    const result = await engine().migrateInstances({ target_definition_id: second, process_instance_ids: [atShip, atReview, atReview], user_id: 'ops' });
    expect(result).toEqual({ target_definition_id: second, process_instance_ids: [atReview, atShip].sort() });
    const details = await engine().getInstance(atReview);
    expect(details).toMatchObject({ process_definition_id: second, process_definition_key: 'order' });
    expect(details.audit_trail.at(-1)).toMatchObject({ operation: 'Migrate', user_id: 'ops', org_value: first, new_value: second });
    const [review] = await openTasks(engine(), atReview);
    expect(review).toMatchObject({ task_definition_key: 'review', process_definition_id: second });

    // the timer, carried over with its due time, now leads where v2 leads it
    const [late] = (await engine().listJobs({ process_instance_id: atReview, type: 'timer' })).data;
    expect(late).toMatchObject({ activity_id: 'late' });
    await engine().executeJob(late!.id);
    expect((await openTasks(engine(), atReview)).map((t) => t.task_definition_key)).toEqual(['escalate']);
    // the instance at ship goes on to the end as v2 goes on
    await engine().completeTask((await openTasks(engine(), atShip))[0]!.id);
    expect((await engine().getInstance(atShip)).status).toBe('completed');
  });

  it('maps renamed elements by instructions, and with a mapping left out names what it leaves out', async () => {
    const first = await deployed(v1);
    const id = (await engine().startInstance({ process_definition_id: first })).id;
    const third = await deployed(v3);
    const unmapped = await engine().migrateInstances({ target_definition_id: third, process_instance_ids: [id] }).catch((e: unknown) => e);
    expect(unmapped).toMatchObject({ code: 'VALIDATION_ERROR', details: { problems: expect.arrayContaining([
      { process_instance_id: id, activity_id: 'review', message: "The instance is at 'review', which the migration maps to nothing" },
    ]) } });
    await engine().migrateInstances({
      target_definition_id: third, process_instance_ids: [id],
      instructions: [{ source_activity_id: 'review', target_activity_id: 'assess' }, { source_activity_id: 'late', target_activity_id: 'overdue' }],
    });
    const [task] = await openTasks(engine(), id);
    expect(task!.task_definition_key).toBe('assess');
    expect((await engine().getInstance(id)).current_activities.map((a) => a.activity_id)).toEqual(['assess']);
    expect((await engine().listJobs({ process_instance_id: id, type: 'timer' })).data.map((j) => j.activity_id)).toEqual(['overdue']);
    await engine().completeTask(task!.id);
    expect((await openTasks(engine(), id)).map((t) => t.task_definition_key)).toEqual(['ship']);
  });

  it('migrates none of the instances when one cannot be, naming each problem', async () => {
    const first = await deployed(v1);
    const fine = (await engine().startInstance({ process_definition_id: first })).id;
    const atShip = (await engine().startInstance({ process_definition_id: first })).id;
    await engine().completeTask((await openTasks(engine(), atShip))[0]!.id);
    const fourth = await deployed(v4);
    const refused = await engine().migrateInstances({ target_definition_id: fourth, process_instance_ids: [fine, atShip] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/^1 of the 2 instances cannot be migrated/) });
    const problems = (refused as { details: { problems: { message: string }[] } }).details.problems.map((p) => p.message);
    expect(problems).toEqual(["'review' (userTask) maps to 'review' (serviceTask): an element maps to one of its own kind"]);
    expect((await engine().getInstance(atShip)).process_definition_id).toBe(first);
    expect((await engine().getInstance(fine)).process_definition_id).toBe(first);
  });

  it('starts what the target adds around what runs: a boundary event on the migrated task, an event sub-process in the process', async () => {
    const first = await deployed(v1);
    const id = (await engine().startInstance({ process_definition_id: first })).id;
    await engine().migrateInstances({ target_definition_id: await deployed(v5), process_instance_ids: [id] });
    expect((await engine().listJobs({ process_instance_id: id, type: 'timer' })).total).toBe(1);
    const noted = await engine().correlateMessage({ message_name: 'noted', process_instance_id: id });
    expect(noted).toMatchObject([{ process_instance_id: id, activity_id: 'note' }]);
    expect((await openTasks(engine(), id)).map((t) => t.task_definition_key).sort()).toEqual(['read_note', 'review']);
    await engine().correlateMessage({ message_name: 'withdrawn', process_instance_id: id });
    expect((await openTasks(engine(), id)).map((t) => t.task_definition_key)).toEqual(['read_note']);
    expect((await engine().listJobs({ process_instance_id: id })).total).toBe(0);
  });

  it('does not start an added boundary event on a task whose continuation waits before it', async () => {
    const asyncReview = camunda('async_order', `
      <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review" camunda:asyncBefore="true" />${flow('f2', 'review', 'end')}
      <bpmn:endEvent id="end" />`);
    const first = (await engine().deploy({ bpmn_xml: asyncReview })).definitions[0]!.id;
    const id = (await engine().startInstance({ process_definition_id: first })).id;
    const target = (await engine().deploy({ bpmn_xml: asyncReview.replace('<bpmn:endEvent id="end" />', `<bpmn:endEvent id="end" />${timer('late', 'review')}${flow('f3', 'late', 'end')}`) })).definitions[0]!.id;
    await engine().migrateInstances({ target_definition_id: target, process_instance_ids: [id] });
    const jobs = (await engine().listJobs({ process_instance_id: id })).data;
    expect(jobs.map((j) => j.type)).toEqual(['async']);
    await engine().executeJob(jobs[0]!.id);
    // once the task begins, its boundary timer listens as the target says
    expect((await engine().listJobs({ process_instance_id: id, type: 'timer' })).data.map((j) => j.activity_id)).toEqual(['late']);
  });

  it('removes what listens for an event the target does not map: the timer of a boundary event it dropped', async () => {
    const first = await deployed(v1);
    const id = (await engine().startInstance({ process_definition_id: first })).id;
    await engine().migrateInstances({ target_definition_id: await deployed(v6), process_instance_ids: [id] });
    expect((await engine().listJobs({ process_instance_id: id })).total).toBe(0);
    await engine().completeTask((await openTasks(engine(), id))[0]!.id);
    expect((await openTasks(engine(), id)).map((t) => t.task_definition_key)).toEqual(['ship']);
  });

  it('with update_event_trigger, what waits for a mapped event waits for the target\'s message or timer; the plan\'s variables are set', async () => {
    const waiting = (message: string, duration: string) => camunda('retriggered', `
      <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review" />${flow('f2', 'review', 'end')}
      <bpmn:boundaryEvent id="cancelled" attachedToRef="review"><bpmn:messageEventDefinition messageRef="m" /></bpmn:boundaryEvent>${flow('f3', 'cancelled', 'end')}
      <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>${flow('f4', 'late', 'end')}
      <bpmn:endEvent id="end" />`, `<bpmn:message id="m" name="${message}" />`);
    const first = await deployed(waiting('cancel', 'PT1H'));
    const kept = (await engine().startInstance({ process_definition_id: first })).id;
    const updated = (await engine().startInstance({ process_definition_id: first })).id;
    const second = await deployed(waiting('withdraw', 'P2D'));
    await engine().migrateInstances({ target_definition_id: second, process_instance_ids: [kept] });
    const plan = await engine().migrationPlan(first, second, { update_event_triggers: true });
    expect(plan.instructions.filter((i) => i.update_event_trigger).map((i) => i.source_activity_id).sort()).toEqual(['cancelled', 'late']);
    await engine().migrateInstances({ target_definition_id: second, process_instance_ids: [updated], instructions: plan.instructions, variables: { reason: { value: 'renamed' } } });
    // without the update the old trigger stays: the old message name and due time
    const due = async (id: string) => Date.parse((await engine().listJobs({ process_instance_id: id, type: 'timer' })).data[0]!.due_at) - Date.now();
    expect(await due(kept)).toBeLessThan(2 * 3600_000);
    expect(await due(updated)).toBeGreaterThan(47 * 3600_000);
    await expect(engine().correlateMessage({ message_name: 'withdraw', process_instance_id: kept })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await engine().correlateMessage({ message_name: 'withdraw', process_instance_id: updated })).toMatchObject([{ activity_id: 'cancelled' }]);
    expect(await engine().getInstance(updated)).toMatchObject({ status: 'completed', variables: { reason: { value: 'renamed' } } });
    const refused = await engine().migrateInstances({
      target_definition_id: second, process_instance_ids: [kept], instructions: [{ source_activity_id: 'review', target_activity_id: 'review', update_event_trigger: true }, ...plan.instructions.filter((i) => i.source_activity_id !== 'review')],
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_ERROR', details: { problems: [{ activity_id: 'review', message: "'review' waits for no message, signal, timer or condition: it has no trigger to update" }] } });
  });

  it('generates a plan of the elements of the same id and kind, and holds the instances to the plan\'s source', async () => {
    const first = await deployed(v1);
    const id = (await engine().startInstance({ process_definition_id: first })).id;
    const fourth = await deployed(v4);
    const plan = await engine().migrationPlan(first, fourth);
    expect(plan).toEqual({
      source_definition_id: first, target_definition_id: fourth,
      instructions: ['start', 'late', 'ship', 'end'].map((element) => ({ source_activity_id: element, target_activity_id: element })),
    });
    const second = await deployed(v2);
    const refused = await engine().migrateInstances({ target_definition_id: second, source_definition_id: second, process_instance_ids: [id] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_ERROR', details: { problems: [{ activity_id: null, message: `The instance is of the definition '${first}', not of the plan's source '${second}'` }] } });
    await expect(engine().migrationPlan(first, 'not-an-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an ended instance, an unknown target, and a target of another tenant', async () => {
    const first = await deployed(v1);
    const id = (await engine().startInstance({ process_definition_id: first })).id;
    const other = (await engine().deploy({ bpmn_xml: v2, tenant_id: 'acme' })).definitions[0]!.id;
    await expect(engine().migrateInstances({ target_definition_id: other, process_instance_ids: [id] }))
      .rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining("The target belongs to tenant 'acme', the instance to no tenant") });
    await expect(engine().migrateInstances({ target_definition_id: newId(), process_instance_ids: [id] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine().migrateInstances({ target_definition_id: first, process_instance_ids: [] })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await engine().terminateInstance(id);
    await expect(engine().migrateInstances({ target_definition_id: first, process_instance_ids: [id] })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
