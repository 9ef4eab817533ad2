// Call activities over REST: the instances a caller called, listed by super_instance_id, and named on
// the call activity's activity instance; a call activity naming no process is refused at deploy.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callActivityModel, userTaskModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, type TestApp } from './support.js';

describe.each(testBackends())('call activities on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'call-activities');
    for (const bpmn_xml of [userTaskModel('called'), callActivityModel('caller', 'called')]) {
      expect((await call(t.app, 'POST', '/definitions', { bpmn_xml })).statusCode).toBe(201);
    }
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  it('lists the instances a caller called by super_instance_id, and names each on its call activity', async () => {
    const caller = (await call(t.app, 'POST', '/instances', { process_definition_key: 'caller' })).json();
    const other = (await call(t.app, 'POST', '/instances', { process_definition_key: 'caller' })).json();

    const res = await call(t.app, 'GET', `/instances?super_instance_id=${caller.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(1);
    const [called] = res.json().data;
    expect(called).toMatchObject({ process_definition_key: 'called', super_instance_id: caller.id, status: 'active' });
    const calledByOther = (await call(t.app, 'GET', `/instances?super_instance_id=${other.id}`)).json().data;
    expect(calledByOther).toEqual([expect.objectContaining({ super_instance_id: other.id })]);
    expect(calledByOther[0].id).not.toBe(called.id);

    const details = (await call(t.app, 'GET', `/instances/${caller.id}`)).json();
    const activity = details.activities.find((a: { activity_id: string }) => a.activity_id === 'call');
    expect(activity).toMatchObject({ type: 'callActivity', called_instance_id: called.id });
    expect((await call(t.app, 'GET', `/instances/${called.id}`)).json().super_instance_id).toBe(caller.id);
    expect((await call(t.app, 'GET', `/instances?super_instance_id=${called.id}`)).json()).toMatchObject({ total: 0, data: [] });
  });

  it('refuses a call activity that names no process with 422, naming the element', async () => {
    const error = expectError(await call(t.app, 'POST', '/definitions', { bpmn_xml: callActivityModel('calls_nothing') }), 422, 'INVALID_BPMN');
    expect(error.details?.problems).toEqual([{ element_id: 'call', message: expect.stringContaining('does not name the process it calls') }]);
  });
});
