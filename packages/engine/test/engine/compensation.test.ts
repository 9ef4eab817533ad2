// Compensation beyond what the fixtures drive (bpmn-fixtures/events/compensation,
// subprocess/compensation-subprocess): only what completed is compensated, each inner instance of a loop
// on its own; a sub-process with a handler of its own is compensated by it alone; a transaction cancelled
// waits for its handlers; a handler runs once; the variables a completed sub-process leaves for its handlers
// are stored no longer than the scope that could compensate it.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow, jobBackends, jobEngines } from '../support/job-engines.js';

const compensate = '<bpmn:compensateEventDefinition />';
/** a compensation boundary event on `activity`, associated with the handler `handler` */
const undoneBy = (activity: string, handler: string) => `
    <bpmn:boundaryEvent id="${activity}_undo" attachedToRef="${activity}">${compensate}</bpmn:boundaryEvent>
    <bpmn:association id="${activity}_assoc" sourceRef="${activity}_undo" targetRef="${handler}" />`;
/** a handler adding one to the variable `counter` */
const counting = (id: string, counter: string) =>
  `<bpmn:scriptTask id="${id}" isForCompensation="true" scriptFormat="feel" camunda:resultVariable="${counter}"><bpmn:script>${counter} + 1</bpmn:script></bpmn:scriptTask>`;

/** 3 parallel `book` tasks, done once 2 have completed, each undone by `unbook`; then `decide`, then a throw */
const multiInstance = camunda('comp_mi', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'book')}
    <bpmn:userTask id="book"><bpmn:multiInstanceLoopCharacteristics>
      <bpmn:loopCardinality>3</bpmn:loopCardinality>
      <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">\${nrOfCompletedInstances &gt;= 2}</bpmn:completionCondition>
    </bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>${undoneBy('book', 'unbook')}${counting('unbook', 'undone')}
    ${flow('f2', 'book', 'decide')}<bpmn:userTask id="decide" />${flow('f3', 'decide', 'undo')}
    <bpmn:intermediateThrowEvent id="undo">${compensate}</bpmn:intermediateThrowEvent>${flow('f4', 'undo', 'after')}
    <bpmn:userTask id="after" />`);

/** sub-process `pay` (task `charge`, undone by `refund`) undone as a whole by `void`; then a throw */
const subProcessHandler = camunda('comp_sub', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'pay')}
    <bpmn:subProcess id="pay">
      <bpmn:startEvent id="payStart" />${flow('p1', 'payStart', 'charge')}
      <bpmn:userTask id="charge" />${undoneBy('charge', 'refund')}${counting('refund', 'refunds')}
    </bpmn:subProcess>${undoneBy('pay', 'void')}${counting('void', 'voids')}
    ${flow('f2', 'pay', 'undo')}<bpmn:intermediateThrowEvent id="undo">${compensate}</bpmn:intermediateThrowEvent>${flow('f3', 'undo', 'after')}
    <bpmn:userTask id="after" />`);

/** `work`, undone by `unwork`; two throws one after the other */
const twice = camunda('comp_twice', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" />${undoneBy('work', 'unwork')}${counting('unwork', 'undone')}
    ${flow('f2', 'work', 'first')}<bpmn:intermediateThrowEvent id="first">${compensate}</bpmn:intermediateThrowEvent>
    ${flow('f3', 'first', 'second')}<bpmn:intermediateThrowEvent id="second">${compensate}</bpmn:intermediateThrowEvent>
    ${flow('f4', 'second', 'after')}<bpmn:userTask id="after" />`);

/**
 * transaction `tx`: sub-process `inner` (task `charge`, undone by user task `refund`), then task `check`, then
 * a cancel end event; its cancel boundary event leads to `sorry`
 */
const cancelled = camunda('comp_tx', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'tx')}
    <bpmn:transaction id="tx">
      <bpmn:startEvent id="txStart" />${flow('t1', 'txStart', 'inner')}
      <bpmn:subProcess id="inner">
        <bpmn:startEvent id="innerStart" />${flow('i1', 'innerStart', 'charge')}
        <bpmn:userTask id="charge" />${undoneBy('charge', 'refund')}<bpmn:userTask id="refund" isForCompensation="true" />
      </bpmn:subProcess>${flow('t2', 'inner', 'check')}
      <bpmn:userTask id="check" />${flow('t3', 'check', 'cancel')}
      <bpmn:endEvent id="cancel"><bpmn:cancelEventDefinition /></bpmn:endEvent>
    </bpmn:transaction>
    <bpmn:boundaryEvent id="onCancel" attachedToRef="tx"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>${flow('f2', 'onCancel', 'sorry')}
    <bpmn:userTask id="sorry" />`);

/** sub-process `trip` with a local `ref`, its task `book` undone by `cancel`; then `after`, and the end with no throw */
const neverThrown = camunda('comp_never', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'trip')}
    <bpmn:subProcess id="trip">
      <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="ref">R-1</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
      <bpmn:startEvent id="tripStart" />${flow('t1', 'tripStart', 'book')}
      <bpmn:userTask id="book" />${undoneBy('book', 'cancel')}<bpmn:userTask id="cancel" isForCompensation="true" />
    </bpmn:subProcess>${flow('f2', 'trip', 'after')}
    <bpmn:userTask id="after" />${flow('f3', 'after', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(testBackends())('compensation on %s', (backend) => {
  const engine = engineUnderTest(backend, 'compensation', [multiInstance, subProcessHandler, twice, cancelled]);
  const completeAll = async (instanceId: string, key: string, count = Number.POSITIVE_INFINITY) => {
    const tasks = (await engine().listTasks({ process_instance_id: instanceId, task_definition_key: key })).data.slice(0, count);
    for (const task of tasks) await engine().completeTask(task.id);
  };
  const variables = async (instanceId: string) => (await engine().getInstance(instanceId)).variables;
  const waiting = async (instanceId: string) => (await engine().getInstance(instanceId)).current_activities.map((a) => a.activity_id);

  it('compensates each inner instance of a loop that completed, and none the loop cancelled', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'comp_mi', variables: { undone: { value: 0 } } });
    await completeAll(instance.id, 'book', 2);
    await completeAll(instance.id, 'decide');
    expect(await waiting(instance.id)).toEqual(['after']);
    expect((await variables(instance.id)).undone!.value).toBe(2);
  });

  it('compensates a sub-process with a handler of its own by that handler alone', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'comp_sub', variables: { refunds: { value: 0 }, voids: { value: 0 } } });
    await completeAll(instance.id, 'charge');
    expect(await waiting(instance.id)).toEqual(['after']);
    const { refunds, voids } = await variables(instance.id);
    expect([refunds!.value, voids!.value]).toEqual([0, 1]);
  });

  it('cancels a transaction once the handlers of what completed inside it, in a sub-process too, have ended', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'comp_tx' });
    await completeAll(instance.id, 'charge');
    await completeAll(instance.id, 'check');
    expect((await waiting(instance.id)).sort()).toEqual(['cancel', 'refund', 'tx']);
    await completeAll(instance.id, 'refund');
    expect(await waiting(instance.id)).toEqual(['sorry']);
  });

  it('runs a handler once: a second throw finds nothing left to compensate and goes on', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'comp_twice', variables: { undone: { value: 0 } } });
    await completeAll(instance.id, 'work');
    expect(await waiting(instance.id)).toEqual(['after']);
    expect((await variables(instance.id)).undone!.value).toBe(1);
  });
});

describe.each(jobBackends())('stored compensation variables on $name', (backend) => {
  const engine = jobEngines(backend, 'compensation-rows', [neverThrown]);
  const stored = async (instanceId: string) => (await engine.sql<{ name: string }>(
    'SELECT name FROM process_variables WHERE instance_id = $1 ORDER BY name', [instanceId])).map((row) => row.name);
  const completeAll = async (instanceId: string, key: string) => {
    for (const task of (await engine().listTasks({ process_instance_id: instanceId, task_definition_key: key })).data) await engine().completeTask(task.id);
  };

  it('keeps a completed sub-process\'s variables for its handlers while it can be compensated, and removes them with the scope', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'comp_never', variables: { order: { value: 'o-1' } } });
    await completeAll(instance.id, 'book');
    expect(await stored(instance.id)).toEqual(['order', 'ref']);
    expect((await engine().getVariables(instance.id)).ref).toBeUndefined();
    await completeAll(instance.id, 'after');
    expect((await engine().getInstance(instance.id)).status).toBe('completed');
    expect(await stored(instance.id)).toEqual(['order']);
  });
});
