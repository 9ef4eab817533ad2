// /decisions: deploy a DMN file in every body format, read and list decisions, evaluate one; DMN files
// deployed with a model; a business rule task over HTTP; the decision history at /decision-instances.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { approvalDecision, businessRuleModel } from './models.js';
import { call, expectContractKept, expectError, multipart, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

describe.each(testBackends())('decisions on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'decisions');
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  it('deploys JSON with 201, the same file again with 200, and a changed one as the next version', async () => {
    const first = await call(t.app, 'POST', '/decisions', { dmn_xml: approvalDecision('json_approval'), deployed_by: 'alice' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ created: true, decisions: [{ key: 'json_approval', version: 1, name: 'Approve json_approval', deployed_by: 'alice', decision_requirements_key: 'drd_json_approval' }] });
    const again = await call(t.app, 'POST', '/decisions', { dmn_xml: approvalDecision('json_approval') });
    expect(again.statusCode).toBe(200);
    expect(again.json().decisions[0].id).toBe(first.json().decisions[0].id);
    const changed = await call(t.app, 'POST', '/decisions', { dmn_xml: approvalDecision('json_approval', 2000) });
    expect(changed.json().decisions[0].version).toBe(2);
    const latest = await call(t.app, 'GET', '/decisions?key=json_approval&latest=true');
    expect(latest.json()).toMatchObject({ total: 1, data: [{ version: 2 }] });
    const one = await call(t.app, 'GET', `/decisions/${first.json().decisions[0].id}`);
    expect(one.json()).toMatchObject({ decision_type: 'table', hit_policy: 'FIRST', inputs: [{ label: 'Amount', expression: 'amount', type_ref: 'double' }], outputs: [{ name: 'approved', type_ref: 'boolean' }] });
    expect(one.json().dmn_xml).toBe(approvalDecision('json_approval'));
  });

  it('deploys a raw XML body and a multipart file', async () => {
    const raw = await call(t.app, 'POST', '/decisions?tenant_id=acme', approvalDecision('raw_approval'), { 'content-type': 'application/xml' });
    expect(raw.statusCode, raw.body).toBe(201);
    expect(raw.json().decisions[0]).toMatchObject({ key: 'raw_approval', tenant_id: 'acme' });
    const form = multipart([{ name: 'file', filename: 'approval.dmn', value: approvalDecision('multipart_approval') }, { name: 'name', value: 'rules' }]);
    const uploaded = await call(t.app, 'POST', '/decisions', form.payload, form.headers);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json().decisions[0].key).toBe('multipart_approval');
  });

  it('refuses a DMN file it cannot deploy with 422 INVALID_DMN naming the problem, and one with a DOCTYPE', async () => {
    const broken = approvalDecision('broken_approval').replace('&lt;= 1000', '[1..');
    const error = expectError(await call(t.app, 'POST', '/decisions', { dmn_xml: broken }), 422, 'INVALID_DMN');
    expect(error.details?.problems).toEqual([expect.objectContaining({ element_id: 'small', message: expect.stringContaining("'[1..'") })]);
    const doctype = approvalDecision('doctype_approval').replace('<definitions', '<!DOCTYPE definitions [<!ENTITY x "y">]>\n<definitions');
    expectError(await call(t.app, 'POST', '/decisions', { dmn_xml: doctype }), 422, 'INVALID_DMN');
    expect((await call(t.app, 'GET', '/decisions?key=broken_approval')).json().total).toBe(0);
    expectError(await call(t.app, 'POST', '/decisions', {}), 400, 'VALIDATION_ERROR');
  });

  it('evaluates a decision by key or id, and answers 400 or 404 naming what is wrong', async () => {
    const deployed = (await call(t.app, 'POST', '/decisions', { dmn_xml: approvalDecision('evaluated') })).json().decisions[0];
    const byKey = await call(t.app, 'POST', '/decisions/evaluate', { decision_key: 'evaluated', variables: { amount: { value: 500 } } });
    expect(byKey.statusCode, byKey.body).toBe(200);
    expect(byKey.json()).toEqual({ decision_id: deployed.id, decision_key: 'evaluated', version: 1, result: [{ approved: true }], decision_instance_id: expect.any(String) });
    const byId = await call(t.app, 'POST', '/decisions/evaluate', { decision_id: deployed.id, variables: { amount: { value: 5000 } } });
    expect(byId.json().result).toEqual([{ approved: false }]);
    const missing = expectError(await call(t.app, 'POST', '/decisions/evaluate', { decision_key: 'evaluated' }), 400, 'VALIDATION_ERROR');
    expect(missing.message).toMatch(/amount/);
    expectError(await call(t.app, 'POST', '/decisions/evaluate', { decision_key: 'nowhere', variables: {} }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/decisions/evaluate', { decision_id: UNKNOWN_ID }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', '/decisions/not-an-id'), 404, 'NOT_FOUND');
  });

  it('deploys DMN files with a model, which its business rule task binds to by deployment', async () => {
    await call(t.app, 'POST', '/decisions', { dmn_xml: approvalDecision('bound_approval', 10) });
    const form = multipart([
      { name: 'file', filename: 'm.bpmn', value: businessRuleModel('bound_process', 'bound_approval', 'camunda:decisionRefBinding="deployment"') },
      { name: 'decision', filename: 'a.dmn', value: approvalDecision('bound_approval', 100_000) },
    ]);
    const deployed = await call(t.app, 'POST', '/definitions', form.payload, form.headers);
    expect(deployed.statusCode, deployed.body).toBe(201);
    await call(t.app, 'POST', '/decisions', { dmn_xml: approvalDecision('bound_approval', 20) });
    const started = await call(t.app, 'POST', '/instances', { process_definition_key: 'bound_process', variables: { amount: { value: 50_000 } } });
    expect(started.statusCode, started.body).toBe(201);
    const instance = (await call(t.app, 'GET', `/instances/${started.json().id}`)).json();
    expect(instance.variables.approved.value).toBe(true);
    expect(instance.current_activities.map((a: { activity_id: string }) => a.activity_id)).toEqual(['review']);
    const json = await call(t.app, 'POST', '/definitions', { bpmn_xml: businessRuleModel('json_bound', 'json_dmn'), decisions: [approvalDecision('json_dmn')] });
    expect(json.statusCode, json.body).toBe(201);
    expect((await call(t.app, 'GET', '/decisions?key=json_dmn')).json().data[0].deployment_id).toBe(json.json().deployment_id);
  });

  it('keeps each evaluation in the decision history, by a business rule task or through the API', async () => {
    await call(t.app, 'POST', '/decisions', { dmn_xml: approvalDecision('audited', 100) });
    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: businessRuleModel('audited_process', 'audited') })).statusCode).toBe(201);
    const started = (await call(t.app, 'POST', '/instances', { process_definition_key: 'audited_process', variables: { amount: { value: 250 } } })).json();
    const evaluated = (await call(t.app, 'POST', '/decisions/evaluate', { decision_key: 'audited', variables: { amount: { value: 50 } } })).json();

    const listed = await call(t.app, 'GET', '/decision-instances?decision_key=audited');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data.map((d: { id: string }) => d.id)).toEqual([evaluated.decision_instance_id, expect.any(String)]);
    const byTask = await call(t.app, 'GET', `/decision-instances?process_instance_id=${started.id}`);
    expect(byTask.json()).toMatchObject({
      total: 1,
      data: [{
        decision_key: 'audited', version: 1, process_instance_id: started.id, process_definition_key: 'audited_process', activity_id: 'decide',
        inputs: [{ input_id: 'amount_in', label: 'Amount', value: 250 }],
        outputs: [{ rule_id: 'large', rule_order: 2, output_id: 'approved_out', name: 'approved', value: false }],
      }],
    });
    const one = await call(t.app, 'GET', `/decision-instances/${evaluated.decision_instance_id}`);
    expect(one.json()).toMatchObject({ id: evaluated.decision_instance_id, inputs: [{ value: 50 }], outputs: [{ rule_id: 'small', value: true }] });
    expect(one.json().process_instance_id).toBeUndefined();
    expectError(await call(t.app, 'GET', `/decision-instances/${UNKNOWN_ID}`), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', '/decision-instances/not-an-id'), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', '/decision-instances?evaluated_after=soon'), 400, 'VALIDATION_ERROR');
  });

  it('refuses a model whose DMN file is broken, deploying neither', async () => {
    const res = await call(t.app, 'POST', '/definitions', { bpmn_xml: businessRuleModel('with_broken', 'broken_dmn'), decisions: ['<definitions'] });
    expectError(res, 422, 'INVALID_DMN');
    expect((await call(t.app, 'GET', '/definitions?key=with_broken')).json().total).toBe(0);
  });
});
