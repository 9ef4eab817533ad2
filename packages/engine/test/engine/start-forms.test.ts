// A process's start form (camunda:formData on its none start event, or a form-js form embedded in the
// model for it) is shown on the definition, and starting an instance checks the variables against its
// fields as completing a task does. Starts that fill in no form (a message) are not checked.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';

// Camunda 7: a generated start form, and a message start that fills in none
const trip = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN} xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:message id="m" name="trip booked" />
  <bpmn:process id="trip" name="Trip" isExecutable="true">
    <bpmn:startEvent id="start">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="destination" label="Destination" type="string">
            <camunda:validation><camunda:constraint name="required" /></camunda:validation>
          </camunda:formField>
          <camunda:formField id="nights" label="Nights" type="long">
            <camunda:validation><camunda:constraint name="max" config="14" /></camunda:validation>
          </camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:startEvent id="by_message"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="by_message" targetRef="wait" />
    <bpmn:userTask id="wait" name="Book" />
  </bpmn:process>
</bpmn:definitions>`;

const requestForm = {
  type: 'default', id: 'request-form',
  components: [{ type: 'textfield', key: 'subject', label: 'Subject', validate: { required: true, maxLength: 10 } }],
};

// Camunda 8: a form-js start form embedded in the model
const request = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN} xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="request" isExecutable="true">
    <bpmn:extensionElements><zeebe:userTaskForm id="Form_request">${JSON.stringify(requestForm)}</zeebe:userTaskForm></bpmn:extensionElements>
    <bpmn:startEvent id="start">
      <bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:Form_request" /></bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:userTask id="wait" name="Answer" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('start forms on %s', (backend) => {
  const engine = engineUnderTest(backend, 'start-forms', [trip, request]);

  const definition = async (key: string) => {
    const { data } = await engine().listDefinitions({ key });
    return engine().getDefinition(data[0]!.id);
  };
  const refusal = (key: string, variables: Record<string, { value: unknown }>) =>
    engine().startInstance({ process_definition_key: key, variables: variables as never }).then(() => undefined, (e: unknown) => e);

  it('refuses a start that breaks the generated start form, naming each field, and starts nothing', async () => {
    expect((await definition('trip')).start_form?.fields.map((f) => f.id)).toEqual(['destination', 'nights']);
    expect(await refusal('trip', { nights: { value: 20 } })).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining("The start form of process 'Trip' is not filled in correctly"),
      details: { problems: [
        { field: 'destination', message: "'Destination' (destination) is required" },
        { field: 'nights', message: "'Nights' (nights) must be at most 14" },
      ] },
    });
    expect((await engine().listInstances({ process_definition_key: 'trip' })).total).toBe(0);
  });

  it('starts with the values in their fields\' types', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'trip', variables: { destination: { value: 'Lyon' }, nights: { value: '3' } } });
    expect((await engine().getInstance(instance.id)).variables).toMatchObject({ destination: { type: 'String', value: 'Lyon' }, nights: { type: 'Long', value: 3 } });
  });

  it('checks nothing on a start that fills in no form', async () => {
    const before = (await engine().listInstances({ process_definition_key: 'trip' })).total;
    await engine().correlateMessage({ message_name: 'trip booked' });
    expect((await engine().listInstances({ process_definition_key: 'trip' })).total).toBe(before + 1);
  });

  it('shows an embedded form-js start form with its schema, and checks a start against its fields', async () => {
    const form = (await definition('request')).start_form;
    expect(form).toMatchObject({ key: 'camunda-forms:bpmn:Form_request', schema: requestForm });
    expect(form?.fields.map((f) => [f.id, f.required])).toEqual([['subject', true]]);
    expect(await refusal('request', { subject: { value: 'far too long a subject' } })).toMatchObject({
      details: { problems: [{ field: 'subject', message: "'Subject' (subject) must be at most 10 characters long" }] },
    });
    const instance = await engine().startInstance({ process_definition_key: 'request', variables: { subject: { value: 'Leave' } } });
    expect(instance.status).toBe('active');
  });
});
