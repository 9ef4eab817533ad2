// Deployments as a whole: listed by name, source, tenant and time, sorted and paged; read with the files
// they hold and each file's content as deployed; and deleted in one transaction with their definitions,
// decisions and forms, or not at all when instances, evaluations or another deployment's links stand in
// the way.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/access/caller.js';
import type { DeploymentQuery } from '../../src/api/engine.js';
import { testBackends } from '../../src/testing/index.js';
import { dish, dmn } from '../support/dmn.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { startToEnd, waitingAtUserTask } from '../support/models.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

/** one BPMN file holding two processes, each waiting at a user task */
const twoProcesses = (first: string, second: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d_${first}" targetNamespace="t">${[first, second].map((key) => `
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="${key}_start" />
    <bpmn:sequenceFlow id="${key}_f" sourceRef="${key}_start" targetRef="${key}_wait" />
    <bpmn:userTask id="${key}_wait" />
  </bpmn:process>`).join('')}
</bpmn:definitions>`;

/** a process whose user task shows the form `formId`, its latest version when deployed */
const askingWith = (key: string, formId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d_${key}" targetNamespace="t">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="ask" />
    <bpmn:userTask id="ask"><bpmn:extensionElements><zeebe:formDefinition formId="${formId}" /></bpmn:extensionElements></bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>`;

const form = (id: string) => JSON.stringify({ type: 'default', id, components: [{ type: 'textfield', key: 'answer', label: 'Answer' }] });

const caller = (tenants: string[]): Caller => ({ user_id: 'someone', groups: [], roles: ['deployer'], tenant_ids: tenants });

describe.each(testBackends())('deployments on %s', (backend) => {
  let clock = Date.parse('2024-03-01T10:00:00Z');
  const engine = engineUnderTest(backend, 'deployments', [], { now: () => new Date(clock) });
  /** a deployment an hour after the one before */
  const deployAt = async (input: Parameters<ReturnType<typeof engine>['deploy']>[0]) => {
    clock += 3_600_000;
    return engine().deploy(input);
  };
  const ids = async (query: DeploymentQuery) => (await engine().listDeployments(query)).data.map((d) => d.id);

  it('lists deployments by name, source, tenant and time, sorted and paged', async () => {
    // the first test: these are all the deployments there are
    const first = await deployAt({ bpmn_xml: startToEnd('list_a'), name: 'orders', source: 'Camunda Modeler' });
    const second = await deployAt({ bpmn_xml: startToEnd('list_b'), name: 'invoices', tenant_id: 'acme' });
    const third = await deployAt({ bpmn_xml: startToEnd('list_c'), name: 'orders-2', source: 'script', tenant_id: 'globex' });
    const [a, b, c] = [first.deployment_id, second.deployment_id, third.deployment_id];

    expect(await engine().getDeployment(a)).toEqual({
      id: a, name: 'orders', source: 'Camunda Modeler', deployed_at: '2024-03-01T11:00:00.000Z', deployed_by: 'anonymous',
      resources: [{ id: first.definitions[0]!.id, name: 'list_a.bpmn', type: 'bpmn' }],
    });
    expect(await ids({})).toEqual([a, b, c]);
    expect(await ids({ name: 'orders' })).toEqual([a]);
    expect(await ids({ name_like: 'orders%' })).toEqual([a, c]);
    expect(await ids({ source: 'script' })).toEqual([c]);
    expect(await ids({ without_source: true })).toEqual([b]);
    expect(await ids({ tenant_id_in: ['acme', 'globex'] })).toEqual([b, c]);
    expect(await ids({ tenant_id_in: ['acme'], include_without_tenant_id: true })).toEqual([a, b]);
    expect(await ids({ without_tenant_id: true })).toEqual([a]);
    expect(await ids({ deployed_after: '2024-03-01T11:00:00.000Z' })).toEqual([b, c]);
    expect(await ids({ deployed_before: '2024-03-01T13:00:00.000Z' })).toEqual([a, b]);
    expect(await ids({ sort: '-deployed_at' })).toEqual([c, b, a]);
    expect(await ids({ sort: 'name' })).toEqual([b, a, c]);
    expect(await ids({ sort: 'tenant_id' })).toEqual([b, c, a]);
    expect(await engine().listDeployments({ limit: 1, offset: 1 })).toMatchObject({ data: [{ id: b }], total: 3 });
    await expect(engine().listDeployments({ sort: 'source' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(engine().listDeployments({ deployed_after: 'yesterday' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });

    const acme = engine().as(caller(['acme']));
    expect((await acme.listDeployments({})).data.map((d) => d.id)).toEqual([a, b]);
    await expect(acme.getDeployment(c)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(acme.deleteDeployment(c, { cascade: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await ids({ id: c })).toEqual([c]);
  });

  it('holds the BPMN file, the DMN files and the forms deployed together, each with its content as deployed', async () => {
    const bpmn = twoProcesses('files_first', 'files_second');
    const decisions = dmn('menu_file', dish());
    const deployed = await deployAt({ bpmn_xml: bpmn, decisions: [decisions], forms: [form('files-form')] });
    const details = await engine().getDeployment(deployed.deployment_id);
    const first = deployed.definitions.find((d) => d.key === 'files_first')!;
    const decision = (await engine().listDecisions({ key: 'dish' })).data.find((d) => d.deployment_id === deployed.deployment_id)!;
    expect(details.resources).toEqual([
      { id: first.id, name: 'files_first.bpmn', type: 'bpmn' },
      { id: decision.id, name: 'menu_file.dmn', type: 'dmn' },
      { id: expect.any(String), name: 'files-form.form', type: 'form' },
    ]);
    const content = async (resourceId: string) => (await engine().getDeploymentResource(deployed.deployment_id, resourceId)).content;
    expect(await content(first.id)).toBe(bpmn);
    expect(await content(decision.id)).toBe(decisions);
    expect(await content(details.resources[2]!.id)).toBe(form('files-form'));

    const second = deployed.definitions.find((d) => d.key === 'files_second')!;
    await expect(engine().getDeploymentResource(deployed.deployment_id, second.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const other = await deployAt({ bpmn_xml: startToEnd('files_other') });
    await expect(engine().getDeploymentResource(other.deployment_id, first.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine().getDeployment('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine().getDeployment('not-an-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deletes nothing of a deployment while one of its definitions has instances, unless cascade deletes them too', async () => {
    const deployed = await deployAt({ bpmn_xml: twoProcesses('held_first', 'held_second'), decisions: [dmn('held_menu', dish())], forms: [form('held-form')] });
    const [first, second] = ['held_first', 'held_second'].map((key) => deployed.definitions.find((d) => d.key === key)!.id) as [string, string];
    // the first definition could go: the refusal at the second must bring it back
    const instance = await engine().startInstance({ process_definition_key: 'held_second' });

    const refused = await engine().deleteDeployment(deployed.deployment_id).then(() => undefined, (e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', details: { process_definition_id: second, instances: 1 } });
    const kept = await engine().getDeployment(deployed.deployment_id);
    expect(kept.resources.map((r) => r.type)).toEqual(['bpmn', 'dmn', 'form']);
    expect((await engine().getDefinition(first)).id).toBe(first);
    expect((await engine().getInstance(instance.id)).status).toBe('active');
    expect((await engine().startInstance({ process_definition_key: 'held_first' })).process_definition_id).toBe(first);

    await engine().deleteDeployment(deployed.deployment_id, { cascade: true });
    await expect(engine().getDeployment(deployed.deployment_id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const id of [first, second]) await expect(engine().getDefinition(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine().getInstance(instance.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await engine().listInstances({ process_definition_key: 'held_first' })).total).toBe(0);
    expect((await engine().listDecisions({ key: 'dish' })).data.map((d) => d.deployment_id)).not.toContain(deployed.deployment_id);
    await expect(engine().startInstance({ process_definition_key: 'held_second' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await ids({ id: deployed.deployment_id })).toEqual([]);
  });

  it('keeps the decisions of a deployment while they have evaluations, unless cascade deletes those too', async () => {
    const deployed = await engine().deployDecisions({ dmn_xml: dmn('evaluated_menu', { ...dish(), id: 'evaluated_dish' }) });
    const evaluation = await engine().evaluateDecision({ decision_key: 'evaluated_dish', variables: { season: { value: 'Summer' }, guestCount: { value: 3 } } });
    expect(evaluation.decision_instance_id).toEqual(expect.any(String));

    await expect(engine().deleteDeployment(deployed.deployment_id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('1 evaluation') });
    expect((await engine().getDecision(deployed.decisions[0]!.id)).id).toBe(deployed.decisions[0]!.id);

    await engine().deleteDeployment(deployed.deployment_id, { cascade: true });
    await expect(engine().getDecisionInstance(evaluation.decision_instance_id!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine().evaluateDecision({ decision_key: 'evaluated_dish' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps a deployment whose form another deployment links to, and deletes one without instances at once', async () => {
    const owner = await deployAt({ bpmn_xml: waitingAtUserTask('form_owner'), forms: [form('shared-form')] });
    const user = await deployAt({ bpmn_xml: askingWith('form_user', 'shared-form') });
    const userDefinition = user.definitions[0]!.id;
    await expect(engine().deleteDeployment(owner.deployment_id, { cascade: true })).rejects.toMatchObject({
      code: 'CONFLICT', message: expect.stringContaining(userDefinition),
    });
    expect((await engine().getDeployment(owner.deployment_id)).resources.map((r) => r.name)).toEqual(['form_owner.bpmn', 'shared-form.form']);

    await engine().deleteDeployment(user.deployment_id);
    await expect(engine().getDefinition(userDefinition)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await engine().deleteDeployment(owner.deployment_id);
    expect(await ids({ id: owner.deployment_id })).toEqual([]);
  });
});
