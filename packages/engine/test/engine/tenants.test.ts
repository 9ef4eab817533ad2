// Starting by key across tenants: the definition without a tenant first, else the only tenant with the
// key; several tenants make the key ambiguous unless tenant_id picks one.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const model = (key: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="wait" />
    <bpmn:userTask id="wait" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('tenants on %s', (backend) => {
  const engine = engineUnderTest(backend, 'tenants');

  it('starts the only tenant\'s definition when no tenant is given', async () => {
    await engine().deploy({ bpmn_xml: model('solo'), tenant_id: 'acme' });
    const instance = await engine().startInstance({ process_definition_key: 'solo' });
    expect(instance.tenant_id).toBe('acme');
    const { data: tasks } = await engine().listTasks({ process_instance_id: instance.id });
    expect(tasks[0]?.tenant_id).toBe('acme');
  });

  it('refuses an ambiguous key and starts the tenant named', async () => {
    await engine().deploy({ bpmn_xml: model('shared'), tenant_id: 'acme' });
    await engine().deploy({ bpmn_xml: model('shared'), tenant_id: 'globex' });
    await expect(engine().startInstance({ process_definition_key: 'shared' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await engine().startInstance({ process_definition_key: 'shared', tenant_id: 'globex' })).tenant_id).toBe('globex');
    await expect(engine().startInstance({ process_definition_key: 'shared', tenant_id: 'initech' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('prefers the definition deployed for no tenant', async () => {
    await engine().deploy({ bpmn_xml: model('shared') });
    const instance = await engine().startInstance({ process_definition_key: 'shared' });
    expect(instance.tenant_id).toBeUndefined();
  });
});
