// An expression that would run without end (a loop over a billion numbers, a regular expression that
// backtracks for ever) is stopped at its time limit: a failedInstruction incident where it is evaluated,
// or a conditionError at a gateway, and the engine goes on serving other work.
import { describe, expect, it } from 'vitest';
import { EVALUATION_TIME_LIMIT_MS } from '../../src/expressions/time-limit.js';
import { compileDefinitions } from '../../src/model/index.js';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const model = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d_${id}" targetNamespace="t">
  <bpmn:process id="${id}" isExecutable="true"><bpmn:startEvent id="start" />${body}</bpmn:process>
</bpmn:definitions>`;

/** the input mapping counts to a billion unless `n` says otherwise */
const counting = model('counting', `
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:userTask id="work"><bpmn:extensionElements><camunda:inputOutput>
      <camunda:inputParameter name="total">=count(for x in 1..n return x)</camunda:inputParameter>
    </camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>`);

/** a gateway whose condition backtracks exponentially on a long run of a's that does not match */
const matching = model('matching', `
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:exclusiveGateway id="check" default="other" />
    <bpmn:sequenceFlow id="match" sourceRef="check" targetRef="matched"><bpmn:conditionExpression>=matches(code, "^(a+)+$")</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="other" sourceRef="check" targetRef="unmatched" />
    <bpmn:userTask id="matched" /><bpmn:userTask id="unmatched" />`);

/** lists that double at each of 30 levels: cheap to build, a billion items to write out */
const doubling = model('doubling', `
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:userTask id="work"><bpmn:extensionElements><camunda:inputOutput>
      <camunda:inputParameter name="tree">={l0: [1, 1], ${Array.from({ length: 30 }, (_, i) => `l${i + 1}: [l${i}, l${i}]`).join(', ')}}.l30</camunda:inputParameter>
    </camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>`);

describe.each(testBackends())('expressions that would not end, on %s', (backend) => {
  const engine = engineUnderTest(backend, 'runaway-expressions', [counting, matching, doubling]);

  it('stops a loop over a billion numbers with a failedInstruction incident, and runs a short one', async () => {
    const stopped = await engine().startInstance({ process_definition_key: 'counting', variables: { n: { value: 1_000_000_000 } } });
    const [incident] = (await engine().listIncidents({ process_instance_id: stopped.id })).data;
    expect(incident).toMatchObject({ incident_type: 'failedInstruction', activity_id: 'work' });
    expect(incident!.incident_message).toMatch(`was stopped: it ran longer than ${EVALUATION_TIME_LIMIT_MS} ms`);

    const ran = await engine().startInstance({ process_definition_key: 'counting', variables: { n: { value: 3 } } });
    expect(ran.current_activities.map((a) => a.activity_id)).toEqual(['work']);
  });

  it('stops a catastrophic regular expression with a conditionError incident at the gateway, and matches an ordinary input', async () => {
    const stopped = await engine().startInstance({ process_definition_key: 'matching', variables: { code: { value: `${'a'.repeat(40)}!` } } });
    const [incident] = (await engine().listIncidents({ process_instance_id: stopped.id })).data;
    expect(incident).toMatchObject({ incident_type: 'conditionError', activity_id: 'check' });

    const ran = await engine().startInstance({ process_definition_key: 'matching', variables: { code: { value: 'aaa' } } });
    expect(ran.current_activities.map((a) => a.activity_id)).toEqual(['matched']);
  });

  it('stops a value that doubles at each level before it is written out', async () => {
    const stopped = await engine().startInstance({ process_definition_key: 'doubling' });
    const [incident] = (await engine().listIncidents({ process_instance_id: stopped.id })).data;
    expect(incident).toMatchObject({ incident_type: 'failedInstruction', activity_id: 'work' });
    expect(incident!.incident_message).toMatch('was stopped');
  });
});

describe('a file with open-ended expressions', () => {
  // the engine starts their worker when such a file is compiled, before its first evaluation
  it.each([['a loop', counting], ['a regular expression', matching], ['a context literal', doubling]])('says so when it holds %s', async (_, xml) => {
    expect((await compileDefinitions(xml)).openEnded).toBe(true);
  });

  it('does not when its expressions are plain', async () => {
    const plain = model('plain', `
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:exclusiveGateway id="check" default="other" />
    <bpmn:sequenceFlow id="big" sourceRef="check" targetRef="work"><bpmn:conditionExpression>=amount > 100 and contains(code, "x")</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="other" sourceRef="check" targetRef="work" />
    <bpmn:userTask id="work" camunda:assignee="\${owner}" />`);
    expect((await compileDefinitions(plain)).openEnded).toBe(false);
  });
});
