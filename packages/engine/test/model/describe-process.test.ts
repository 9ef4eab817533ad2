import { describe, expect, it } from 'vitest';
import { describeTasks, startForm } from '../../src/model/describe-process.js';
import { compileOne, flow, processXml } from './bpmn-documents.js';

const model = compileOne(
  processXml(
    `
  <bpmn:startEvent id="Start" camunda:formKey="start-form">
    <bpmn:extensionElements><camunda:formData><camunda:formField id="name" label="Name" type="string" /></camunda:formData></bpmn:extensionElements>
  </bpmn:startEvent>
  ${flow('f1', 'Start', 'Review')}
  <bpmn:userTask id="Review" name="Review" camunda:assignee="\${initiator}" camunda:candidateGroups="sales, support" camunda:candidateUsers="ann" camunda:formKey="review-form">
    <bpmn:documentation>Look at it.</bpmn:documentation>
  </bpmn:userTask>
  ${flow('f2', 'Review', 'Charge')}
  <bpmn:serviceTask id="Charge" name="Charge" camunda:type="external" camunda:topic="charge" />
  ${flow('f3', 'Charge', 'Sub')}
  <bpmn:subProcess id="Sub">
    <bpmn:startEvent id="SubStart" />${flow('s1', 'SubStart', 'Plain')}
    <bpmn:task id="Plain" />${flow('s2', 'Plain', 'Decide')}
    <bpmn:businessRuleTask id="Decide"><bpmn:extensionElements><zeebe:taskDefinition type="=region + &quot;-rules&quot;" /></bpmn:extensionElements></bpmn:businessRuleTask>
    ${flow('s3', 'Decide', 'Handle')}<bpmn:manualTask id="Handle" name="Handle by hand" />
  </bpmn:subProcess>
  ${flow('f4', 'Sub', 'Wait')}
  <bpmn:receiveTask id="Wait" messageRef="M" />${flow('f5', 'Wait', 'Script')}
  <bpmn:scriptTask id="Script" scriptFormat="feel"><bpmn:script>1 + 1</bpmn:script></bpmn:scriptTask>${flow('f6', 'Script', 'Send')}
  <bpmn:sendTask id="Send" camunda:type="external" camunda:topic="mail" />${flow('f7', 'Send', 'End')}
  <bpmn:endEvent id="End" />`,
    '<bpmn:message id="M" name="m" />',
  ),
);

describe('describing a process for the definitions API', () => {
  it('lists its typed tasks in document order, sub-processes included', async () => {
    expect(describeTasks(await model)).toEqual([
      {
        id: 'Review', name: 'Review', type: 'userTask', assignee: '${initiator}', candidate_groups: ['sales', 'support'],
        candidate_users: ['ann'], form_key: 'review-form', documentation: 'Look at it.',
      },
      { id: 'Charge', name: 'Charge', type: 'serviceTask', service_type: 'external', service_name: 'charge' },
      { id: 'Decide', name: '', type: 'businessRuleTask', service_type: 'external', service_name: '=region + "-rules"' },
      { id: 'Handle', name: 'Handle by hand', type: 'manualTask' },
      { id: 'Wait', name: '', type: 'receiveTask' },
      { id: 'Script', name: '', type: 'scriptTask' },
      { id: 'Send', name: '', type: 'sendTask', service_type: 'external', service_name: 'mail' },
    ]);
  });

  it('gives the start form as a plain copy', async () => {
    const form = startForm(await model)!;
    expect(form).toEqual({ key: 'start-form', fields: [{ id: 'name', label: 'Name', type: 'string', value_type: 'String', required: false }] });
    form.fields[0]!.label = 'changed';
    expect(startForm(await model)!.fields[0]!.label).toBe('Name');
  });

  it('has no start form when the none start event declares none', async () => {
    const plain = await compileOne(processXml(`<bpmn:startEvent id="S" />`));
    expect(startForm(plain)).toBeUndefined();
  });
});
