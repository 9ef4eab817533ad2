// A value an expression computes at run time that its column cannot hold (a name too long, a date outside
// the years 1 to 9999, a priority past INTEGER) stops the token with a failedInstruction incident naming
// the element, and the command that reached it commits, instead of failing as a whole.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const model = (id: string, element: string, roots = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d_${id}" targetNamespace="t">
  ${roots}<bpmn:process id="${id}" isExecutable="true"><bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="x" />${element}</bpmn:process>
</bpmn:definitions>`;

interface Case { key: string; element: string; value: unknown; message: RegExp; roots?: string }

const cases: Case[] = [
  { key: 'assignee', element: '<bpmn:userTask id="x" camunda:assignee="${v}" />', value: 'w'.repeat(256), message: /the assignee of 'x' has 256 characters; at most 255 can be stored/ },
  { key: 'candidates', element: '<bpmn:userTask id="x" camunda:candidateGroups="${v}" />', value: 'ok, bad\u0000group', message: /the candidate group of 'x' contains a NUL character/ },
  { key: 'due_date', element: '<bpmn:userTask id="x" camunda:dueDate="${v}" />', value: '0000-06-01T00:00:00Z', message: /the due date of 'x' is not a date from the year 1 to 9999/ },
  { key: 'priority', element: '<bpmn:userTask id="x" camunda:priority="${v}" />', value: 2 ** 31, message: /the priority of 'x' is not an integer from -2147483647 to 2147483647/ },
  { key: 'topic', element: '<bpmn:serviceTask id="x" camunda:type="external" camunda:topic="${v}" />', value: 't'.repeat(300), message: /the topic of 'x' has 300 characters/ },
  { key: 'called_element', element: '<bpmn:callActivity id="x" calledElement="${v}" />', value: 'called\u0000process', message: /the called element of 'x' contains a NUL character/ },
  {
    key: 'called_tenant', element: '<bpmn:callActivity id="x" calledElement="anything" camunda:calledElementTenantId="${v}" />',
    value: 'tenant\u0000x', message: /the called element tenant id of 'x' contains a NUL character/,
  },
  { key: 'message', element: '<bpmn:receiveTask id="x" messageRef="M" />', value: 'm'.repeat(300), message: /the message name of 'x' has 300 characters/, roots: '<bpmn:message id="M" name="${v}" />' },
];

describe.each(testBackends())('run-time values too large for their column, on %s', (backend) => {
  const engine = engineUnderTest(backend, 'storable-values', cases.map(({ key, element, roots }) => model(key, element, roots)));

  it.each(cases)('$key: a failedInstruction incident naming the element', async ({ key, value, message }) => {
    const started = await engine().startInstance({ process_definition_key: key, variables: { v: { value } } });
    const { data } = await engine().listIncidents({ process_instance_id: started.id });
    expect(data).toEqual([expect.objectContaining({ incident_type: 'failedInstruction', activity_id: 'x', incident_message: expect.stringMatching(message) })]);
  });
});
