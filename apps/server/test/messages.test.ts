// /messages and /signals: delivery to one, to all, to none, and ambiguity.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messageModel, signalModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

describe.each(testBackends())('messages and signals on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'messages');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: messageModel('pay', 'paid') });
    await call(t.app, 'POST', '/definitions', { bpmn_xml: signalModel('sig', 'go') });
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const waitForPayment = async (businessKey: string) =>
    (await call(t.app, 'POST', '/instances', { process_definition_key: 'pay', business_key: businessKey })).json().id as string;

  it('delivers to the one match: { process_instance_id, activity_id }', async () => {
    const id = await waitForPayment('order-1');
    const res = await call(t.app, 'POST', '/messages', { message_name: 'paid', business_key: 'order-1', variables: { amount: { value: 5 } } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ process_instance_id: id, activity_id: 'wait' });
    const instance = (await call(t.app, 'GET', `/instances/${id}`)).json();
    expect(instance).toMatchObject({ status: 'completed', variables: { amount: { value: 5 } } });
  });

  it('answers 404 when nothing waits, and 409 when several match without `all`', async () => {
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', business_key: 'nobody' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', process_instance_id: 'not-an-id' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', process_instance_id: UNKNOWN_ID }), 404, 'NOT_FOUND');
    await waitForPayment('twin');
    await waitForPayment('twin');
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', business_key: 'twin' }), 409, 'CONFLICT');
  });

  it('delivers to every match with all: true, as { data: [...] }', async () => {
    const a = await waitForPayment('batch');
    const b = await waitForPayment('batch');
    const res = await call(t.app, 'POST', '/messages', { message_name: 'paid', business_key: 'batch', all: true });
    expect(res.statusCode).toBe(200);
    const ids = res.json().data.map((d: { process_instance_id: string }) => d.process_instance_id);
    expect(ids.sort()).toEqual([a, b].sort());
  });

  it('refuses bad message bodies', async () => {
    expectError(await call(t.app, 'POST', '/messages', { business_key: 'x' }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', all: 'yes' }), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', correlation_key: {} }), 400, 'VALIDATION_ERROR');
  });

  it('broadcasts a signal to every waiting catch event', async () => {
    const first = (await call(t.app, 'POST', '/instances', { process_definition_key: 'sig' })).json().id;
    const second = (await call(t.app, 'POST', '/instances', { process_definition_key: 'sig' })).json().id;
    const res = await call(t.app, 'POST', '/signals', { signal_name: 'go' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((d: { process_instance_id: string }) => d.process_instance_id).sort()).toEqual([first, second].sort());
    expect((await call(t.app, 'GET', `/instances/${first}`)).json().status).toBe('completed');
    expect((await call(t.app, 'POST', '/signals', { signal_name: 'nobody-listens' })).json()).toEqual({ data: [] });
    expectError(await call(t.app, 'POST', '/signals', {}), 400, 'VALIDATION_ERROR');
  });
});
