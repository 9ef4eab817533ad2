// The form of a user task travels with the task (form_fields, and form_schema for an embedded form-js
// form), and completing the task checks the submitted variables against its fields.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';

// Camunda 7: a generated task form (camunda:formData)
const expense = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN} xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="expense" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill" />
    <bpmn:userTask id="fill" name="Fill in the expense">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="purpose" label="Purpose" type="string">
            <camunda:validation>
              <camunda:constraint name="required" />
              <camunda:constraint name="minlength" config="3" />
              <camunda:constraint name="maxlength" config="20" />
            </camunda:validation>
          </camunda:formField>
          <camunda:formField id="amount" label="Amount" type="long" defaultValue="10">
            <camunda:validation>
              <camunda:constraint name="required" />
              <camunda:constraint name="min" config="1" />
              <camunda:constraint name="max" config="1000" />
            </camunda:validation>
          </camunda:formField>
          <camunda:formField id="urgent" label="Urgent" type="boolean" />
          <camunda:formField id="spent_on" label="Spent on" type="date" />
          <camunda:formField id="currency" label="Currency" type="enum">
            <camunda:value id="EUR" name="Euro" />
            <camunda:value id="USD" name="Dollar" />
          </camunda:formField>
          <camunda:formField id="reference" label="Reference" type="string">
            <camunda:validation><camunda:constraint name="readonly" /></camunda:validation>
          </camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const reviewForm = {
  type: 'default',
  id: 'review-form',
  components: [
    { type: 'text', text: '# Review' },
    { type: 'textfield', key: 'reviewer', label: 'Reviewer', validate: { required: true, pattern: '[a-z]+' } },
    { type: 'group', components: [{ type: 'number', key: 'score', label: 'Score', decimalDigits: 0, validate: { min: 1, max: 5 } }] },
    { type: 'radio', key: 'verdict', label: 'Verdict', values: [{ label: 'Approve', value: 'approve' }, { label: 'Reject', value: 'reject' }] },
    { type: 'checklist', key: 'topics', label: 'Topics', values: [{ label: 'Cost', value: 'cost' }, { label: 'Risk', value: 'risk' }] },
    { type: 'checkbox', key: 'final', label: 'Final' },
  ],
};

// Camunda 8: a form-js form embedded in the process (zeebe:userTaskForm)
const review = (form: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN} xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="review" isExecutable="true">
    <bpmn:extensionElements><zeebe:userTaskForm id="Form_review">${form}</zeebe:userTaskForm></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:userTask id="check" name="Review">
      <bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:Form_review" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

describe.each(testBackends())('task forms on %s', (backend) => {
  const engine = engineUnderTest(backend, 'task-forms', [expense, review(escapeXml(JSON.stringify(reviewForm)))]);

  const openTask = async (key: string, variables = {}) => {
    const instance = await engine().startInstance({ process_definition_key: key, variables });
    const { data } = await engine().listTasks({ process_instance_id: instance.id });
    const task = await engine().getTask(data[0]!.id);
    // a listed task carries its form too
    expect(data[0]).toHaveProperty('form_fields', task.form_fields);
    return { instance, task };
  };

  /** the problems of a completion the form refuses */
  const refusal = async (taskId: string, variables: Record<string, { value: unknown; type?: string }>) => {
    const error = await engine().completeTask(taskId, { variables: variables as never }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
    return (error as { details: { problems: { field: string; message: string }[] }; message: string });
  };

  it('carries the fields of a camunda:formData on the task, listed and alone', async () => {
    const { task } = await openTask('expense');
    expect(task.form_fields.map((f) => [f.id, f.type, f.value_type, f.required])).toEqual([
      ['purpose', 'string', 'String', true],
      ['amount', 'number', 'Long', true],
      ['urgent', 'boolean', 'Boolean', false],
      ['spent_on', 'date', 'Date', false],
      ['currency', 'select', 'String', false],
      ['reference', 'string', 'String', false],
    ]);
    expect(task.form_fields[1]).toMatchObject({ label: 'Amount', default_value: '10', validation_rules: [{ name: 'required' }, { name: 'min', config: '1' }, { name: 'max', config: '1000' }] });
    expect(task.form_fields[4]!.options).toEqual(['EUR', 'USD']);
    expect(task.form_schema).toBeUndefined();
  });

  it('refuses a completion that breaks the form, naming every field in error, and changes nothing', async () => {
    const { instance, task } = await openTask('expense');
    const { details, message } = await refusal(task.id, {
      purpose: { value: 'ab' }, amount: { value: 5000 }, currency: { value: 'GBP' }, reference: { value: 'R-1' }, urgent: { value: 'maybe' },
    });
    expect(details.problems.map((p) => p.field)).toEqual(['purpose', 'amount', 'urgent', 'currency', 'reference']);
    expect(details.problems.map((p) => p.message)).toEqual([
      "'Purpose' (purpose) must be at least 3 characters long",
      "'Amount' (amount) must be at most 1000",
      "'Urgent' (urgent) must be true or false",
      "'Currency' (currency) must be one of EUR, USD",
      "'Reference' (reference) is read-only and cannot be submitted",
    ]);
    expect(message).toContain("'Purpose' (purpose) must be at least 3 characters long");
    expect((await refusal(task.id, { purpose: { value: '' }, amount: { value: 'ten' } })).details.problems).toEqual([
      { field: 'purpose', message: "'Purpose' (purpose) is required" },
      { field: 'amount', message: "'Amount' (amount) must be a whole number" },
    ]);
    expect((await refusal(task.id, {})).details.problems.map((p) => p.field)).toEqual(['purpose', 'amount']);
    expect((await engine().getInstance(instance.id)).status).toBe('active');
    expect((await engine().getTask(task.id)).status).toBe('created');
  });

  it('stores each value in its field\'s type, numbers and booleans sent as text included', async () => {
    const { instance, task } = await openTask('expense');
    await engine().completeTask(task.id, {
      variables: { purpose: { value: 'Train' }, amount: { value: '42' }, urgent: { value: 'true' }, spent_on: { value: '2026-12-01' }, currency: { value: 'EUR' }, note: { value: 7 } },
    });
    const done = await engine().getInstance(instance.id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({
      purpose: { type: 'String', value: 'Train' },
      amount: { type: 'Long', value: 42 },
      urgent: { type: 'Boolean', value: true },
      spent_on: { type: 'Date', value: '2026-12-01T00:00:00.000Z' },
      currency: { type: 'String', value: 'EUR' },
      // a variable that is no field of the form passes as sent
      note: { type: 'Integer', value: 7 },
    });
  });

  it('takes a required field as filled when the instance already holds a value for it, as Camunda 7 does', async () => {
    const { instance, task } = await openTask('expense', { purpose: { value: 'Hotel' }, amount: { value: 90 } });
    await engine().completeTask(task.id, {});
    expect((await engine().getInstance(instance.id)).status).toBe('completed');
  });

  it('returns an embedded form-js form with its fields, and checks a completion against them', async () => {
    const { instance, task } = await openTask('review');
    expect(task.form_key).toBe('camunda-forms:bpmn:Form_review');
    expect(task.form_schema).toEqual(reviewForm);
    expect(task.form_fields.map((f) => [f.id, f.type, f.value_type, f.required, f.options ?? null])).toEqual([
      ['reviewer', 'string', 'String', true, null],
      ['score', 'number', 'Long', false, null],
      ['verdict', 'select', 'String', false, ['approve', 'reject']],
      ['topics', 'multiselect', 'Json', false, ['cost', 'risk']],
      ['final', 'boolean', 'Boolean', false, null],
    ]);
    const { details } = await refusal(task.id, { reviewer: { value: 'Ann!' }, score: { value: 9 }, topics: { value: ['cost', 'time'] } });
    expect(details.problems).toEqual([
      { field: 'reviewer', message: "'Reviewer' (reviewer) must match the pattern [a-z]+" },
      { field: 'score', message: "'Score' (score) must be at most 5" },
      { field: 'topics', message: "'Topics' (topics) must be one of cost, risk" },
    ]);
    await engine().completeTask(task.id, {
      variables: { reviewer: { value: 'ann' }, score: { value: 4 }, verdict: { value: 'approve' }, topics: { value: ['risk'] }, final: { value: true } },
    });
    const done = await engine().getInstance(instance.id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ score: { type: 'Long', value: 4 }, topics: { type: 'Json', value: ['risk'] } });
  });

  it('refuses at deploy an embedded form that is not JSON, naming the user task', async () => {
    await expect(engine().deploy({ bpmn_xml: review('{ not json').replaceAll('"review"', '"review2"') })).rejects.toMatchObject({
      code: 'INVALID_BPMN',
      details: { problems: [expect.objectContaining({ element_id: 'check', message: expect.stringContaining("The form 'Form_review'") })] },
    });
  });
});
