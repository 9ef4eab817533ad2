// Camunda 7's `/deployment` resource at /engine-rest, driven over HTTP as Camunda Modeler, Cockpit and
// scripts drive it: what `/deployment/create` deployed listed, counted, filtered, sorted and read, the files
// of a deployment listed and downloaded as deployed, and a deployment deleted, refused while its definitions
// have instances unless cascade deletes those too. Each outcome is read back through /api.
import { testBackends } from '@dadms/process-engine/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalDecision, businessRuleModel, startToEndModel, userTaskModel } from './models.js';
import { call, expectContractKept, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

interface Answer {
  status: number;
  /** Camunda's JSON, read as a client reads it */
  body: any;
}

interface Deployed {
  id: string;
  deploymentTime: string;
  deployedProcessDefinitions: Record<string, { key: string }>;
}

const form = (id: string) => JSON.stringify({ type: 'default', id, components: [{ type: 'textfield', key: 'note', label: 'Note' }] });

describe.each(testBackends())('the Camunda 7 deployment resource on %s', (backend) => {
  let t: TestApp;
  let baseUrl = '';
  beforeAll(async () => {
    t = await startTestApp(backend, 'engine-rest-deployments');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/engine-rest`;
  });
  afterAll(() => t?.close());

  const rest = async (method: string, path: string): Promise<Answer> => {
    const res = await fetch(`${baseUrl}${path}`, { method });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const ids = async (path: string) => {
    const answer = await rest('GET', path);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return (answer.body as { id: string }[]).map((d) => d.id);
  };
  const camundaError = (status: number, type: string, message: unknown) => ({ status, body: { type, message } });

  /** a multipart deployment as Camunda Modeler sends it, each file in a part named after it */
  const modelerDeploy = async (files: Record<string, string>, fields: Record<string, string> = {}): Promise<Deployed> => {
    // deployment times a few milliseconds apart, so that `after` and `before` tell them apart
    await new Promise((resolve) => setTimeout(resolve, 5));
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    for (const [name, text] of Object.entries(files)) body.append(name, new Blob([text], { type: 'application/octet-stream' }), name);
    const res = await fetch(`${baseUrl}/deployment/create`, { method: 'POST', body });
    expect(res.status).toBe(200);
    return await res.json() as Deployed;
  };
  const definitionOf = (deployed: Deployed) => Object.keys(deployed.deployedProcessDefinitions)[0]!;

  it('lists, counts, filters, sorts and pages the deployments made, and reads one', async () => {
    const orders = await modelerDeploy({ 'orders.bpmn': startToEndModel('dep_orders') }, { 'deployment-name': 'orders', 'deployment-source': 'Camunda Modeler' });
    const invoices = await modelerDeploy({ 'invoices.bpmn': startToEndModel('dep_invoices') }, { 'deployment-name': 'invoices', 'deployment-source': 'script', 'tenant-id': 'acme' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: startToEndModel('dep_plain'), name: 'plain' })).statusCode).toBe(201);
    const plain = (await rest('GET', '/deployment?withoutSource=true')).body[0] as { id: string; deploymentTime: string };

    expect(await rest('GET', '/deployment?maxResults=0')).toEqual({ status: 200, body: [] });
    expect(await ids('/deployment')).toEqual([orders.id, invoices.id, plain.id]);
    expect(await rest('GET', '/deployment/count')).toEqual({ status: 200, body: { count: 3 } });
    expect((await rest('GET', '/deployment?name=orders')).body).toEqual([{
      links: [], id: orders.id, name: 'orders', source: 'Camunda Modeler', deploymentTime: orders.deploymentTime, tenantId: null,
    }]);
    expect(orders.deploymentTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(plain).toMatchObject({ name: 'plain', source: null, tenantId: null });
    expect(await ids('/deployment?nameLike=%25voice%25')).toEqual([invoices.id]);
    expect(await ids('/deployment?source=script')).toEqual([invoices.id]);
    expect(await ids(`/deployment?id=${plain.id}`)).toEqual([plain.id]);
    expect(await ids('/deployment?tenantIdIn=acme,globex')).toEqual([invoices.id]);
    expect(await ids('/deployment?tenantIdIn=acme&includeDeploymentsWithoutTenantId=true')).toEqual([orders.id, invoices.id, plain.id]);
    expect(await ids('/deployment?withoutTenantId=true')).toEqual([orders.id, plain.id]);
    // as in Camunda, withoutTenantId replaces a tenantIdIn given with it
    expect(await ids('/deployment?tenantIdIn=acme&withoutTenantId=true')).toEqual([orders.id, plain.id]);
    expect(await rest('GET', '/deployment/count?tenantIdIn=acme')).toEqual({ status: 200, body: { count: 1 } });
    expect(await ids(`/deployment?after=${encodeURIComponent(orders.deploymentTime)}`)).toEqual([invoices.id, plain.id]);
    expect(await ids(`/deployment?before=${encodeURIComponent(invoices.deploymentTime)}`)).toEqual([orders.id]);
    expect(await ids('/deployment?sortBy=deploymentTime&sortOrder=desc')).toEqual([plain.id, invoices.id, orders.id]);
    expect(await ids('/deployment?sortBy=name&sortOrder=asc')).toEqual([invoices.id, orders.id, plain.id]);
    expect(await ids('/deployment?sortBy=tenantId&sortOrder=asc&maxResults=1')).toEqual([invoices.id]);
    expect(await ids('/deployment?firstResult=1&maxResults=1')).toEqual([invoices.id]);

    expect((await rest('GET', `/deployment/${invoices.id}`)).body).toEqual({
      links: [], id: invoices.id, name: 'invoices', source: 'script', deploymentTime: invoices.deploymentTime, tenantId: 'acme',
    });
    expect(await rest('GET', `/deployment/${UNKNOWN_ID}`)).toEqual(camundaError(404, 'InvalidRequestException', `Deployment with id '${UNKNOWN_ID}' does not exist`));
    expectContractKept(t);
  });

  it('refuses by name what it does not serve, and a sort or a time it cannot read', async () => {
    expect(await rest('GET', '/deployment?processDefinitionKey=dep_orders')).toEqual(camundaError(400, 'InvalidRequestException', expect.stringContaining('processDefinitionKey')));
    expect(await rest('GET', '/deployment/count?deploymentName=orders')).toEqual(camundaError(400, 'InvalidRequestException', expect.stringContaining('deploymentName')));
    expect(await rest('GET', '/deployment?source=script&withoutSource=true')).toEqual(
      camundaError(400, 'InvalidRequestException', 'The query parameters "withoutSource" and "source" cannot be used in combination.'));
    expect((await rest('GET', '/deployment?sortBy=source&sortOrder=asc')).status).toBe(400);
    expect((await rest('GET', '/deployment?sortBy=name')).status).toBe(400);
    expect(await rest('GET', '/deployment?after=yesterday')).toEqual(camundaError(400, 'InvalidRequestException', expect.stringContaining('after')));
    expectContractKept(t);
  });

  it('lists the files of a deployment, and answers each as it was deployed', async () => {
    const bpmn = businessRuleModel('dep_files', 'dep_files_rule');
    const dmn = approvalDecision('dep_files_rule');
    const deployed = await modelerDeploy({ 'files.bpmn': bpmn, 'rule.dmn': dmn, 'note.form': form('dep-note') });
    const definitionId = definitionOf(deployed);
    const decisionId = (await call(t.app, 'GET', '/decisions?key=dep_files_rule')).json().data[0].id as string;

    const listed = await rest('GET', `/deployment/${deployed.id}/resources`);
    expect(listed).toEqual({ status: 200, body: [
      { id: definitionId, name: 'dep_files.bpmn', deploymentId: deployed.id },
      { id: decisionId, name: 'drd_dep_files_rule.dmn', deploymentId: deployed.id },
      { id: expect.any(String), name: 'dep-note.form', deploymentId: deployed.id },
    ] });
    const formId = listed.body[2].id as string;
    expect(await rest('GET', `/deployment/${deployed.id}/resources/${decisionId}`)).toEqual({
      status: 200, body: { id: decisionId, name: 'drd_dep_files_rule.dmn', deploymentId: deployed.id },
    });

    const data = async (resourceId: string) => {
      const res = await fetch(`${baseUrl}/deployment/${deployed.id}/resources/${resourceId}/data`);
      return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: await res.text() };
    };
    expect(await data(definitionId)).toEqual({
      status: 200, type: 'application/xml', disposition: 'attachment; filename="dep_files.bpmn"; filename*=UTF-8\'\'dep_files.bpmn', text: bpmn,
    });
    expect(await data(decisionId)).toMatchObject({ status: 200, type: 'application/xml', text: dmn });
    expect(await data(formId)).toMatchObject({ status: 200, type: 'application/octet-stream', text: form('dep-note') });

    const missing = `Deployment resource with resource id '${UNKNOWN_ID}' for deployment id '${deployed.id}' does not exist.`;
    expect(await rest('GET', `/deployment/${deployed.id}/resources/${UNKNOWN_ID}`)).toEqual(camundaError(404, 'InvalidRequestException', missing));
    expect(await rest('GET', `/deployment/${deployed.id}/resources/${UNKNOWN_ID}/data`)).toEqual(
      camundaError(500, 'NullValueException', `no resource found with id '${UNKNOWN_ID}' in deployment '${deployed.id}': resource is null`));
    expect(await rest('GET', `/deployment/${UNKNOWN_ID}/resources`)).toEqual(
      camundaError(404, 'InvalidRequestException', `Deployment resources for deployment id '${UNKNOWN_ID}' do not exist.`));
    expect((await rest('GET', `/deployment/${UNKNOWN_ID}/resources/${definitionId}/data`)).status).toBe(500);
    expectContractKept(t);
  });

  it('deletes nothing while a definition of the deployment has instances, and all of it with cascade', async () => {
    const deployed = await modelerDeploy({ 'held.bpmn': businessRuleModel('dep_held', 'dep_held_rule'), 'rule.dmn': approvalDecision('dep_held_rule') });
    const definitionId = definitionOf(deployed);
    const started = await fetch(`${baseUrl}/process-definition/${definitionId}/start`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variables: { amount: { type: 'Integer', value: 50 } } }),
    });
    const instanceId = ((await started.json()) as { id: string }).id;
    expect((await call(t.app, 'GET', `/instances/${instanceId}`)).json().status).toBe('active');

    expect(await rest('DELETE', `/deployment/${deployed.id}`)).toEqual(camundaError(500, 'ProcessEngineException',
      `ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ${definitionId} can't be deleted, because there are 1 dependent process instances.`));
    expect((await rest('GET', `/deployment/${deployed.id}`)).status).toBe(200);
    expect((await rest('GET', `/deployment/${deployed.id}/resources`)).body.map((r: { name: string }) => r.name)).toEqual(['dep_held.bpmn', 'drd_dep_held_rule.dmn']);
    expect((await call(t.app, 'GET', `/definitions/${definitionId}`)).statusCode).toBe(200);
    expect((await call(t.app, 'GET', `/instances/${instanceId}`)).json().status).toBe('active');

    expect((await rest('DELETE', `/deployment/${deployed.id}?cascade=true&skipCustomListeners=true`)).status).toBe(204);
    expect(await rest('GET', `/deployment/${deployed.id}`)).toMatchObject({ status: 404 });
    expect(await rest('GET', `/deployment/count?id=${deployed.id}`)).toEqual({ status: 200, body: { count: 0 } });
    expect((await call(t.app, 'GET', `/definitions/${definitionId}`)).statusCode).toBe(404);
    expect((await call(t.app, 'GET', `/instances/${instanceId}`)).statusCode).toBe(404);
    expect((await call(t.app, 'GET', '/decisions?key=dep_held_rule')).json().total).toBe(0);
    expect((await rest('GET', `/process-definition/${definitionId}`)).status).toBe(404);

    expect(await rest('DELETE', `/deployment/${deployed.id}`)).toEqual(camundaError(404, 'InvalidRequestException', `Deployment with id '${deployed.id}' do not exist`));
    expect((await rest('DELETE', `/deployment/${deployed.id}?force=true`)).status).toBe(400);
    expectContractKept(t);
  });
});
