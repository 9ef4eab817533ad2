// Conditional events beyond what the fixtures drive (bpmn-fixtures/events/conditional-*,
// subprocess/conditional-event-subprocess): conditions evaluated again after a change made by the model
// itself, by resolving a delegated task or an incident, by an activation, by a variable's removal, and a condition that
// cannot be evaluated.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';

const condition = (source: string) =>
  `<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">${source}</bpmn:condition></bpmn:conditionalEventDefinition>`;

/** a user task `review` with an interrupting conditional boundary on `${stop}` → user task `stopped` */
const guarded = (key: string, before = '') => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'split')}
    <bpmn:parallelGateway id="split" />${flow('f2', 'split', 'review')}${flow('f3', 'split', 'first')}
    <bpmn:userTask id="review" />
    <bpmn:boundaryEvent id="onStop" attachedToRef="review">${condition('${stop}')}</bpmn:boundaryEvent>${flow('f4', 'onStop', 'stopped')}
    <bpmn:userTask id="stopped" />
    ${before}`);

/** beside `review`, a user task `first`, then a FEEL script setting `stop` to true */
const stopsItself = guarded('cond_script', `<bpmn:userTask id="first" />${flow('f5', 'first', 'setStop')}
    <bpmn:scriptTask id="setStop" scriptFormat="feel" camunda:resultVariable="stop"><bpmn:script>true</bpmn:script></bpmn:scriptTask>`);

/** beside `review`, a user task `first` that ends its path */
const waitsBeside = guarded('cond_beside', '<bpmn:userTask id="first" />');

/** beside `review`, an exclusive gateway `first` whose one flow's condition names a variable never set: an incident */
const failsBeside = guarded('cond_incident', `<bpmn:exclusiveGateway id="first" />${flow('f5', 'first', 'never', '${go}')}<bpmn:endEvent id="never" />`);

/** a conditional catch event on `="ready"` (a string, never true or false) before user task `after` */
const neverBoolean = camunda('cond_string', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:intermediateCatchEvent id="wait">${condition('="ready"')}</bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'after')}
    <bpmn:userTask id="after" />`);

/** a conditional catch event on `hold` gone, heard only when a variable is removed, before user task `released` */
const onRemoval = camunda('cond_removed', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:intermediateCatchEvent id="wait"><bpmn:conditionalEventDefinition camunda:variableName="hold" camunda:variableEvents="delete">
      <bpmn:condition xsi:type="bpmn:tFormalExpression">=hold = null</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'released')}
    <bpmn:userTask id="released" />`);

describe.each(testBackends())('conditional events on %s', (backend) => {
  const engine = engineUnderTest(backend, 'conditional-events', [stopsItself, waitsBeside, failsBeside, neverBoolean, onRemoval]);
  const openTasks = async (instanceId: string) =>
    (await engine().listTasks({ process_instance_id: instanceId })).data.map((t) => t.task_definition_key).sort();
  const taskAt = async (instanceId: string, key: string) =>
    (await engine().listTasks({ process_instance_id: instanceId, task_definition_key: key })).data[0]!.id;

  it('fires when the model itself sets the variable, in the command that set it', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'cond_script' });
    expect(await openTasks(instance.id)).toEqual(['first', 'review']);
    await engine().completeTask(await taskAt(instance.id, 'first'));
    expect(await openTasks(instance.id)).toEqual(['stopped']);
  });

  it('fires on the removal of a variable, which a set of the same variable does not fire', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'cond_removed', variables: { hold: { value: 'on' }, other: { value: 1 } } });
    await engine().updateVariables(instance.id, [{ variable_name: 'hold', value: null }]);
    expect(await openTasks(instance.id)).toEqual([]);
    const left = await engine().removeVariables(instance.id, ['hold']);
    expect(Object.keys(left)).toEqual(['other']);
    expect(await openTasks(instance.id)).toEqual(['released']);
    await expect(engine().removeVariables(instance.id, ['hold'])).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining("Variable 'hold'") });
    await expect(engine().removeVariables(instance.id, [])).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('fires when a delegated task is resolved with the variable', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'cond_beside' });
    const first = await taskAt(instance.id, 'first');
    await engine().delegateTask(first, 'bob');
    await engine().resolveTask(first, { variables: { stop: { value: true } } });
    expect(await openTasks(instance.id)).toEqual(['first', 'stopped']);
  });

  it('fires when an incident is resolved by hand with the variable', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'cond_incident' });
    const [incident] = (await engine().getInstance(instance.id)).incidents;
    await engine().resolveIncident(incident!.id, { resolution_type: 'manual', variables: { stop: { value: true } } });
    expect(await openTasks(instance.id)).toEqual(['stopped']);
  });

  it('waits while its instance is suspended, and fires when it is activated', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'cond_beside' });
    await engine().setInstanceSuspended(instance.id, true);
    await engine().updateVariables(instance.id, [{ variable_name: 'stop', value: true }]);
    expect(await openTasks(instance.id)).toEqual(['first', 'review']);
    await engine().setInstanceSuspended(instance.id, false);
    expect(await openTasks(instance.id)).toEqual(['first', 'stopped']);
  });

  it('does not hold while its condition cannot be evaluated: the instance waits, with no incident', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'cond_string' });
    await engine().updateVariables(instance.id, [{ variable_name: 'ready', value: true }]);
    const view = await engine().getInstance(instance.id);
    expect(view.current_activities.map((a) => a.activity_id)).toEqual(['wait']);
    expect(view.incidents).toEqual([]);
  });
});

/** a none start event → user task `normal`, and a conditional start event on `${amount > 1000}` → user task `big` */
const bigOrNormal = (key: string, conditional = true) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'normal')}
    <bpmn:userTask id="normal" />${conditional ? `
    <bpmn:startEvent id="onBig">${condition('${amount > 1000}')}</bpmn:startEvent>${flow('f2', 'onBig', 'big')}
    <bpmn:userTask id="big" />` : ''}`);

/** a conditional start event on `=vip = true` → user task `greet` */
const vip = camunda('cond_start_vip', `
    <bpmn:startEvent id="onVip">${condition('=vip = true')}</bpmn:startEvent>${flow('f1', 'onVip', 'greet')}
    <bpmn:userTask id="greet" />`);

describe.each(testBackends())('conditional start events on %s', (backend) => {
  const engine = engineUnderTest(backend, 'conditional-start', [bigOrNormal('cond_start_big'), vip, bigOrNormal('cond_start_gone')]);
  const waiting = (instance: { current_activities: { activity_id: string }[] }) => instance.current_activities.map((a) => a.activity_id);

  it('starts each latest process whose condition holds for the variables, at its conditional start event, and no other', async () => {
    const big = await engine().startOnCondition({ variables: { amount: { value: 5000 } }, business_key: 'order-1' });
    expect(big.map((i) => [i.process_definition_key, waiting(i), i.business_key])).toEqual([
      ['cond_start_big', ['big'], 'order-1'], ['cond_start_gone', ['big'], 'order-1'],
    ]);
    const both = await engine().startOnCondition({ variables: { amount: { value: 5 }, vip: { value: true } } });
    expect(both.map((i) => [i.process_definition_key, waiting(i)])).toEqual([['cond_start_vip', ['greet']]]);
    expect((await engine().getInstance(both[0]!.id)).variables.vip?.value).toBe(true);
  });

  it('leaves a plain start to the none start event, and a newer version without the event to plain starts alone', async () => {
    const plain = await engine().startInstance({ process_definition_key: 'cond_start_big', variables: { amount: { value: 5000 } } });
    expect(waiting(plain)).toEqual(['normal']);
    await engine().deploy({ bpmn_xml: bigOrNormal('cond_start_gone', false) });
    const started = await engine().startOnCondition({ variables: { amount: { value: 2000 } } });
    expect(started.map((i) => i.process_definition_key)).toEqual(['cond_start_big']);
  });

  it('evaluates one definition when named, and answers NOT_FOUND for one without a conditional start event', async () => {
    const [definition] = (await engine().listDefinitions({ key: 'cond_start_vip' })).data;
    expect((await engine().startOnCondition({ process_definition_id: definition!.id, variables: { vip: { value: true }, amount: { value: 9999 } } }))
      .map((i) => i.process_definition_key)).toEqual(['cond_start_vip']);
    const [plainOnly] = (await engine().listDefinitions({ key: 'cond_start_gone', latest: true })).data;
    await expect(engine().startOnCondition({ process_definition_id: plainOnly!.id, variables: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
