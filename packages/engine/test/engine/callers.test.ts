// The engine acting for a caller (engine.as): an embedding service gets the tenant and task isolation the
// REST API has, from the engine itself. The engine without a caller stays unrestricted.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/index.js';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { waitFor } from '../support/job-engines.js';

const model = (key: string, body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  ${extra}
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="wait" />
    ${body}
  </bpmn:process>
</bpmn:definitions>`;
const reviewModel = model('review', '<bpmn:userTask id="wait" camunda:candidateUsers="alice" camunda:candidateGroups="legal" />');
const orderModel = model('order', '<bpmn:receiveTask id="wait" messageRef="m" />', '<bpmn:message id="m" name="paid" />');

const caller = (user_id: string, more: Partial<Caller> = {}): Caller => ({ user_id, groups: [], roles: [], tenant_ids: [], ...more });

describe.each(testBackends())('callers on %s', (backend) => {
  const engine = engineUnderTest(backend, 'callers');

  const deployEverywhere = async () => {
    for (const tenant_id of [undefined, 'acme', 'globex']) {
      for (const bpmn_xml of [reviewModel, orderModel]) await engine().deploy({ bpmn_xml, tenant_id });
      for (const key of ['review', 'order']) await engine().startInstance({ process_definition_key: key, tenant_id });
    }
  };

  it('shows a caller the resources of its tenants and of none, and no others', async () => {
    await deployEverywhere();
    const acme = engine().as(caller('ops', { roles: ['operator'], tenant_ids: ['acme'] }));
    const tenants = (items: { tenant_id?: string }[]) => new Set(items.map((i) => i.tenant_id ?? null));
    expect(tenants((await engine().listInstances({ limit: 1000 })).data)).toEqual(new Set([null, 'acme', 'globex']));
    expect(tenants((await acme.listInstances({ limit: 1000 })).data)).toEqual(new Set([null, 'acme']));
    expect(tenants((await acme.listDefinitions({ limit: 1000 })).data)).toEqual(new Set([null, 'acme']));
    expect(tenants((await acme.listTasks({ limit: 1000 })).data)).toEqual(new Set([null, 'acme']));

    const foreign = (await engine().listInstances({ tenant_id: 'globex', process_definition_key: 'review' })).data[0]!;
    await expect(acme.getInstance(foreign.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(acme.terminateInstance(foreign.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(acme.startInstance({ process_definition_key: 'review', tenant_id: 'globex' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(acme.deploy({ bpmn_xml: reviewModel, tenant_id: 'globex' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // admin sees every tenant, whatever its tenant_ids say
    const root = engine().as(caller('root', { roles: ['admin'] }));
    expect((await root.getInstance(foreign.id)).id).toBe(foreign.id);
  });

  it('keeps a caller from deleting or suspending other tenants\' instances of a definition of no tenant', async () => {
    const { definitions: [shared] } = await engine().deploy({ bpmn_xml: model('shared', '<bpmn:userTask id="wait" />') });
    for (const tenant_id of ['acme', 'globex']) await engine().startInstance({ process_definition_id: shared!.id, tenant_id });
    const acme = engine().as(caller('dora', { roles: ['deployer'], tenant_ids: ['acme'] }));
    expect((await acme.getDefinition(shared!.id)).instances).toBe(1);
    expect((await engine().getDefinition(shared!.id)).instances).toBe(2);
    await expect(acme.deleteDefinition(shared!.id, { cascade: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(acme.setDefinitionSuspended(shared!.id, true, { include_instances: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await engine().listInstances({ process_definition_id: shared!.id, status: 'active' })).total).toBe(2);
    await engine().as(caller('root', { roles: ['admin'] })).deleteDefinition(shared!.id, { cascade: true });
    expect((await engine().listInstances({ process_definition_id: shared!.id })).total).toBe(0);
  });

  it('delivers a message for all only to the caller\'s tenants', async () => {
    const acme = engine().as(caller('shop', { roles: ['worker'], tenant_ids: ['acme'] }));
    const delivered = await acme.correlateMessage({ message_name: 'paid', all: true });
    const reached = await Promise.all(delivered.map((d) => engine().getInstance(d.process_instance_id)));
    expect(new Set(reached.map((i) => i.tenant_id ?? null))).toEqual(new Set([null, 'acme']));
    // globex's order still waits
    const waiting = await engine().listInstances({ process_definition_key: 'order', tenant_id: 'globex', status: 'active' });
    expect(waiting.total).toBeGreaterThan(0);
  });

  it('lets a plain user see and work only its own tasks, as itself', async () => {
    const started = await engine().startInstance({ process_definition_key: 'review', tenant_id: 'acme' });
    const [task] = (await engine().listTasks({ process_instance_id: started.id })).data;
    const alice = engine().as(caller('alice', { tenant_ids: ['acme'] }));
    const lawyer = engine().as(caller('lena', { groups: ['legal'], tenant_ids: ['acme'] }));
    const stranger = engine().as(caller('sam', { tenant_ids: ['acme'] }));

    expect((await alice.listTasks({ process_instance_id: started.id })).total).toBe(1);
    expect((await lawyer.listTasks({ process_instance_id: started.id })).total).toBe(1);
    expect((await stranger.listTasks({ process_instance_id: started.id })).total).toBe(0);
    await expect(stranger.getTask(task!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(stranger.completeTask(task!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await expect(alice.claimTask(task!.id, 'lena')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await alice.claimTask(task!.id, 'alice')).assignee).toBe('alice');
    await expect(lawyer.completeTask(task!.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await alice.completeTask(task!.id)).completed_by).toBe('alice');
    // a plain user reads the instance of its task and the ones it started, not others'
    expect((await alice.getInstance(started.id)).id).toBe(started.id);
    await expect(stranger.getInstance(started.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const own = await stranger.startInstance({ process_definition_key: 'review', tenant_id: 'acme' });
    expect(own.started_by).toBe('sam');
    expect((await stranger.listInstances({ limit: 1000 })).data.map((i) => i.id)).toEqual([own.id]);
  });

  it('hands a caller the events of its tenants and of none, as it lists them, and a plain user none', async () => {
    await deployEverywhere();
    const acme = engine().as(caller('ops', { roles: ['operator'], tenant_ids: ['acme'] }));
    const heard: { instance_id?: string; tenant_id: string | null }[] = [];
    const stop = acme.subscribeEvents((events) => void heard.push(...events));
    try {
      for (const tenant_id of ['globex', 'acme']) await engine().startInstance({ process_definition_key: 'review', tenant_id });
      // events reach subscribers in order: once the last start's arrive, the others' would have too
      const last = await engine().startInstance({ process_definition_key: 'review' });
      await waitFor(() => heard.some((event) => event.instance_id === last.id), 10_000, 'the events of the last start');
    } finally {
      stop();
    }
    expect(new Set(heard.map((event) => event.tenant_id))).toEqual(new Set([null, 'acme']));
    const listed = (await acme.listEvents({ limit: 1000 })).data;
    expect(new Set(listed.map((event) => event.tenant_id))).toEqual(new Set([null, 'acme']));
    expect(new Set((await engine().listEvents({ limit: 1000 })).data.map((event) => event.tenant_id))).toEqual(new Set([null, 'acme', 'globex']));
    await expect(engine().as(caller('bob', { tenant_ids: ['acme'] })).listEvents()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
