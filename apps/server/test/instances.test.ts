// /instances: start, list, details, variables, suspension and termination.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

describe.each(testBackends())('instances on %s', (backend) => {
  let t: TestApp;
  let definitionId: string;
  beforeAll(async () => {
    t = await startTestApp(backend, 'instances');
    definitionId = (await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('inst') })).json().definitions[0].id;
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const start = (body: Record<string, unknown> = {}) => call(t.app, 'POST', '/instances', { process_definition_key: 'inst', ...body });

  it('starts by key with 201, waiting at the user task, variables typed', async () => {
    const res = await start({ business_key: 'B-1', started_by: 'carol', variables: { amount: { value: 12 }, note: { value: 'hi', type: 'String' } } });
    expect(res.statusCode).toBe(201);
    const instance = res.json();
    expect(instance).toMatchObject({
      process_definition_id: definitionId, process_definition_key: 'inst', business_key: 'B-1', status: 'active', started_by: 'carol',
      variables: { amount: { value: 12, type: 'Integer' }, note: { value: 'hi', type: 'String' } },
    });
    expect(instance.current_activities).toEqual([expect.objectContaining({ activity_id: 'approve', type: 'userTask' })]);
  });

  it('starts by definition id, and records an unnamed starter as anonymous', async () => {
    const res = await call(t.app, 'POST', '/instances', { process_definition_id: definitionId });
    expect(res.statusCode).toBe(201);
    expect(res.json().started_by).toBe('anonymous');
  });

  it('refuses bodies naming no definition, both kinds, or unknown ones', async () => {
    expectError(await call(t.app, 'POST', '/instances', { business_key: 'x' }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', '/instances', { process_definition_key: 'inst', process_definition_id: definitionId }), 400, 'VALIDATION_ERROR');
    expectError(await start({ process_definition_key: 'no_such_key' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/instances', { process_definition_id: 'garbage' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/instances', { process_definition_id: UNKNOWN_ID }), 404, 'NOT_FOUND');
  });

  it('refuses malformed variables with 400', async () => {
    expectError(await start({ variables: { a: 5 } }), 400, 'VALIDATION_ERROR');
    expectError(await start({ variables: { a: { type: 'String' } } }), 400, 'VALIDATION_ERROR');
    expectError(await start({ variables: { a: { value: 1, colour: 'red' } } }), 400, 'VALIDATION_ERROR');
    expectError(await start({ variables: { a: { value: 'five', type: 'Integer' } } }), 400, 'VALIDATION_ERROR');
  });

  it('accepts JSON exactly 64 levels deep and refuses 65', async () => {
    // the root, `variables` and `v` objects are 3 levels around the nested arrays
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const body = (levels: number) => `{"process_definition_key":"inst","variables":{"v":{"value":${nested(levels)}}}}`;
    const ok = await call(t.app, 'POST', '/instances', body(61), { 'content-type': 'application/json' });
    expect(ok.statusCode, ok.body).toBe(201);
    expectError(await call(t.app, 'POST', '/instances', body(62), { 'content-type': 'application/json' }), 400, 'VALIDATION_ERROR');
  });

  it('lists with filters', async () => {
    await start({ business_key: 'list-me' });
    const res = await call(t.app, 'GET', '/instances?business_key=list-me&status=active&process_definition_key=inst');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(res.json().data[0].business_key).toBe('list-me');
    const future = await call(t.app, 'GET', '/instances?started_after=2999-01-01T00:00:00Z');
    expect(future.json().total).toBe(0);
    expectError(await call(t.app, 'GET', '/instances?started_after=yesterday'), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'GET', '/instances?status=sleeping'), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'GET', '/instances?limit=5000'), 400, 'VALIDATION_ERROR');
  });

  it('pages by cursor, and refuses a cursor it did not make', async () => {
    for (const n of [1, 2, 3]) await start({ business_key: `paged-${n}` });
    const filter = '&process_definition_key=inst&sort=business_key';
    const first = await call(t.app, 'GET', `/instances?limit=2${filter}&started_after=2000-01-01T00:00:00Z`);
    const firstPage = first.json();
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const second = await call(t.app, 'GET', `/instances?limit=2${filter}&started_after=2000-01-01T00:00:00Z&cursor=${firstPage.next_cursor}`);
    expect(second.statusCode).toBe(200);
    const all = await call(t.app, 'GET', `/instances?limit=4${filter}&started_after=2000-01-01T00:00:00Z`);
    expect([...firstPage.data, ...second.json().data].slice(0, 4).map((i: { id: string }) => i.id))
      .toEqual(all.json().data.map((i: { id: string }) => i.id));
    expect(expectError(await call(t.app, 'GET', '/instances?cursor=garbage'), 400, 'VALIDATION_ERROR').message).toMatch(/cursor/);
    expect(expectError(await call(t.app, 'GET', `/instances?cursor=${firstPage.next_cursor}`), 400, 'VALIDATION_ERROR').message).toMatch(/sort 'business_key'/);
    expect(expectError(await call(t.app, 'GET', `/instances?sort=business_key&offset=1&cursor=${firstPage.next_cursor}`), 400, 'VALIDATION_ERROR').message)
      .toMatch(/cursor and offset/);
  });

  it('reads details with activities, execution path and audit trail', async () => {
    const id = (await start()).json().id;
    const res = await call(t.app, 'GET', `/instances/${id}`);
    expect(res.statusCode).toBe(200);
    const details = res.json();
    expect(details.execution_path.map((e: { activity_id: string }) => e.activity_id)).toEqual(['start', 'approve']);
    expect(details.execution_path[1]).toMatchObject({ transition_id: 'f1' });
    expect(details.activities.map((a: { activity_id: string }) => a.activity_id)).toContain('approve');
    expect(details.incidents).toEqual([]);
    expect(Array.isArray(details.audit_trail)).toBe(true);
    expectError(await call(t.app, 'GET', '/instances/nope'), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', `/instances/${UNKNOWN_ID}`), 404, 'NOT_FOUND');
  });

  it('reads, sets and removes variables', async () => {
    const id = (await start({ variables: { a: { value: 1 } } })).json().id;
    expect((await call(t.app, 'GET', `/instances/${id}/variables`)).json()).toEqual({ a: expect.objectContaining({ value: 1, type: 'Integer' }) });
    const res = await call(t.app, 'PUT', `/instances/${id}/variables`, [
      { variable_name: 'a', value: 2 },
      { variable_name: 'doc', value: { x: [1, { y: null }] }, type: 'Json' },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ a: { value: 2 }, doc: { value: { x: [1, { y: null }] }, type: 'Json' } });
    // with authentication off, who set them is recorded as anonymous, as who started the instance
    const audit = (await call(t.app, 'GET', `/instances/${id}`)).json().audit_trail.filter((e: { operation: string }) => e.operation === 'SetVariable');
    expect(audit.map((e: { property: string; user_id: string }) => [e.property, e.user_id])).toEqual([['a', 'anonymous'], ['doc', 'anonymous']]);
    const removed = await call(t.app, 'DELETE', `/instances/${id}/variables/doc`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(Object.keys((await call(t.app, 'GET', `/instances/${id}/variables`)).json())).toEqual(['a']);
    expect((await call(t.app, 'GET', `/instances/${id}`)).json().audit_trail.at(-1)).toMatchObject({ operation: 'RemoveVariable', property: 'doc', org_value: '{"x":[1,{"y":null}]}' });
    const unknown = expectError(await call(t.app, 'DELETE', `/instances/${id}/variables/doc`), 404, 'NOT_FOUND');
    expect(unknown.message).toBe(`Variable 'doc' of process instance '${id}' does not exist`);
    expectError(await call(t.app, 'PUT', `/instances/${id}/variables`, { a: 1 }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'PUT', `/instances/${id}/variables`, [{ variable_name: 'a' }]), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'GET', `/instances/${UNKNOWN_ID}/variables`), 404, 'NOT_FOUND');
  });

  it('suspends and activates; a suspended instance\'s task cannot be completed (409)', async () => {
    const id = (await start()).json().id;
    const suspended = await call(t.app, 'PUT', `/instances/${id}/suspended`, { suspended: true });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json().status).toBe('suspended');
    const task = (await call(t.app, 'GET', `/tasks?process_instance_id=${id}`)).json().data[0];
    expectError(await call(t.app, 'POST', `/tasks/${task.id}/complete`, {}), 409, 'CONFLICT');
    const active = await call(t.app, 'PUT', `/instances/${id}/suspended`, { suspended: false });
    expect(active.json().status).toBe('active');
    expect((await call(t.app, 'POST', `/tasks/${task.id}/complete`, {})).statusCode).toBe(200);
    expectError(await call(t.app, 'PUT', `/instances/${id}/suspended`, { suspended: 'yes' }), 400, 'VALIDATION_ERROR');
  });

  it('terminates with 204: externally_terminated, its task cancelled; then 409', async () => {
    const id = (await start()).json().id;
    const res = await call(t.app, 'DELETE', `/instances/${id}?reason=${encodeURIComponent('no longer needed')}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const after = (await call(t.app, 'GET', `/instances/${id}`)).json();
    expect(after.status).toBe('externally_terminated');
    const tasks = (await call(t.app, 'GET', `/tasks?process_instance_id=${id}&status=cancelled`)).json();
    expect(tasks.total).toBe(1);
    expectError(await call(t.app, 'DELETE', `/instances/${id}`), 409, 'CONFLICT');
    expectError(await call(t.app, 'PUT', `/instances/${id}/variables`, [{ variable_name: 'a', value: 1 }]), 409, 'CONFLICT');
    expectError(await call(t.app, 'DELETE', `/instances/${UNKNOWN_ID}`), 404, 'NOT_FOUND');
  });

  it('modifies an instance: a token started after its task with a variable, the task cancelled; refusals name the instruction', async () => {
    const id = (await start()).json().id;
    const [waiting] = (await call(t.app, 'GET', `/instances/${id}`)).json().current_activities;
    const refused = expectError(await call(t.app, 'POST', `/instances/${id}/modification`, {
      instructions: [{ type: 'cancel', activity_instance_id: waiting.id }, { type: 'start_before_activity', activity_id: 'ghost' }],
    }), 400, 'VALIDATION_ERROR');
    expect(refused.message).toBe("Instruction 2: the process has no element 'ghost'");
    expect((await call(t.app, 'GET', `/instances/${id}`)).json().current_activities).toEqual([waiting]);
    expectError(await call(t.app, 'POST', `/instances/${id}/modification`, { instructions: [] }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', `/instances/${id}/modification`, { instructions: [{ type: 'jump' }] }), 400, 'VALIDATION_ERROR');

    const res = await call(t.app, 'POST', `/instances/${id}/modification`, {
      instructions: [{ type: 'cancel', activity_instance_id: waiting.id }, { type: 'start_after_activity', activity_id: 'approve', variables: { skipped: { value: true } } }],
      annotation: 'approved by phone',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'completed', variables: { skipped: { value: true, type: 'Boolean' } } });
    const details = (await call(t.app, 'GET', `/instances/${id}`)).json();
    expect(details.audit_trail.find((entry: { operation: string }) => entry.operation === 'ModifyProcessInstance')).toMatchObject({ new_value: 'approved by phone' });
    expectError(await call(t.app, 'POST', `/instances/${id}/modification`, { instructions: [{ type: 'cancel', activity_id: 'approve' }] }), 409, 'CONFLICT');
    expectError(await call(t.app, 'POST', `/instances/${UNKNOWN_ID}/modification`, { instructions: [{ type: 'cancel', activity_id: 'approve' }] }), 404, 'NOT_FOUND');
  });
});
