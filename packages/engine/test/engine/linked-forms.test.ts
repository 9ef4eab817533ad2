// Forms deployed beside a process and linked by id (Camunda 8 zeebe:formDefinition formId, Camunda 7
// camunda:formRef): each deployed form is a version of its id; a link is resolved when its process is
// deployed (the latest version, the one of the same deployment, a version or a version tag) and stays on
// that version; tasks and start forms carry the linked form and are checked against its fields.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';

const form = (id: string, label: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  type: 'default', id, schemaVersion: 16, ...extra,
  components: [{ type: 'textfield', key: 'answer', label, validate: { required: true, maxLength: 5 } }],
});

/** a process whose start event and user task carry the given extension elements or attributes */
const linking = (key: string, start: string, task: string, taskAttributes = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d_${key}" targetNamespace="t">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start">${start}</bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:userTask id="ask" name="Ask" ${taskAttributes}>${task}</bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>`;

const zeebeLink = (formId: string, binding = '') => `<bpmn:extensionElements><zeebe:formDefinition formId="${formId}" ${binding} /></bpmn:extensionElements>`;

describe.each(testBackends())('linked forms on %s', (backend) => {
  const engine = engineUnderTest(backend, 'linked-forms');

  const taskOf = async (key: string, variables = {}) => {
    const instance = await engine().startInstance({ process_definition_key: key, variables });
    const { data } = await engine().listTasks({ process_instance_id: instance.id });
    return engine().getTask(data[0]!.id);
  };
  const startFormOf = async (key: string) => {
    const { data } = await engine().listDefinitions({ key });
    return (await engine().getDefinition(data[0]!.id)).start_form;
  };

  it('gives a task and a start event the forms deployed with the process, and checks against their fields', async () => {
    await engine().deploy({
      bpmn_xml: linking('leave', zeebeLink('leave-request'), zeebeLink('leave-approval', 'bindingType="deployment"')),
      forms: [form('leave-request', 'Reason'), form('leave-approval', 'Verdict')],
    });
    expect(await startFormOf('leave')).toMatchObject({ key: 'leave-request', schema: JSON.parse(form('leave-request', 'Reason')) });
    const refused = await engine().startInstance({ process_definition_key: 'leave' }).then(() => undefined, (e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_ERROR', details: { problems: [{ field: 'answer', message: "'Reason' (answer) is required" }] } });

    const task = await taskOf('leave', { answer: { value: 'rest' } });
    expect(task.form_key).toBe('leave-approval');
    expect(task.form_schema).toEqual(JSON.parse(form('leave-approval', 'Verdict')));
    expect(task.form_fields.map((f) => [f.id, f.label, f.required])).toEqual([['answer', 'Verdict', true]]);
    await expect(engine().completeTask(task.id, { variables: { answer: { value: 'too long' } } })).rejects.toMatchObject({
      details: { problems: [{ field: 'answer', message: "'Verdict' (answer) must be at most 5 characters long" }] },
    });
  });

  it('links the latest version deployed before, and keeps that version when a newer one comes', async () => {
    await engine().deploy({ bpmn_xml: linking('first', '', zeebeLink('shared')), forms: [form('shared', 'Version one')] });
    await engine().deploy({ bpmn_xml: linking('second', '', zeebeLink('shared')) });
    expect((await taskOf('second')).form_fields[0]!.label).toBe('Version one');
    await engine().deploy({ bpmn_xml: linking('third', '', zeebeLink('shared')), forms: [form('shared', 'Version two')] });
    expect((await taskOf('third')).form_fields[0]!.label).toBe('Version two');
    expect((await taskOf('second')).form_fields[0]!.label).toBe('Version one');
    // the same form deployed again is no new version
    await engine().deploy({ bpmn_xml: linking('fourth', '', zeebeLink('shared')), forms: [form('shared', 'Version two')] });
    await engine().deploy({ bpmn_xml: linking('fifth', '', `<bpmn:extensionElements />`, 'camunda:formRef="shared" camunda:formRefBinding="version" camunda:formRefVersion="2"') });
    expect((await taskOf('fifth')).form_fields[0]!.label).toBe('Version two');
    await expect(engine().deploy({ bpmn_xml: linking('sixth', '', `<bpmn:extensionElements />`, 'camunda:formRef="shared" camunda:formRefBinding="version" camunda:formRefVersion="3"') }))
      .rejects.toMatchObject({ code: 'INVALID_BPMN' });
  });

  it('links a Camunda 7 camunda:formRef by version, and a Camunda 8 form by version tag', async () => {
    await engine().deploy({ bpmn_xml: linking('tagged', '', zeebeLink('tagged-form')), forms: [form('tagged-form', 'Tagged one', { versionTag: 'v1' })] });
    await engine().deploy({ bpmn_xml: linking('tagged2', '', zeebeLink('tagged-form')), forms: [form('tagged-form', 'Tagged two', { versionTag: 'v2' })] });
    await engine().deploy({ bpmn_xml: linking('by_tag', '', zeebeLink('tagged-form', 'bindingType="versionTag" versionTag="v1"')) });
    expect((await taskOf('by_tag')).form_fields[0]!.label).toBe('Tagged one');
    await engine().deploy({ bpmn_xml: linking('c7', '', '', 'camunda:formRef="tagged-form" camunda:formRefBinding="version" camunda:formRefVersion="1"') });
    expect((await taskOf('c7')).form_fields[0]!.label).toBe('Tagged one');
  });

  it('refuses a process whose linked form is nowhere, naming the element, and a form file that is no form', async () => {
    await expect(engine().deploy({ bpmn_xml: linking('orphan', '', zeebeLink('missing')) })).rejects.toMatchObject({
      code: 'INVALID_BPMN',
      details: { problems: [expect.objectContaining({ element_id: 'ask', message: expect.stringContaining("The form 'missing'") })] },
    });
    // a form of an earlier deployment is not the deployment's own
    await engine().deploy({ bpmn_xml: linking('bound_src', '', zeebeLink('bound-form')), forms: [form('bound-form', 'x')] });
    await expect(engine().deploy({ bpmn_xml: linking('bound', '', zeebeLink('bound-form', 'bindingType="deployment"')) })).rejects.toMatchObject({
      details: { problems: [expect.objectContaining({ element_id: 'ask' })] },
    });
    await expect(engine().deploy({ bpmn_xml: linking('bad_form', '', zeebeLink('x')), forms: ['{"components": []}'] })).rejects.toMatchObject({
      code: 'INVALID_BPMN', details: { problems: [expect.objectContaining({ message: expect.stringContaining('it needs an "id"') })] },
    });
    expect((await engine().listDefinitions({ key: 'orphan' })).total).toBe(0);
  });
});
