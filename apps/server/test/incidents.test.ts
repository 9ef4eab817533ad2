// /incidents: list, read, resolve (retry, skip, manual, abort) and escalate.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { externalTaskModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

describe.each(testBackends())('incidents on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'incidents');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: externalTaskModel('inc', 'inc_topic') });
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  /** An instance whose external task failed for good: one open failedExternalTask incident. */
  const openIncident = async () => {
    const instanceId = (await call(t.app, 'POST', '/instances', { process_definition_key: 'inc' })).json().id as string;
    const locked = (await call(t.app, 'POST', '/external-tasks/fetch-and-lock', {
      worker_id: 'w', max_tasks: 1, topics: [{ topic_name: 'inc_topic', lock_duration: 60_000, process_instance_id: instanceId }],
    })).json();
    await call(t.app, 'POST', `/external-tasks/${locked[0].id}/failure`, { worker_id: 'w', error_message: 'boom', retries: 0 });
    const incident = (await call(t.app, 'GET', `/incidents?process_instance_id=${instanceId}&status=open`)).json().data[0];
    expect(incident).toBeDefined();
    return { incident, instanceId };
  };

  it('lists and reads incidents with their history', async () => {
    const { incident, instanceId } = await openIncident();
    const list = await call(t.app, 'GET', '/incidents?incident_type=failedExternalTask&status=open');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((i: { id: string }) => i.id)).toContain(incident.id);
    const one = await call(t.app, 'GET', `/incidents/${incident.id}`);
    expect(one.json()).toMatchObject({ id: incident.id, process_instance_id: instanceId, incident_message: expect.stringContaining('boom') });
    expect(one.json().history[0]).toMatchObject({ action: 'created' });
    expectError(await call(t.app, 'GET', '/incidents?incident_type=meteor'), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'GET', '/incidents/bad'), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', `/incidents/${UNKNOWN_ID}`), 404, 'NOT_FOUND');
  });

  it('resolves with retry: the work is offered again; resolving twice is 409', async () => {
    const { incident, instanceId } = await openIncident();
    const res = await call(t.app, 'POST', `/incidents/${incident.id}/resolve`, { resolution_type: 'retry', resolution_message: 'fixed the card', resolved_by: 'ops' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'resolved', resolution: { resolution_type: 'retry', resolved_by: 'ops' } });
    const again = (await call(t.app, 'POST', '/external-tasks/fetch-and-lock', {
      worker_id: 'w', max_tasks: 1, topics: [{ topic_name: 'inc_topic', lock_duration: 1000, process_instance_id: instanceId }],
    })).json();
    expect(again).toHaveLength(1);
    expectError(await call(t.app, 'POST', `/incidents/${incident.id}/resolve`, { resolution_type: 'retry' }), 409, 'CONFLICT');
  });

  it('resolves with skip (the instance moves on) and abort (it is terminated)', async () => {
    const skipped = await openIncident();
    await call(t.app, 'POST', `/incidents/${skipped.incident.id}/resolve`, { resolution_type: 'skip' });
    expect((await call(t.app, 'GET', `/instances/${skipped.instanceId}`)).json().status).toBe('completed');
    const aborted = await openIncident();
    await call(t.app, 'POST', `/incidents/${aborted.incident.id}/resolve`, { resolution_type: 'abort' });
    expect((await call(t.app, 'GET', `/instances/${aborted.instanceId}`)).json().status).toBe('externally_terminated');
  });

  it('refuses unknown resolution types', async () => {
    const { incident } = await openIncident();
    expectError(await call(t.app, 'POST', `/incidents/${incident.id}/resolve`, { resolution_type: 'pray' }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', `/incidents/${incident.id}/resolve`, {}), 400, 'VALIDATION_ERROR');
  });

  it('escalates, with or without a body', async () => {
    const { incident } = await openIncident();
    const res = await call(t.app, 'POST', `/incidents/${incident.id}/escalate`, { message: 'needs a human', assignee: 'oncall' });
    expect(res.statusCode).toBe(200);
    expect(res.json().history.map((h: { action: string }) => h.action)).toContain('escalated');
    const bare = await t.app.inject({ method: 'POST', url: `/api/processes/incidents/${incident.id}/escalate` });
    expect(bare.statusCode, bare.body).toBe(200);
  });
});
