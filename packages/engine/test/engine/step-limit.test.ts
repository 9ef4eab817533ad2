// A loop with no wait state must not hang the engine: the command stops after its step limit with a
// failedInstruction incident, keeps what it did, and can be resumed once the model's data allows.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const endlessLoop = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="spin" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="count" />
    <bpmn:scriptTask id="count" scriptFormat="feel" camunda:resultVariable="n"><bpmn:script>n + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f1" sourceRef="count" targetRef="more" />
    <bpmn:exclusiveGateway id="more" default="again" />
    <bpmn:sequenceFlow id="again" sourceRef="more" targetRef="count" />
    <bpmn:sequenceFlow id="out" sourceRef="more" targetRef="end"><bpmn:conditionExpression>\${stop}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const model = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d_${id}" targetNamespace="t">
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

/** 500 inner script tasks in one command, then a user task */
const wideLoop = model('wide', `
    <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="each" />
    <bpmn:scriptTask id="each" scriptFormat="feel"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>500</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics><bpmn:script>1</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="each" targetRef="after" /><bpmn:userTask id="after" />`);

/** calls itself, never waiting */
const selfCalling = model('again', `
    <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:callActivity id="call" calledElement="again" /><bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" /><bpmn:endEvent id="end" />`);

describe.each(testBackends())('the step limit of 100 along a path on %s', (backend) => {
  const engine = engineUnderTest(backend, 'step-limit-paths', [wideLoop, selfCalling], { maxStepsPerCommand: 100 });

  it('counts each inner instance of a multi-instance body as a path of its own: 500 of them run in one command', async () => {
    const started = await engine().startInstance({ process_definition_key: 'wide' });
    expect(started.current_activities.map((a) => a.activity_id)).toEqual(['after']);
    expect((await engine().listIncidents({ process_instance_id: started.id })).total).toBe(0);
    expect((await engine().getInstance(started.id)).execution_path).toHaveLength(502);
  });

  it('stops a process that calls itself without waiting where the path of its calls passes the limit', async () => {
    const started = await engine().startInstance({ process_definition_key: 'again' });
    const incidents = (await engine().listIncidents({ limit: 10 })).data;
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.incident_message).toMatch(/more than 100 elements in one command without reaching a wait state/);
    // start event and call activity of each: the 101st element entered along the path of calls is the 51st start event
    expect((await engine().listInstances({ process_definition_key: 'again', limit: 1 })).total).toBe(51);
    expect((await engine().listInstances({ super_instance_id: started.id })).total).toBe(1);
  });
});

describe.each(testBackends())('the step limit of a command on %s', (backend) => {
  const engine = engineUnderTest(backend, 'step-limit', [endlessLoop]);

  it('stops a loop without wait states after 10,000 elements with a failedInstruction incident', async () => {
    const started = await engine().startInstance({ process_definition_key: 'spin', variables: { n: { value: 0 }, stop: { value: false } } });
    expect(started.status).toBe('active');
    const details = await engine().getInstance(started.id);
    expect(details.execution_path).toHaveLength(10_001);
    const [incident] = details.incidents;
    expect(incident).toMatchObject({ incident_type: 'failedInstruction', status: 'open' });
    expect(incident!.incident_message).toContain('10000');
    // start, then (count, more) pairs: the last element entered is the 10,001st
    expect(details.variables.n?.value).toBe(5_000);

    await engine().updateVariables(started.id, [{ variable_name: 'stop', value: true }]);
    const resolved = await engine().resolveIncident(incident!.id, { resolution_type: 'retry' });
    expect(resolved.status).toBe('resolved');
    const after = await engine().getInstance(started.id);
    expect(after.status).toBe('completed');
    expect(after.execution_path.at(-1)?.activity_id).toBe('end');
  });
});
