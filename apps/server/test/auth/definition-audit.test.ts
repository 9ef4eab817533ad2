// Deploying, changing, suspending and deleting a definition is audited with the caller who did it, and
// the trail of a process key stays readable from its other versions once one is deleted.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from '../models.js';
import { call, expectContractKept, startTestApp, type TestApp } from '../support.js';
import { bearer, SECRET_ENV } from './tokens.js';

describe.each(testBackends())('the audit of definitions on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'definition-audit', {}, SECRET_ENV);
  });
  afterAll(() => t?.close());

  it('records each change with the caller, across the versions of the key', async () => {
    const dora = await bearer('dora', { roles: ['deployer'] });
    const root = await bearer('root', { roles: ['admin'] });
    const first = (await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('audited') }, dora)).json().definitions[0];
    const second = (await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('audited').replace('Approve', 'Approve again') }, root))
      .json().definitions[0];
    expect((await call(t.app, 'PUT', `/definitions/${first.id}`, { name: 'Renamed' }, dora)).statusCode).toBe(200);
    expect((await call(t.app, 'PUT', `/definitions/${first.id}/suspended`, { suspended: true }, dora)).statusCode).toBe(200);
    expect((await call(t.app, 'DELETE', `/definitions/${second.id}`, undefined, root)).statusCode).toBe(204);

    const trail = (await call(t.app, 'GET', `/definitions/${first.id}`, undefined, dora)).json().audit_trail as Record<string, string>[];
    expect(trail.map((e) => [e.operation, e.process_definition_id, e.user_id, e.property ?? null, e.org_value ?? null, e.new_value ?? null])).toEqual([
      ['Deploy', first.id, 'dora', null, null, null],
      ['Deploy', second.id, 'root', null, null, null],
      ['UpdateDefinition', first.id, 'dora', 'name', 'Approval audited', 'Renamed'],
      ['SuspendDefinition', first.id, 'dora', null, null, null],
      ['DeleteDefinition', second.id, 'root', null, null, null],
    ]);
    expectContractKept(t);
  });
});
