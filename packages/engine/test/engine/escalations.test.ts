// Escalations: thrown by an intermediate throw or end event, they go up the scopes to the innermost
// escalation boundary event or event sub-process naming their code (or none). Unlike an error, a
// non-interrupting catcher lets the thrower go on, and an escalation nobody catches changes nothing.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';

const ROOTS = '<bpmn:escalation id="Late" escalationCode="LATE" /><bpmn:escalation id="Other" escalationCode="OTHER" />';
const escalate = (ref: string) => `<bpmn:escalationEventDefinition escalationRef="${ref}" />`;

/**
 * Sub-process `inner`: start → intermediate escalation `ref` → user task `work`. On `inner`, a
 * non-interrupting boundary for LATE → `notify` and an interrupting catch-all one → `takeOver`.
 */
const escalating = (key: string, ref: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'inner')}
    <bpmn:subProcess id="inner">
      <bpmn:startEvent id="innerStart" />${flow('f2', 'innerStart', 'raise')}
      <bpmn:intermediateThrowEvent id="raise">${escalate(ref)}</bpmn:intermediateThrowEvent>${flow('f3', 'raise', 'work')}
      <bpmn:userTask id="work" />
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="onLate" attachedToRef="inner" cancelActivity="false">${escalate('Late')}</bpmn:boundaryEvent>${flow('f4', 'onLate', 'notify')}
    <bpmn:userTask id="notify" />
    <bpmn:boundaryEvent id="onAny" attachedToRef="inner"><bpmn:escalationEventDefinition /></bpmn:boundaryEvent>${flow('f5', 'onAny', 'takeOver')}
    <bpmn:userTask id="takeOver" />`, ROOTS);

/** start → user task `work` and an escalation end event LATE; a non-interrupting escalation event sub-process → `log` */
const toEventSubProcess = camunda('esc_esp', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'split')}
    <bpmn:parallelGateway id="split" />${flow('f2', 'split', 'work')}${flow('f3', 'split', 'raise')}
    <bpmn:userTask id="work" />
    <bpmn:endEvent id="raise">${escalate('Late')}</bpmn:endEvent>
    <bpmn:subProcess id="onLate" triggeredByEvent="true">
      <bpmn:startEvent id="lateStart" isInterrupting="false">${escalate('Late')}</bpmn:startEvent>${flow('f4', 'lateStart', 'log')}
      <bpmn:userTask id="log" />
    </bpmn:subProcess>`, ROOTS);

/** start → intermediate escalation OTHER → user task `work`: nothing catches it */
const uncaught = camunda('esc_uncaught', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'raise')}
    <bpmn:intermediateThrowEvent id="raise">${escalate('Other')}</bpmn:intermediateThrowEvent>${flow('f2', 'raise', 'work')}
    <bpmn:userTask id="work" />`, ROOTS);

describe.each(testBackends())('escalations on %s', (backend) => {
  const engine = engineUnderTest(backend, 'escalations', [escalating('esc_late', 'Late'), escalating('esc_other', 'Other'), toEventSubProcess, uncaught]);
  const openTasks = async (instanceId: string) =>
    (await engine().listTasks({ process_instance_id: instanceId, status: 'created' })).data.map((t) => t.task_definition_key).sort();

  it.each([
    ['a non-interrupting boundary naming the code catches it, over a catch-all one, and the thrower goes on', 'esc_late', ['notify', 'work']],
    ['an interrupting catch-all boundary ends the sub-process, the thrower with it', 'esc_other', ['takeOver']],
    ['an escalation end event reaches a non-interrupting event sub-process; the rest goes on', 'esc_esp', ['log', 'work']],
    ['an escalation nobody catches changes nothing: the thrower goes on, with no incident', 'esc_uncaught', ['work']],
  ])('%s', async (_title, key, tasks) => {
    const instance = await engine().startInstance({ process_definition_key: key });
    expect(await openTasks(instance.id)).toEqual(tasks);
    expect((await engine().getInstance(instance.id)).incidents).toEqual([]);
  });
});
