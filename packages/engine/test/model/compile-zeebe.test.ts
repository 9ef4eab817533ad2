import { describe, expect, it } from 'vitest';
import { compileOne, definitions, flow } from './bpmn-documents.js';

// An order process as Camunda Modeler writes it for Camunda 8 (Zeebe), in a collaboration.
const order = definitions(`
  <bpmn:collaboration id="Collaboration_1">
    <bpmn:participant id="Pool" name="Order handling" processRef="Order" />
  </bpmn:collaboration>
  <bpmn:process id="Order" isExecutable="true">
    <bpmn:extensionElements><zeebe:versionTag value="v2" /></bpmn:extensionElements>
    <bpmn:laneSet id="Lanes"><bpmn:lane id="Lane_1"><bpmn:flowNodeRef>Start</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="Start">
      <bpmn:extensionElements><zeebe:formDefinition formId="order-form" /></bpmn:extensionElements>
    </bpmn:startEvent>
    ${flow('f1', 'Start', 'Check')}
    <bpmn:userTask id="Check" name="Check order">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition assignee="=customer.owner" candidateGroups="sales,  support" candidateUsers="=reviewers" />
        <zeebe:taskSchedule dueDate="=now() + duration(&quot;P2D&quot;)" followUpDate="2026-12-01T10:00:00Z" />
        <zeebe:priorityDefinition priority="75" />
        <zeebe:formDefinition formKey="camunda-forms:bpmn:Form_Check" />
        <zeebe:ioMapping>
          <zeebe:input source="=order.total" target="total" />
          <zeebe:input source="static" target="channel" />
          <zeebe:output source="=approved" target="orderApproved" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:userTask>
    ${flow('f2', 'Check', 'Gateway')}
    <bpmn:exclusiveGateway id="Gateway" default="f4" />
    ${flow('f3', 'Gateway', 'Charge', '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=orderApproved = true</bpmn:conditionExpression>')}
    ${flow('f4', 'Gateway', 'Total')}
    <bpmn:serviceTask id="Charge" name="Charge card">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="=&quot;charge-&quot; + region" retries="7" />
        <zeebe:taskHeaders><zeebe:header key="k" value="v" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    ${flow('f5', 'Charge', 'Total')}
    <bpmn:scriptTask id="Total">
      <bpmn:extensionElements><zeebe:script expression="=sum(order.items.price)" resultVariable="sum" /></bpmn:extensionElements>
    </bpmn:scriptTask>
    ${flow('f6', 'Total', 'Notify')}
    <bpmn:intermediateThrowEvent id="Notify">
      <bpmn:extensionElements><zeebe:taskDefinition type="notify" /></bpmn:extensionElements>
      <bpmn:messageEventDefinition />
    </bpmn:intermediateThrowEvent>
    ${flow('f7', 'Notify', 'End')}
    <bpmn:endEvent id="End" />
  </bpmn:process>
`);

describe('compiling a Camunda 8 model', () => {
  it('names the process after its pool and reads the version tag', async () => {
    const model = await compileOne(order);
    expect(model).toMatchObject({ id: 'Order', name: 'Order handling', versionTag: 'v2', noneStartEvent: 'Start' });
    expect(model.startForm).toEqual({ key: 'order-form', fields: [], link: { formId: 'order-form', binding: 'latest' } });
  });

  it('compiles a user task from zeebe:assignmentDefinition, taskSchedule, priorityDefinition and formDefinition', async () => {
    const task = (await compileOne(order)).elements.get('Check')!;
    expect(task.userTask).toEqual({
      assignee: { source: '=customer.owner', feel: 'customer.owner' },
      candidateUsers: [{ source: '=reviewers', feel: 'reviewers' }],
      candidateGroups: [{ source: 'sales', literal: 'sales' }, { source: 'support', literal: 'support' }],
      dueDate: { source: '=now() + duration("P2D")', feel: 'now() + duration("P2D")' },
      followUpDate: { source: '2026-12-01T10:00:00Z', literal: '2026-12-01T10:00:00Z' },
      priority: { source: '75', literal: '75' },
      formKey: 'camunda-forms:bpmn:Form_Check',
      formFields: [],
    });
    expect(task.inputs).toEqual([
      { source: { source: '=order.total', feel: 'order.total' }, target: 'total' },
      { source: { source: 'static', literal: 'static' }, target: 'channel' },
    ]);
    expect(task.outputs).toEqual([{ source: { source: '=approved', feel: 'approved' }, target: 'orderApproved' }]);
  });

  it('compiles FEEL conditions', async () => {
    const model = await compileOne(order);
    expect(model.flows.get('f3')?.condition).toEqual({ source: '=orderApproved = true', feel: 'orderApproved = true' });
  });

  it('compiles zeebe:taskDefinition as an external task with its retries', async () => {
    const model = await compileOne(order);
    expect(model.elements.get('Charge')?.externalTask).toEqual({ topic: { source: '="charge-" + region', feel: '"charge-" + region' }, retries: 7 });
    expect(model.elements.get('Notify')).toMatchObject({
      eventDefinition: { kind: 'message', messageName: { source: '', literal: '' } },
      externalTask: { topic: { source: 'notify', literal: 'notify' } },
    });
  });

  it('compiles zeebe:script as a FEEL script', async () => {
    const model = await compileOne(order);
    expect(model.elements.get('Total')?.script).toEqual({
      format: 'feel', script: { source: '=sum(order.items.price)', feel: 'sum(order.items.price)' }, resultVariable: 'sum',
    });
  });

  it('skips processes marked not executable', async () => {
    const xml = order.replace('<bpmn:process id="Order" isExecutable="true">', '<bpmn:process id="Other" isExecutable="false"><bpmn:startEvent id="S2" /></bpmn:process><bpmn:process id="Order">');
    const model = await compileOne(xml);
    expect(model.id).toBe('Order');
  });
});
