// An event definition declared at the top level of the file and referenced by an event's
// eventDefinitionRef means what the same definition written inside the event means.
import { describe, expect, it } from 'vitest';
import { compileOne, draftOf, flow, problemsOf, processXml } from './bpmn-documents.js';

const roots = `
  <bpmn:message id="Msg" name="order-placed" />
  <bpmn:signal id="Sig" name="alarm" />
  <bpmn:error id="Err" errorCode="E42" />
  <bpmn:escalation id="Esc" escalationCode="LATE" />`;

/** A process around `event`: a start event, and a task boundary events can be attached to. */
const around = (event: string) => `<bpmn:startEvent id="Start" />${flow('f_start', 'Start', 'Task')}<bpmn:task id="Task" />${event}`;

/** The event `<type id="E" attributes>` with `definition` written inside it, or declared at the top level and referenced. */
function bothForms(type: string, attributes: string, definition: string): { inline: string; referenced: string } {
  return {
    inline: processXml(around(`<bpmn:${type} id="E" ${attributes}>${definition}</bpmn:${type}>`), roots),
    referenced: processXml(
      around(`<bpmn:${type} id="E" ${attributes}><bpmn:eventDefinitionRef>Def_1</bpmn:eventDefinitionRef></bpmn:${type}>`),
      roots + definition.replace(/^<bpmn:(\w+)/, '<bpmn:$1 id="Def_1"'),
    ),
  };
}

describe('eventDefinitionRef', () => {
  it.each([
    ['a message start event', 'startEvent', '', '<bpmn:messageEventDefinition messageRef="Msg" />', 'startEvent:message'],
    ['a message catch event', 'intermediateCatchEvent', '', '<bpmn:messageEventDefinition messageRef="Msg" />', 'intermediateCatchEvent:message'],
    ['a timer catch event', 'intermediateCatchEvent', '', '<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>', 'intermediateCatchEvent:timer'],
    ['a timer start event', 'startEvent', '', '<bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>', 'startEvent:timer'],
    ['a non-interrupting timer boundary event', 'boundaryEvent', 'attachedToRef="Task" cancelActivity="false"',
      '<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT5M</bpmn:timeCycle></bpmn:timerEventDefinition>', 'boundaryEvent:timer'],
    ['an error boundary event', 'boundaryEvent', 'attachedToRef="Task"',
      '<bpmn:errorEventDefinition errorRef="Err" camunda:errorCodeVariable="code" />', 'boundaryEvent:error'],
    ['a signal catch event', 'intermediateCatchEvent', '', '<bpmn:signalEventDefinition signalRef="Sig" />', 'intermediateCatchEvent:signal'],
    ['a signal throw event', 'intermediateThrowEvent', '', '<bpmn:signalEventDefinition signalRef="Sig" />', 'intermediateThrowEvent:signal'],
    ['an escalation end event', 'endEvent', '', '<bpmn:escalationEventDefinition escalationRef="Esc" />', 'endEvent:escalation'],
    ['a terminate end event', 'endEvent', '', '<bpmn:terminateEventDefinition />', 'endEvent:terminate'],
    ['a conditional catch event', 'intermediateCatchEvent', '', '<bpmn:conditionalEventDefinition><bpmn:condition>${ready}</bpmn:condition></bpmn:conditionalEventDefinition>',
      'intermediateCatchEvent:conditional'],
    ['a message end event worked externally', 'endEvent', '',
      '<bpmn:messageEventDefinition messageRef="Msg" camunda:type="external" camunda:topic="notify" />', 'endEvent:message:external'],
  ])('compiles %s as if the definition were inline', async (_title, type, attributes, definition, key) => {
    const { inline, referenced } = bothForms(type, attributes, definition);
    const [expected, actual] = await Promise.all([draftOf(inline), draftOf(referenced)]);
    expect(actual.records.get('E')?.constructs.map((construct) => construct.key)).toEqual([key]);
    expect(actual.records.get('E')).toEqual(expected.records.get('E'));
    expect(actual.model.elements.get('E')).toEqual(expected.model.elements.get('E'));
    expect(actual.model.elements.get('E')?.eventDefinition.kind).not.toBe('none');
  });

  it('lets several events share one definition', async () => {
    const model = await compileOne(processXml(`
      <bpmn:startEvent id="Start" />${flow('f1', 'Start', 'First')}
      <bpmn:intermediateCatchEvent id="First"><bpmn:eventDefinitionRef>Placed</bpmn:eventDefinitionRef></bpmn:intermediateCatchEvent>
      ${flow('f2', 'First', 'Second')}
      <bpmn:intermediateCatchEvent id="Second"><bpmn:eventDefinitionRef>Placed</bpmn:eventDefinitionRef></bpmn:intermediateCatchEvent>
      ${flow('f3', 'Second', 'End')}<bpmn:endEvent id="End" />`,
    `${roots}<bpmn:messageEventDefinition id="Placed" messageRef="Msg" />`));
    const messageName = { source: 'order-placed', literal: 'order-placed' };
    expect(model.elements.get('First')?.eventDefinition).toEqual({ kind: 'message', messageName });
    expect(model.elements.get('Second')?.eventDefinition).toEqual({ kind: 'message', messageName });
  });

  it.each([
    ['an inline definition and a reference', '<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition><bpmn:eventDefinitionRef>Placed</bpmn:eventDefinitionRef>'],
    ['two references', '<bpmn:eventDefinitionRef>Placed</bpmn:eventDefinitionRef><bpmn:eventDefinitionRef>Placed</bpmn:eventDefinitionRef>'],
  ])('counts %s as several definitions', async (_title, content) => {
    const problems = await problemsOf(processXml(
      around(`${flow('f1', 'Task', 'E')}<bpmn:intermediateCatchEvent id="E">${content}</bpmn:intermediateCatchEvent>`),
      `${roots}<bpmn:messageEventDefinition id="Placed" messageRef="Msg" />`,
    ));
    expect(problems).toEqual([{
      element_id: 'E',
      message: "intermediateCatchEvent 'E': an intermediateCatchEvent with several event definitions is not supported by this engine",
    }]);
  });

  it('refuses a reference to nothing, naming the event once', async () => {
    const problems = await problemsOf(processXml(
      around(`${flow('f1', 'Task', 'E')}<bpmn:intermediateCatchEvent id="E"><bpmn:eventDefinitionRef>Nothing</bpmn:eventDefinitionRef></bpmn:intermediateCatchEvent>`),
      roots,
    ));
    expect(problems).toEqual([{ element_id: 'E', message: "intermediateCatchEvent 'E' refers to 'Nothing' (eventDefinitionRef), which does not exist" }]);
  });

  it('refuses a reference to something that is not an event definition, naming the event once', async () => {
    const problems = await problemsOf(processXml(
      around(`${flow('f1', 'Task', 'E')}<bpmn:intermediateCatchEvent id="E"><bpmn:eventDefinitionRef>Msg</bpmn:eventDefinitionRef></bpmn:intermediateCatchEvent>`),
      roots,
    ));
    expect(problems).toEqual([{
      element_id: 'E',
      message: "The eventDefinitionRef of intermediateCatchEvent 'E' points to message 'Msg', which is not an event definition",
    }]);
  });
});
