import { describe, expect, it } from 'vitest';
import { compileOne, flow, processXml } from './bpmn-documents.js';

// An invoice process as Camunda Modeler 5 writes it for Camunda 7.
const invoice = processXml(
  `
  <bpmn:documentation>Pays approved invoices.</bpmn:documentation>
  <bpmn:startEvent id="Start" name="Invoice received" camunda:formKey="embedded:app:forms/start.html">
    <bpmn:extensionElements>
      <camunda:formData>
        <camunda:formField id="amount" label="Amount" type="long" defaultValue="10">
          <camunda:validation><camunda:constraint name="required" /><camunda:constraint name="min" config="1" /></camunda:validation>
        </camunda:formField>
        <camunda:formField id="currency" label="Currency" type="enum">
          <camunda:value id="EUR" name="Euro" /><camunda:value id="USD" name="Dollar" />
        </camunda:formField>
        <camunda:formField id="urgent" type="boolean" />
      </camunda:formData>
    </bpmn:extensionElements>
    <bpmn:outgoing>Flow_1</bpmn:outgoing>
  </bpmn:startEvent>
  ${flow('Flow_1', 'Start', 'Approve')}
  <bpmn:userTask id="Approve" name="Approve invoice" camunda:assignee="\${initiator}" camunda:candidateUsers="mary"
      camunda:candidateGroups="accounting, management" camunda:dueDate="\${dueDate}" camunda:followUpDate="2026-12-01T00:00:00Z"
      camunda:priority="80" camunda:formKey="camunda-forms:deployment:approve.form" camunda:asyncAfter="true">
    <bpmn:documentation>Check the amount.</bpmn:documentation>
    <bpmn:extensionElements>
      <camunda:inputOutput>
        <camunda:inputParameter name="limit">1000</camunda:inputParameter>
        <camunda:inputParameter name="owner">\${creditor}</camunda:inputParameter>
        <camunda:inputParameter name="empty" />
        <camunda:inputParameter name="reviewers">
          <camunda:list><camunda:value>mary</camunda:value><camunda:value>\${boss}</camunda:value></camunda:list>
        </camunda:inputParameter>
        <camunda:inputParameter name="address">
          <camunda:map><camunda:entry key="city">Bonn</camunda:entry><camunda:entry key="zip">\${zip}</camunda:entry></camunda:map>
        </camunda:inputParameter>
        <camunda:outputParameter name="approved">\${decision == "yes"}</camunda:outputParameter>
      </camunda:inputOutput>
    </bpmn:extensionElements>
  </bpmn:userTask>
  ${flow('Flow_2', 'Approve', 'Decide')}
  <bpmn:exclusiveGateway id="Decide" default="Flow_no" />
  ${flow('Flow_yes', 'Decide', 'Pay', '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${approved &amp;&amp; amount &lt;= 1000}</bpmn:conditionExpression>')}
  ${flow('Flow_no', 'Decide', 'Rejected')}
  <bpmn:serviceTask id="Pay" name="Pay" camunda:type="external" camunda:topic="payments" camunda:asyncBefore="true">
    <bpmn:extensionElements><camunda:failedJobRetryTimeCycle>R5/PT5M</camunda:failedJobRetryTimeCycle></bpmn:extensionElements>
  </bpmn:serviceTask>
  <bpmn:boundaryEvent id="PaymentFailed" attachedToRef="Pay">
    <bpmn:errorEventDefinition errorRef="Error_Payment" />
  </bpmn:boundaryEvent>
  ${flow('Flow_3', 'Pay', 'Log')}
  ${flow('Flow_failed', 'PaymentFailed', 'Rejected')}
  <bpmn:scriptTask id="Log" scriptFormat="feel" camunda:resultVariable="summary">
    <bpmn:script>"paid " + string(amount)</bpmn:script>
  </bpmn:scriptTask>
  ${flow('Flow_4', 'Log', 'Paid')}
  <bpmn:endEvent id="Paid">
    <bpmn:messageEventDefinition messageRef="Message_Paid" camunda:type="external" camunda:topic="notify-paid" />
  </bpmn:endEvent>
  <bpmn:endEvent id="Rejected"><bpmn:terminateEventDefinition /></bpmn:endEvent>
`,
  `<bpmn:error id="Error_Payment" name="Payment failed" errorCode="PAYMENT_FAILED" camunda:errorMessage="card declined" />
  <bpmn:message id="Message_Paid" name="invoice-paid" />`,
);

describe('compiling a Camunda 7 model', () => {
  it('fills the process fields', async () => {
    const model = await compileOne(invoice);
    expect(model.id).toBe('Process_1');
    expect(model.name).toBe('Process one');
    expect(model.documentation).toBe('Pays approved invoices.');
    expect(model.noneStartEvent).toBe('Start');
    expect(model.messageStartEvents).toEqual([]);
    expect([...model.elements.keys()]).toEqual(['Start', 'Approve', 'Decide', 'Pay', 'PaymentFailed', 'Log', 'Paid', 'Rejected']);
    expect([...model.flows.keys()]).toEqual(['Flow_1', 'Flow_2', 'Flow_yes', 'Flow_no', 'Flow_3', 'Flow_failed', 'Flow_4']);
  });

  it('reads the start form from the none start event', async () => {
    const model = await compileOne(invoice);
    expect(model.startForm).toEqual({
      key: 'embedded:app:forms/start.html',
      fields: [
        {
          id: 'amount', label: 'Amount', type: 'number', value_type: 'Long', required: true, default_value: '10',
          validation_rules: [{ name: 'required' }, { name: 'min', config: '1' }],
        },
        { id: 'currency', label: 'Currency', type: 'select', value_type: 'String', required: false, options: ['EUR', 'USD'] },
        { id: 'urgent', label: 'urgent', type: 'boolean', value_type: 'Boolean', required: false },
      ],
    });
  });

  it('compiles a user task with its assignment, dates, form and mappings', async () => {
    const model = await compileOne(invoice);
    expect(model.elements.get('Approve')).toEqual({
      id: 'Approve',
      name: 'Approve invoice',
      kind: 'userTask',
      scopeId: 'Process_1',
      incoming: ['Flow_1'],
      outgoing: ['Flow_2'],
      eventDefinition: { kind: 'none' },
      cancelActivity: false,
      boundaryEvents: [],
      asyncBefore: false,
      asyncAfter: true,
      inputs: [
        { target: 'limit', source: { source: '1000', literal: '1000' } },
        { target: 'owner', source: { source: '${creditor}', feel: 'creditor' } },
        { target: 'empty', source: { source: '', feel: 'null' } },
        { target: 'reviewers', source: { source: '["mary", (boss)]', feel: '["mary", (boss)]' } },
        { target: 'address', source: { source: '{"city": "Bonn", "zip": (zip)}', feel: '{"city": "Bonn", "zip": (zip)}' } },
      ],
      outputs: [{ target: 'approved', source: { source: '${decision == "yes"}', feel: 'decision = "yes"' } }],
      documentation: 'Check the amount.',
      userTask: {
        assignee: { source: '${initiator}', feel: 'initiator' },
        candidateUsers: [{ source: 'mary', literal: 'mary' }],
        candidateGroups: [{ source: 'accounting', literal: 'accounting' }, { source: 'management', literal: 'management' }],
        dueDate: { source: '${dueDate}', feel: 'dueDate' },
        followUpDate: { source: '2026-12-01T00:00:00Z', literal: '2026-12-01T00:00:00Z' },
        priority: { source: '80', literal: '80' },
        formKey: 'camunda-forms:deployment:approve.form',
        formFields: [],
      },
      triggeredByEvent: false,
      isInterrupting: true,
      isForCompensation: false,
    });
  });

  it('compiles gateway conditions and the default flow', async () => {
    const model = await compileOne(invoice);
    expect(model.elements.get('Decide')).toMatchObject({ kind: 'exclusiveGateway', defaultFlow: 'Flow_no', outgoing: ['Flow_yes', 'Flow_no'] });
    expect(model.flows.get('Flow_yes')).toEqual({
      id: 'Flow_yes', name: '', sourceRef: 'Decide', targetRef: 'Pay',
      condition: {
        source: '${approved && amount <= 1000}',
        feel: '(approved = true) and (if amount = null then false else amount <= 1000)',
        strict: 'approved and (amount <= 1000)',
      },
    });
    expect(model.flows.get('Flow_no')).toEqual({ id: 'Flow_no', name: '', sourceRef: 'Decide', targetRef: 'Rejected' });
  });

  it('compiles an external service task with retries from the retry cycle', async () => {
    const model = await compileOne(invoice);
    expect(model.elements.get('Pay')).toMatchObject({
      kind: 'serviceTask',
      asyncBefore: true,
      boundaryEvents: ['PaymentFailed'],
      externalTask: { topic: { source: 'payments', literal: 'payments' }, retries: 5, retryTimeCycle: 'R5/PT5M' },
    });
  });

  it('compiles an error boundary event with its code and message', async () => {
    const model = await compileOne(invoice);
    expect(model.elements.get('PaymentFailed')).toMatchObject({
      kind: 'boundaryEvent',
      attachedTo: 'Pay',
      cancelActivity: true,
      eventDefinition: { kind: 'error', errorCode: 'PAYMENT_FAILED', errorMessage: { source: 'card declined', literal: 'card declined' } },
      outgoing: ['Flow_failed'],
    });
  });

  it('compiles a FEEL script task with its result variable', async () => {
    const model = await compileOne(invoice);
    expect(model.elements.get('Log')?.script).toEqual({
      format: 'feel', script: { source: '"paid " + string(amount)', feel: '"paid " + string(amount)' }, resultVariable: 'summary',
    });
  });

  it('compiles end events: a message worked externally, a terminate', async () => {
    const model = await compileOne(invoice);
    expect(model.elements.get('Paid')).toMatchObject({
      eventDefinition: { kind: 'message', messageName: { source: 'invoice-paid', literal: 'invoice-paid' } },
      externalTask: { topic: { source: 'notify-paid', literal: 'notify-paid' } },
    });
    expect(model.elements.get('Rejected')).toMatchObject({ eventDefinition: { kind: 'terminate' }, incoming: ['Flow_no', 'Flow_failed'] });
  });

  it('accepts camunda:async as async before, and expressions in candidate lists', async () => {
    const model = await compileOne(
      processXml(`
        <bpmn:startEvent id="Start" />${flow('f1', 'Start', 'Task')}
        <bpmn:userTask id="Task" camunda:async="true" camunda:candidateGroups="\${group}, sales,,  " camunda:candidateUsers="\${a}, \${b == 'x' ? 'y' : 'z'}" />
        ${flow('f2', 'Task', 'End')}<bpmn:endEvent id="End" />`),
    );
    const task = model.elements.get('Task')!;
    expect(task.asyncBefore).toBe(true);
    expect(task.userTask?.candidateGroups).toEqual([{ source: '${group}', feel: 'group' }, { source: 'sales', literal: 'sales' }]);
    expect(task.userTask?.candidateUsers).toEqual([
      { source: '${a}', feel: 'a' },
      { source: "${b == 'x' ? 'y' : 'z'}", feel: 'if (b = "x") then "y" else "z"' },
    ]);
  });

  it('compiles receive tasks, message starts, sub-processes and inclusive gateways', async () => {
    const model = await compileOne(
      processXml(
        `
        <bpmn:startEvent id="Start"><bpmn:messageEventDefinition messageRef="Message_Order" /></bpmn:startEvent>
        ${flow('f1', 'Start', 'Split')}
        <bpmn:inclusiveGateway id="Split" default="f3" />
        ${flow('f2', 'Split', 'Wait', '<bpmn:conditionExpression>${express}</bpmn:conditionExpression>')}
        ${flow('f3', 'Split', 'Sub')}
        <bpmn:receiveTask id="Wait" messageRef="Message_Paid" />
        <bpmn:subProcess id="Sub">
          <bpmn:startEvent id="SubStart" />${flow('s1', 'SubStart', 'SubEnd')}<bpmn:endEvent id="SubEnd" />
        </bpmn:subProcess>
        ${flow('f4', 'Wait', 'Join')}${flow('f5', 'Sub', 'Join')}
        <bpmn:inclusiveGateway id="Join" />${flow('f6', 'Join', 'End')}<bpmn:endEvent id="End" />`,
        '<bpmn:message id="Message_Order" name="order-placed" /><bpmn:message id="Message_Paid" name="${\'paid-\' + orderId}" />',
      ),
    );
    expect(model.noneStartEvent).toBeUndefined();
    expect(model.messageStartEvents).toEqual(['Start']);
    expect(model.elements.get('Wait')?.eventDefinition).toEqual({ kind: 'message', messageName: { source: "${'paid-' + orderId}", feel: '"paid-" + orderId' } });
    expect(model.elements.get('Sub')).toMatchObject({ kind: 'subProcess', noneStartEvent: 'SubStart', triggeredByEvent: false });
    expect(model.elements.get('SubEnd')).toMatchObject({ scopeId: 'Sub', incoming: ['s1'] });
    expect(model.scopes.get('Sub')).toMatchObject({ id: 'Sub', children: ['SubStart', 'SubEnd'], noneStartEvent: 'SubStart', eventSubProcesses: [] });
    expect(model.scopes.get('Process_1')?.children).toEqual(['Start', 'Split', 'Wait', 'Sub', 'Join', 'End']);
    expect(model.flows.get('f2')?.condition).toEqual({ source: '${express}', feel: 'express' });
  });
});
