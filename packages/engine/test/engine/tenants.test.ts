// Starting by key across tenants: the definition without a tenant first, else the only tenant with the
// key; several tenants make the key ambiguous unless tenant_id picks one.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { waitingAtUserTask } from '../support/models.js';

describe.each(testBackends())('tenants on %s', (backend) => {
  const engine = engineUnderTest(backend, 'tenants');

  it('starts the only tenant\'s definition when no tenant is given', async () => {
    await engine().deploy({ bpmn_xml: waitingAtUserTask('solo'), tenant_id: 'acme' });
    const instance = await engine().startInstance({ process_definition_key: 'solo' });
    expect(instance.tenant_id).toBe('acme');
    const { data: tasks } = await engine().listTasks({ process_instance_id: instance.id });
    expect(tasks[0]?.tenant_id).toBe('acme');
  });

  it('refuses an ambiguous key and starts the tenant named', async () => {
    await engine().deploy({ bpmn_xml: waitingAtUserTask('shared'), tenant_id: 'acme' });
    await engine().deploy({ bpmn_xml: waitingAtUserTask('shared'), tenant_id: 'globex' });
    await expect(engine().startInstance({ process_definition_key: 'shared' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await engine().startInstance({ process_definition_key: 'shared', tenant_id: 'globex' })).tenant_id).toBe('globex');
    await expect(engine().startInstance({ process_definition_key: 'shared', tenant_id: 'initech' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('prefers the definition deployed for no tenant', async () => {
    await engine().deploy({ bpmn_xml: waitingAtUserTask('shared') });
    const instance = await engine().startInstance({ process_definition_key: 'shared' });
    expect(instance.tenant_id).toBeUndefined();
  });
});
