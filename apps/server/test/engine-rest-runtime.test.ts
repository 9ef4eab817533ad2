// Camunda 7's `/process-instance` and `/process-definition` resources at /engine-rest, driven over HTTP as
// a Camunda application or script drives them: the running instances listed, paged, sorted, counted and
// read, deleted, suspended and modified, their typed variables (Json ones as text) read and set; definitions listed
// and read by id and by key, with their XML, and suspended. Each command is read back through
// /api/processes, and what the engine cannot do is refused by name.
import { testBackends } from '@dadms/process-engine/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callActivityModel, userTaskModel } from './models.js';
import { call, expectContractKept, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

interface Answer {
  status: number;
  /** Camunda's JSON, read as a client reads it */
  body: any;
}

describe.each(testBackends())('the Camunda 7 runtime resources on %s', (backend) => {
  let t: TestApp;
  let baseUrl = '';
  beforeAll(async () => {
    t = await startTestApp(backend, 'engine-rest-runtime');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/engine-rest`;
  });
  afterAll(() => t?.close());

  /** a request as a Camunda client sends it, and Camunda's answer */
  async function rest(method: string, path: string, body?: unknown): Promise<Answer> {
    const sent = body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const res = await fetch(`${baseUrl}${path}`, { method, ...sent });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const refused = (name: string) => ({ status: 400, body: { type: 'InvalidRequestException', message: expect.stringContaining(name) } });

  const deploy = async (bpmn_xml: string, tenant_id?: string): Promise<string> => {
    const res = await call(t.app, 'POST', '/definitions', { bpmn_xml, tenant_id });
    expect(res.statusCode).toBe(201);
    return res.json().definitions[0].id;
  };
  const start = async (key: string, fields: Record<string, unknown> = {}): Promise<string> => {
    const res = await call(t.app, 'POST', '/instances', { process_definition_key: key, ...fields });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  };
  const instance = async (id: string) => (await call(t.app, 'GET', `/instances/${id}`)).json();
  const suspend = async (id: string) => expect((await call(t.app, 'PUT', `/instances/${id}/suspended`, { suspended: true })).statusCode).toBe(200);
  const terminate = async (id: string) => expect((await call(t.app, 'DELETE', `/instances/${id}`)).statusCode).toBe(204);
  const ids = (answer: Answer) => (answer.body as { id: string }[]).map((i) => i.id);

  it('lists only running instances, active and suspended together in the engine\'s order, and pages, filters and counts them', async () => {
    await deploy(userTaskModel('rt_list'));
    const started = [];
    for (const businessKey of ['b-1', 'b-2', 'b-3', 'b-4']) started.push(await start('rt_list', { business_key: businessKey }));
    const [first, second, third, ended] = started as [string, string, string, string];
    await suspend(second);
    await terminate(ended);
    // the engine's own list of every status, newest first: the running ones in that order are Camunda's list
    const everything = (await call(t.app, 'GET', '/instances?process_definition_key=rt_list')).json().data as { id: string; status: string }[];
    const running = everything.filter((i) => i.status === 'active' || i.status === 'suspended').map((i) => i.id);
    expect(running.sort()).toEqual([first, second, third].sort());
    const expected = everything.filter((i) => running.includes(i.id)).map((i) => i.id);

    const listed = await rest('GET', '/process-instance?processDefinitionKey=rt_list');
    expect(ids(listed)).toEqual(expected);
    expect(listed.body.find((i: { id: string }) => i.id === first)).toEqual({
      links: [], id: first, definitionId: expect.any(String), definitionKey: 'rt_list', businessKey: 'b-1', caseInstanceId: null,
      ended: false, suspended: false, tenantId: null,
    });
    expect(listed.body.find((i: { id: string }) => i.id === second)).toMatchObject({ businessKey: 'b-2', suspended: true });
    for (const [index, id] of expected.entries()) {
      expect(ids(await rest('GET', `/process-instance?processDefinitionKey=rt_list&firstResult=${index}&maxResults=1`))).toEqual([id]);
    }
    expect((await rest('GET', '/process-instance?processDefinitionKey=rt_list&maxResults=0')).body).toEqual([]);

    expect((await rest('GET', '/process-instance/count?processDefinitionKey=rt_list')).body).toEqual({ count: 3 });
    expect((await rest('POST', '/process-instance/count', { processDefinitionKey: 'rt_list', active: true, tenantIdIn: null })).body).toEqual({ count: 2 });
    expect(ids(await rest('GET', '/process-instance?processDefinitionKey=rt_list&suspended=true'))).toEqual([second]);
    expect(ids(await rest('GET', '/process-instance?businessKey=b-3'))).toEqual([third]);
    expect(ids(await rest('GET', '/process-instance?businessKey=b-4'))).toEqual([]);

    const sorted = await rest('POST', '/process-instance?maxResults=10', { processDefinitionKey: 'rt_list', active: true, sortBy: 'businessKey', sortOrder: 'desc', businessKey: null });
    expect(ids(sorted)).toEqual([third, first]);
    const bySorting = await rest('POST', '/process-instance', { processDefinitionKey: 'rt_list', active: true, sorting: [{ sortBy: 'businessKey', sortOrder: 'asc' }] });
    expect(ids(bySorting)).toEqual([first, third]);
    expect(await rest('GET', '/process-instance?processDefinitionKey=rt_list&sortBy=businessKey&sortOrder=asc')).toMatchObject(refused('active=true or suspended=true'));
    expect(await rest('GET', '/process-instance?active=true&sortBy=businessKey')).toMatchObject(refused('sortBy and sortOrder required'));
    expect(await rest('GET', '/process-instance?active=true&sortBy=instanceId&sortOrder=asc')).toMatchObject(refused("Cannot sort by 'instanceId'"));
    expectContractKept(t);
  });

  it('serves one tenant of tenantIdIn and the instance that called one (superProcessInstance), and refuses what it cannot filter by name', async () => {
    await deploy(userTaskModel('rt_tenant'), 'acme');
    await deploy(userTaskModel('rt_tenant'));
    const acme = await start('rt_tenant', { tenant_id: 'acme' });
    await start('rt_tenant');
    expect(ids(await rest('GET', '/process-instance?processDefinitionKey=rt_tenant&tenantIdIn=acme'))).toEqual([acme]);
    expect(ids(await rest('POST', '/process-instance', { processDefinitionKey: 'rt_tenant', tenantIdIn: ['acme'] }))).toEqual([acme]);
    expect(await rest('GET', '/process-instance?tenantIdIn=acme,globex')).toMatchObject(refused('tenantIdIn'));
    await deploy(userTaskModel('rt_child'));
    await deploy(callActivityModel('rt_parent', 'rt_child'));
    const parent = await start('rt_parent');
    const [child] = (await call(t.app, 'GET', `/instances?super_instance_id=${parent}`)).json().data as { id: string }[];
    expect(ids(await rest('GET', `/process-instance?superProcessInstance=${parent}`))).toEqual([child!.id]);

    expect(await rest('GET', '/process-instance?variables=amount_eq_5')).toMatchObject(refused('variables is not supported by this engine'));
    expect(await rest('POST', '/process-instance', { processInstanceIds: [acme], withIncident: true })).toMatchObject(refused('processInstanceIds, withIncident are not supported'));
    expect(await rest('POST', '/process-instance/count', { variables: [{ name: 'amount', operator: 'eq', value: 5 }] })).toMatchObject(refused('variables'));
    expect((await rest('GET', '/process-instance?notAFilter=1')).status).toBe(400);
    // what a client sends for a filter it does not use is no filter
    expect((await rest('POST', '/process-instance/count', { processDefinitionKey: 'rt_tenant', withIncident: false, processInstanceIds: [], variables: null })).body).toEqual({ count: 2 });
    expectContractKept(t);
  });

  it('reads, suspends, activates and deletes a running instance as Camunda does', async () => {
    await deploy(userTaskModel('rt_ops'));
    const id = await start('rt_ops', { business_key: 'ops-1' });
    expect(await rest('GET', `/process-instance/${id}`)).toEqual({ status: 200, body: expect.objectContaining({ id, businessKey: 'ops-1', suspended: false, ended: false }) });

    expect((await rest('PUT', `/process-instance/${id}/suspended`, { suspended: true })).status).toBe(204);
    expect((await instance(id)).status).toBe('suspended');
    expect((await rest('GET', `/process-instance/${id}`)).body.suspended).toBe(true);
    expect((await rest('PUT', `/process-instance/${id}/suspended`, { suspended: false })).status).toBe(204);
    expect((await instance(id)).status).toBe('active');
    expect((await rest('PUT', `/process-instance/${UNKNOWN_ID}/suspended`, { suspended: true })).status).toBe(204);

    expect(await rest('DELETE', `/process-instance/${id}?skipCustomListeners=true`)).toMatchObject(refused('skipCustomListeners'));
    expect((await instance(id)).status).toBe('active');
    expect((await rest('DELETE', `/process-instance/${id}?skipCustomListeners=false&skipSubprocesses=false`)).status).toBe(204);
    expect((await instance(id)).status).toBe('externally_terminated');

    const gone = { type: 'InvalidRequestException', message: `Process instance with id ${id} does not exist` };
    expect(await rest('GET', `/process-instance/${id}`)).toEqual({ status: 404, body: gone });
    expect(await rest('DELETE', `/process-instance/${id}`)).toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `No process instance found for id '${id}'` } });
    expect((await rest('DELETE', `/process-instance/${id}?failIfNotExists=false`)).status).toBe(204);
    expect((await rest('GET', `/process-instance/${UNKNOWN_ID}`)).status).toBe(404);
    expect(ids(await rest('GET', '/process-instance?processDefinitionKey=rt_ops'))).toEqual([]);
    expectContractKept(t);
  });

  it('modifies a running instance as Cockpit does: a token moved past its task with a variable, what it cannot do refused', async () => {
    await deploy(userTaskModel('rt_moved'));
    const id = await start('rt_moved');
    const [waiting] = (await instance(id)).current_activities;
    const refusals: [unknown, string][] = [
      [{ instructions: [{ type: 'cancel', activityId: 'approve' }], skipIoMappings: true }, 'skipIoMappings'],
      [{ instructions: [{ type: 'startBeforeActivity', activityId: 'end', variables: { note: { value: 'x', local: true } } }] }, 'local variables (note)'],
      [{ instructions: [{ type: 'cancel', transitionInstanceId: 'ti' }] }, 'Instruction 1: transitionInstanceId'],
      [{ instructions: [{ type: 'startBeforeActivity', activityId: 'nowhere' }] }, "the process has no element 'nowhere'"],
    ];
    for (const [body, name] of refusals) expect(await rest('POST', `/process-instance/${id}/modification`, body)).toMatchObject(refused(name));
    expect((await instance(id)).current_activities).toEqual([waiting]);

    const moved = await rest('POST', `/process-instance/${id}/modification`, {
      skipCustomListeners: false, annotation: 'approved on the phone',
      instructions: [
        { type: 'cancel', activityInstanceId: waiting.id, activityId: null },
        { type: 'startAfterActivity', activityId: 'approve', variables: { approvedBy: { value: 'phone', type: 'String' } } },
      ],
    });
    expect(moved).toEqual({ status: 204, body: undefined });
    const after = await instance(id);
    expect(after).toMatchObject({ status: 'completed', variables: { approvedBy: { value: 'phone' } } });
    expect(after.activities.find((a: { activity_id: string }) => a.activity_id === 'approve').status).toBe('cancelled');
    expect((await rest('POST', `/process-instance/${id}/modification`, { instructions: [{ type: 'cancel', activityId: 'approve' }] })).status).toBe(400);
    expectContractKept(t);
  });

  it('generates a migration plan and migrates instances by it, as Cockpit does', async () => {
    const v1 = await deploy(userTaskModel('rt_migrated'));
    const id = await start('rt_migrated');
    const v2 = await deploy(userTaskModel('rt_migrated').replace('name="Approve"', 'name="Approve it"'));
    const generated = await rest('POST', '/migration/generate', { sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2, updateEventTriggers: false });
    expect(generated.status).toBe(200);
    expect(generated.body).toMatchObject({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2, variables: null });
    expect(generated.body.instructions).toContainEqual({ sourceActivityIds: ['approve'], targetActivityIds: ['approve'], updateEventTrigger: false });
    const wrongSource = await rest('POST', '/migration/execute', { migrationPlan: { ...generated.body, sourceProcessDefinitionId: v2 }, processInstanceIds: [id] });
    expect(wrongSource).toMatchObject(refused("not of the plan's source"));
    expect(await rest('POST', '/migration/execute', { migrationPlan: generated.body, processInstanceIds: [id], skipIoMappings: true })).toMatchObject(refused('skipIoMappings'));
    // the instances of the query, with the plan's variables set on each
    const plan = { ...generated.body, variables: { migratedBy: { value: 'ops', type: 'String' } } };
    const migrated = await rest('POST', '/migration/execute', { migrationPlan: plan, processInstanceQuery: { processDefinitionId: v1 }, skipCustomListeners: false });
    expect(migrated).toEqual({ status: 204, body: undefined });
    expect(await instance(id)).toMatchObject({ process_definition_id: v2, variables: { migratedBy: { value: 'ops' } } });
    expectContractKept(t);
  });

  it('reads, sets and removes typed variables, Json ones as text', async () => {
    await deploy(userTaskModel('rt_vars'));
    const id = await start('rt_vars', { variables: {
      amount: { value: 5 }, order: { value: { id: 'o-1' } }, due: { type: 'Date', value: '2024-01-31T10:00:00.000Z' }, note: { value: 'keep' },
    } });
    const variables = await rest('GET', `/process-instance/${id}/variables?deserializeValues=false`);
    expect(variables).toEqual({ status: 200, body: {
      amount: { type: 'Integer', value: 5, valueInfo: {} }, order: { type: 'Json', value: '{"id":"o-1"}', valueInfo: {} },
      due: { type: 'Date', value: '2024-01-31T10:00:00.000+0000', valueInfo: {} }, note: { type: 'String', value: 'keep', valueInfo: {} },
    } });
    expect((await rest('GET', `/process-instance/${id}/variables/order`)).body).toEqual({ type: 'Json', value: '{"id":"o-1"}', valueInfo: {} });
    expect(await rest('GET', `/process-instance/${id}/variables/missing`))
      .toEqual({ status: 404, body: { type: 'InvalidRequestException', message: 'process instance variable with name missing does not exist' } });

    expect((await rest('PUT', `/process-instance/${id}/variables/order`, { type: 'Json', value: '{"id":"o-2","lines":[1,2]}', valueInfo: null })).status).toBe(204);
    expect((await instance(id)).variables.order).toMatchObject({ type: 'Json', value: { id: 'o-2', lines: [1, 2] } });
    const modified = await rest('POST', `/process-instance/${id}/variables`, {
      modifications: { amount: { type: 'Long', value: 7 }, approved: { type: 'Boolean', value: true } }, deletions: null,
    });
    expect(modified.status).toBe(204);
    expect((await instance(id)).variables).toMatchObject({ amount: { type: 'Long', value: 7 }, approved: { type: 'Boolean', value: true } });

    const removed = await rest('POST', `/process-instance/${id}/variables`, { modifications: { kept: { value: 1 } }, deletions: ['note', 'never_there'] });
    expect(removed.status).toBe(204);
    expect(Object.keys((await instance(id)).variables).sort()).toEqual(['amount', 'approved', 'due', 'kept', 'order']);
    expect((await rest('DELETE', `/process-instance/${id}/variables/due`)).status).toBe(204);
    expect((await rest('DELETE', `/process-instance/${id}/variables/due`)).status).toBe(204);
    expect((await instance(id)).variables.due).toBeUndefined();
    expect(await rest('PUT', `/process-instance/${id}/variables/upload`, { type: 'File', value: 'aGk=' })).toMatchObject(refused('File'));
    expect((await rest('PUT', `/process-instance/${id}/variables/bad`, { type: 'Json', value: '{not json' })).status).toBe(400);

    await terminate(id);
    expect((await rest('GET', `/process-instance/${id}/variables`)).status).toBe(404);
    expect(await rest('PUT', `/process-instance/${id}/variables/late`, { type: 'String', value: 'x' }))
      .toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `Process instance with id ${id} does not exist` } });
    expect((await rest('GET', `/process-instance/${UNKNOWN_ID}/variables`)).status).toBe(404);
    expectContractKept(t);
  });

  it('lists and reads definitions by id and by key, with their XML, as Camunda does', async () => {
    const v1Xml = userTaskModel('rt_def');
    const v2Xml = v1Xml.replace('name="Approval rt_def"', 'name="Order v2"');
    const v1 = await deploy(v1Xml);
    const v2 = await deploy(v2Xml);
    const acme = await deploy(v1Xml, 'acme');
    await deploy(userTaskModel('rt_only_acme'), 'acme');

    const byVersion = await rest('GET', '/process-definition?key=rt_def&sortBy=version&sortOrder=desc');
    expect(ids(byVersion)[0]).toBe(v2);
    expect((byVersion.body as { version: number }[]).map((d) => d.version)).toEqual([2, 1, 1]);
    expect(ids(await rest('GET', '/process-definition?key=rt_def&latestVersion=true&sortBy=version&sortOrder=desc'))).toEqual([v2, acme]);
    expect(ids(await rest('GET', '/process-definition?key=rt_def&latest=true&tenantIdIn=acme'))).toEqual([acme]);
    expect((await rest('GET', '/process-definition/count?key=rt_def')).body).toEqual({ count: 3 });
    expect(ids(await rest('GET', '/process-definition?key=rt_def&sortBy=version&sortOrder=asc&firstResult=2&maxResults=5'))).toEqual([v2]);

    const latest = await rest('GET', '/process-definition/key/rt_def');
    expect(latest).toEqual({ status: 200, body: {
      id: v2, key: 'rt_def', category: null, description: null, name: 'Order v2', version: 2, resource: null, deploymentId: expect.any(String),
      diagram: null, suspended: false, tenantId: null, versionTag: null, historyTimeToLive: null, startableInTasklist: true,
    } });
    expect((await rest('GET', `/process-definition/${v2}`)).body).toEqual(latest.body);
    expect((await rest('GET', '/process-definition/key/rt_def/tenant-id/acme')).body).toMatchObject({ id: acme, tenantId: 'acme', version: 1 });
    expect(await rest('GET', '/process-definition/key/rt_only_acme'))
      .toEqual({ status: 404, body: { type: 'InvalidRequestException', message: 'No matching process definition with key: rt_only_acme and no tenant-id' } });
    expect(await rest('GET', '/process-definition/key/rt_def/tenant-id/globex'))
      .toEqual({ status: 404, body: { type: 'InvalidRequestException', message: 'No matching process definition with key: rt_def and tenant-id: globex' } });
    expect(await rest('GET', `/process-definition/${UNKNOWN_ID}`))
      .toEqual({ status: 404, body: { type: 'InvalidRequestException', message: `No matching definition with id ${UNKNOWN_ID}` } });

    expect((await rest('GET', `/process-definition/${v1}/xml`)).body).toEqual({ id: v1, bpmn20Xml: v1Xml });
    expect((await rest('GET', '/process-definition/key/rt_def/xml')).body).toEqual({ id: v2, bpmn20Xml: v2Xml });
    expect((await rest('GET', `/process-definition/${UNKNOWN_ID}/xml`)).status).toBe(404);

    expect(await rest('GET', '/process-definition?keyLike=rt%25')).toMatchObject(refused('keyLike'));
    expect(await rest('GET', '/process-definition?name=Order%20v2')).toMatchObject(refused('name'));
    expect(await rest('GET', '/process-definition?key=rt_def&tenantIdIn=acme,globex')).toMatchObject(refused('tenantIdIn'));
    expect(await rest('GET', '/process-definition?sortBy=id&sortOrder=asc')).toMatchObject(refused("Cannot sort by 'id'"));
    expectContractKept(t);
  });

  it('suspends and activates a definition by key, with its instances when asked, and by id', async () => {
    const v1 = await deploy(userTaskModel('rt_suspend'));
    const ofV1 = await start('rt_suspend');
    const v2 = await deploy(userTaskModel('rt_suspend').replace('name="Approval rt_suspend"', 'name="Suspend v2"'));
    const ofV2 = await start('rt_suspend');
    expect((await instance(ofV2)).process_definition_id).toBe(v2);
    // only the latest version is addressed by key
    const suspended = await rest('PUT', '/process-definition/key/rt_suspend/suspended', { suspended: true, includeProcessInstances: true, executionDate: null });
    expect(suspended.status).toBe(204);
    expect((await call(t.app, 'GET', `/definitions/${v2}`)).json().suspended).toBe(true);
    expect((await call(t.app, 'GET', `/definitions/${v1}`)).json().suspended).toBe(false);
    expect((await instance(ofV2)).status).toBe('suspended');
    expect((await instance(ofV1)).status).toBe('active');
    expect(ids(await rest('GET', '/process-definition?key=rt_suspend&suspended=true'))).toEqual([v2]);
    expect(ids(await rest('GET', '/process-definition?key=rt_suspend&active=true'))).toEqual([v1]);

    expect((await rest('PUT', `/process-definition/${v2}/suspended`, { suspended: false })).status).toBe(204);
    expect((await call(t.app, 'GET', `/definitions/${v2}`)).json().suspended).toBe(false);
    expect((await instance(ofV2)).status).toBe('suspended');
    expect(await rest('PUT', `/process-definition/${v1}/suspended`, { suspended: true, executionDate: '2030-01-01T00:00:00.000+0000' })).toMatchObject(refused('executionDate'));
    expect((await call(t.app, 'GET', `/definitions/${v1}`)).json().suspended).toBe(false);
    expect((await rest('PUT', `/process-definition/${UNKNOWN_ID}/suspended`, { suspended: true })).status).toBe(204);
    expect((await rest('PUT', '/process-definition/key/rt_nothing/suspended', { suspended: true })).status).toBe(404);
    expectContractKept(t);
  });
});
