// What the model compiler reads of the constructs it knows: those the interpreter does not run yet are
// refused, but still parsed fully, so that enabling one is a matter of widening supported-elements.ts.
import { describe, expect, it } from 'vitest';
import { draftOf, flow, processXml } from './bpmn-documents.js';

const roots = `
  <bpmn:signal id="Signal_1" name="alarm" />
  <bpmn:escalation id="Escalation_1" name="Late" escalationCode="LATE" />
  <bpmn:message id="Message_1" name="cancel" />`;

describe('parsing constructs that are refused', () => {
  it('parses timer, signal, escalation, conditional, compensation and link events', async () => {
    const { model } = await draftOf(processXml(`
      <bpmn:startEvent id="Timer"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:startEvent id="OnSignal"><bpmn:signalEventDefinition signalRef="Signal_1" /></bpmn:startEvent>
      ${flow('f1', 'Timer', 'Work')}${flow('f2', 'OnSignal', 'Work')}
      <bpmn:task id="Work" />
      <bpmn:boundaryEvent id="Deadline" attachedToRef="Work" cancelActivity="false">
        <bpmn:timerEventDefinition><bpmn:timeDuration>\${wait}</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="Undo" attachedToRef="Work"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
      <bpmn:task id="Compensate" isForCompensation="true" />
      ${flow('f3', 'Work', 'Escalate')}
      <bpmn:intermediateThrowEvent id="Escalate"><bpmn:escalationEventDefinition escalationRef="Escalation_1" /></bpmn:intermediateThrowEvent>
      ${flow('f4', 'Escalate', 'WaitFor')}
      <bpmn:intermediateCatchEvent id="WaitFor"><bpmn:conditionalEventDefinition><bpmn:condition>\${ready}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>
      ${flow('f5', 'WaitFor', 'Jump')}
      <bpmn:intermediateThrowEvent id="Jump"><bpmn:linkEventDefinition name="L" /></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="Land"><bpmn:linkEventDefinition name="L" /></bpmn:intermediateCatchEvent>
      ${flow('f6', 'Land', 'Undone')}
      <bpmn:endEvent id="Undone"><bpmn:compensateEventDefinition activityRef="Work" waitForCompletion="false" /></bpmn:endEvent>`, roots));
    const definition = (id: string) => model.elements.get(id)?.eventDefinition;
    expect(definition('Timer')).toEqual({ kind: 'timer', timeCycle: { source: 'R3/PT1H', literal: 'R3/PT1H' } });
    expect(definition('OnSignal')).toEqual({ kind: 'signal', signalName: { source: 'alarm', literal: 'alarm' } });
    expect(definition('Deadline')).toEqual({ kind: 'timer', timeDuration: { source: '${wait}', feel: 'wait' } });
    expect(model.elements.get('Deadline')).toMatchObject({ cancelActivity: false, attachedTo: 'Work' });
    expect(definition('Undo')).toEqual({ kind: 'compensate', waitForCompletion: true });
    expect(model.elements.get('Compensate')?.isForCompensation).toBe(true);
    expect(definition('Escalate')).toEqual({ kind: 'escalation', escalationCode: 'LATE' });
    expect(definition('WaitFor')).toEqual({ kind: 'conditional', condition: { source: '${ready}', feel: 'ready' } });
    expect(definition('Jump')).toEqual({ kind: 'link', linkName: 'L' });
    expect(definition('Undone')).toEqual({ kind: 'compensate', activityRef: 'Work', waitForCompletion: false });
    expect(model.timerStartEvents).toEqual(['Timer']);
    expect(model.signalStartEvents).toEqual(['OnSignal']);
    expect(model.noneStartEvent).toBeUndefined();
  });

  it('parses Camunda 7 multi-instance loops and call activities', async () => {
    const { model } = await draftOf(processXml(`
      <bpmn:startEvent id="Start" />${flow('f1', 'Start', 'Call')}
      <bpmn:callActivity id="Call" calledElement="\${childKey}" camunda:calledElementBinding="version" camunda:calledElementVersion="3">
        <bpmn:extensionElements>
          <camunda:in variables="all" />
          <camunda:in source="order" target="childOrder" />
          <camunda:in sourceExpression="\${total * 2}" target="double" />
          <camunda:in businessKey="\${orderId}" />
          <camunda:out source="result" target="childResult" />
        </bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="\${items}" camunda:elementVariable="item">
          <bpmn:completionCondition>\${nrOfCompletedInstances >= 2}</bpmn:completionCondition>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:callActivity>
      ${flow('f2', 'Call', 'End')}<bpmn:endEvent id="End" />`));
    const call = model.elements.get('Call')!;
    expect(call.calledElement).toEqual({
      processKey: { source: '${childKey}', feel: 'childKey' },
      binding: 'version',
      version: 3,
      inputs: [
        { variable: 'order', target: 'childOrder', local: false },
        { expression: { source: '${total * 2}', feel: 'total * 2' }, target: 'double', local: false },
      ],
      outputs: [{ variable: 'result', target: 'childResult', local: false }],
      inputAll: 'all',
      outputAll: 'none',
      businessKey: { source: '${orderId}', feel: 'orderId' },
      outputsOnThrow: true,
    });
    expect(call.multiInstance).toEqual({
      sequential: true,
      collection: { source: '${items}', feel: 'items' },
      elementVariable: 'item',
      // EL's `null >= 2` is false; without the variable at all, the comparison as written decides
      completionCondition: {
        source: '${nrOfCompletedInstances >= 2}',
        feel: 'if nrOfCompletedInstances = null then false else nrOfCompletedInstances >= 2',
        strict: 'nrOfCompletedInstances >= 2',
      },
    });
  });

  it('parses Zeebe multi-instance loops and call activities', async () => {
    const { model } = await draftOf(processXml(`
      <bpmn:startEvent id="Start" />${flow('f1', 'Start', 'Call')}
      <bpmn:callActivity id="Call">
        <bpmn:extensionElements>
          <zeebe:calledElement processId="=childKey" propagateAllChildVariables="false" />
          <zeebe:ioMapping><zeebe:input source="=order" target="childOrder" /></zeebe:ioMapping>
        </bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics>
          <bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=result" />
          </bpmn:extensionElements>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:callActivity>
      ${flow('f2', 'Call', 'Loop')}
      <bpmn:task id="Loop"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:task>
      ${flow('f3', 'Loop', 'End')}<bpmn:endEvent id="End" />`));
    const call = model.elements.get('Call')!;
    expect(call.calledElement).toEqual({
      processKey: { source: '=childKey', feel: 'childKey' }, binding: 'latest', inputs: [], outputs: [], inputAll: 'all', outputAll: 'none',
      outputsOnThrow: false,
    });
    expect(call.inputs).toEqual([{ source: { source: '=order', feel: 'order' }, target: 'childOrder' }]);
    expect(call.multiInstance).toEqual({
      sequential: false,
      collection: { source: '=items', feel: 'items' },
      elementVariable: 'item',
      outputCollection: 'results',
      outputElement: { source: '=result', feel: 'result' },
    });
    expect(model.elements.get('Loop')?.multiInstance).toEqual({ sequential: false, loopCardinality: { source: '3', feel: '3' } });
  });

  it('parses event sub-processes as scopes of their own', async () => {
    const { model } = await draftOf(processXml(`
      <bpmn:startEvent id="Start" />${flow('f1', 'Start', 'End')}<bpmn:endEvent id="End" />
      <bpmn:subProcess id="OnCancel" triggeredByEvent="true">
        <bpmn:startEvent id="CancelStart" isInterrupting="false"><bpmn:messageEventDefinition messageRef="Message_1" /></bpmn:startEvent>
        ${flow('e1', 'CancelStart', 'CancelEnd')}<bpmn:endEvent id="CancelEnd" />
      </bpmn:subProcess>`, roots));
    expect(model.elements.get('OnCancel')).toMatchObject({ triggeredByEvent: true });
    expect(model.elements.get('CancelStart')).toMatchObject({ isInterrupting: false, scopeId: 'OnCancel' });
    expect(model.scopes.get('Process_1')?.eventSubProcesses).toEqual(['OnCancel']);
    expect(model.scopes.get('OnCancel')?.children).toEqual(['CancelStart', 'CancelEnd']);
    expect(model.messageStartEvents).toEqual([]);
  });
});
