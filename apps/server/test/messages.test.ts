// /messages and /signals: delivery to one, to all, to none, and ambiguity.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messageModel, messageStartModel, signalModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

describe.each(testBackends())('messages and signals on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'messages');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: messageModel('pay', 'paid') });
    await call(t.app, 'POST', '/definitions', { bpmn_xml: messageStartModel('order', 'order placed') });
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

  it('matches correlation keys against the instance\'s variables', async () => {
    const start = (order: string) => call(t.app, 'POST', '/instances', {
      process_definition_key: 'pay', business_key: 'keyed', variables: { order_id: { value: order } },
    });
    await start('A-1');
    const b = (await start('B-2')).json().id;
    const res = await call(t.app, 'POST', '/messages', { message_name: 'paid', business_key: 'keyed', correlation_keys: { order_id: 'B-2' } });
    expect(res.json()).toEqual({ process_instance_id: b, activity_id: 'wait' });
  });

  it('starts an instance from a message start event', async () => {
    const res = await call(t.app, 'POST', '/messages', { message_name: 'order placed', business_key: 'o-7' });
    expect(res.statusCode).toBe(200);
    const { process_instance_id, activity_id } = res.json();
    expect(activity_id).toBe('started');
    const instance = (await call(t.app, 'GET', `/instances/${process_instance_id}`)).json();
    expect(instance).toMatchObject({ process_definition_key: 'order', business_key: 'o-7', status: 'active' });
  });

  it('answers 404 when nothing waits, and 409 when several match without `all`', async () => {
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', business_key: 'nobody' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', process_instance_id: 'not-an-id' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', process_instance_id: UNKNOWN_ID }), 404, 'NOT_FOUND');
    await waitForPayment('twin');
    await waitForPayment('twin');
    expectError(await call(t.app, 'POST', '/messages', { message_name: 'paid', business_key: 'twin' }), 409, 'CONFLICT');
  });

  it('delivers to the waiting instance before a start event of the same message, as Camunda 7 does', async () => {
    await call(t.app, 'POST', '/definitions', { bpmn_xml: messageModel('refund', 'refund due') });
    await call(t.app, 'POST', '/definitions', { bpmn_xml: messageStartModel('refund_claim', 'refund due') });
    const waiting = (await call(t.app, 'POST', '/instances', { process_definition_key: 'refund', business_key: 'r-1' })).json().id;
    const res = await call(t.app, 'POST', '/messages', { message_name: 'refund due', business_key: 'r-1' });
    expect(res.json()).toEqual({ process_instance_id: waiting, activity_id: 'wait' });
    const started = await call(t.app, 'POST', '/messages', { message_name: 'refund due', business_key: 'r-1' });
    expect(started.json()).toMatchObject({ activity_id: 'started' });
    await call(t.app, 'POST', '/instances', { process_definition_key: 'refund', business_key: 'r-2' });
    const both = await call(t.app, 'POST', '/messages', { message_name: 'refund due', business_key: 'r-2', all: true });
    expect(both.json().data.map((d: { activity_id: string }) => d.activity_id).sort()).toEqual(['started', 'wait']);
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

  it('broadcasts a signal to every instance waiting for it and every signal start event, and answers where it went', async () => {
    await call(t.app, 'POST', '/definitions', { bpmn_xml: signalModel('alarmed', 'alarm') });
    const start = async () => (await call(t.app, 'POST', '/instances', { process_definition_key: 'alarmed' })).json().id as string;
    const [a, b] = [await start(), await start()];
    const res = await call(t.app, 'POST', '/signals', { signal_name: 'alarm', variables: { level: { value: 3 } } });
    expect(res.statusCode).toBe(200);
    const data = res.json().data as { process_instance_id: string; activity_id: string }[];
    expect(data.filter((d) => d.activity_id === 'wait').map((d) => d.process_instance_id).sort()).toEqual([a, b].sort());
    const started = data.filter((d) => d.activity_id === 'started');
    expect(started).toHaveLength(1);
    for (const id of [a, b]) expect((await call(t.app, 'GET', `/instances/${id}`)).json()).toMatchObject({ status: 'completed', variables: { level: { value: 3 } } });
    expect((await call(t.app, 'GET', `/instances/${started[0]!.process_instance_id}`)).json()).toMatchObject({ status: 'active', variables: { level: { value: 3 } } });

    expect((await call(t.app, 'POST', '/signals', { signal_name: 'nobody-listens' })).json()).toEqual({ data: [] });
    expectError(await call(t.app, 'POST', '/signals', {}), 400, 'VALIDATION_ERROR');
    expectError(await call(t.app, 'POST', '/signals', { signal_name: 'go', tenant: 'x' }), 400, 'VALIDATION_ERROR');
  });
});
