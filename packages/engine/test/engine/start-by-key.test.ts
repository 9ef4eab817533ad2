// A start by key runs the latest version that may start, as the definitions stand when it runs: each
// change below follows a start by the same key, so that what the engine learnt of the key's versions
// then (it keeps them on PGlite, whose store no other process writes) cannot answer for them now.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { startToEnd, waitingAtUserTask } from '../support/models.js';

describe.each(testBackends())('starting by key on %s', (backend) => {
  const engine = engineUnderTest(backend, 'start-by-key');
  const start = async () => {
    const instance = await engine().startInstance({ process_definition_key: 'versions' });
    return (await engine().getDefinition(instance.process_definition_id)).version;
  };

  it('starts the latest version through deployments, suspension, activation and deletion', async () => {
    await expect(engine().startInstance({ process_definition_key: 'versions' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const first = await engine().deploy({ bpmn_xml: waitingAtUserTask('versions') });
    expect(await start()).toBe(1);

    const second = await engine().deploy({ bpmn_xml: startToEnd('versions') });
    expect(await start()).toBe(2);

    await engine().setDefinitionSuspended(second.definitions[0]!.id, true);
    await expect(engine().startInstance({ process_definition_key: 'versions' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await engine().setDefinitionSuspended(second.definitions[0]!.id, false);
    expect(await start()).toBe(2);

    await engine().deleteDefinition(second.definitions[0]!.id, { cascade: true });
    expect(await start()).toBe(1);
    await engine().deleteDefinition(first.definitions[0]!.id, { cascade: true });
    await expect(engine().startInstance({ process_definition_key: 'versions' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('starts the latest version a tenant has, once the key is deployed for it', async () => {
    await engine().deploy({ bpmn_xml: waitingAtUserTask('tenanted'), tenant_id: 'acme' });
    const acme = await engine().startInstance({ process_definition_key: 'tenanted', tenant_id: 'acme' });
    await expect(engine().startInstance({ process_definition_key: 'tenanted', tenant_id: 'globex' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await engine().deploy({ bpmn_xml: waitingAtUserTask('tenanted'), tenant_id: 'globex' });
    const globex = await engine().startInstance({ process_definition_key: 'tenanted', tenant_id: 'globex' });
    expect(globex.tenant_id).toBe('globex');
    expect(globex.process_definition_id).not.toBe(acme.process_definition_id);
    const acmeAgain = await engine().deploy({ bpmn_xml: startToEnd('tenanted'), tenant_id: 'acme' });
    expect((await engine().startInstance({ process_definition_key: 'tenanted', tenant_id: 'acme' })).process_definition_id)
      .toBe(acmeAgain.definitions[0]!.id);
    await expect(engine().startInstance({ process_definition_key: 'tenanted' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
