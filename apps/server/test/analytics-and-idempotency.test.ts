// Analytics reports, and Idempotency-Key replays of POST commands.
import { createEngine } from '@dadms/process-engine';
import { createTestDatabase, testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from './models.js';
import { buildTestApp, call, expectContractKept, expectError, startTestApp, type TestApp } from './support.js';

describe.each(testBackends())('analytics and idempotency on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'analytics-idempotency');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('idem') });
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  it.each(['/statistics', '/performance', '/bottlenecks', '/tasks/statistics'])('answers %s with a report', async (path) => {
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const res = await call(t.app, 'GET', `${path}?from=${from}&to=${to}&process_definition_key=idem`);
    expect(res.statusCode, res.body).toBe(200);
    expect(typeof res.json()).toBe('object');
    expect((await call(t.app, 'GET', path)).statusCode).toBe(200);
    expectError(await call(t.app, 'GET', `${path}?from=last-week`), 400, 'VALIDATION_ERROR');
  });

  const countInstances = async () => (await call(t.app, 'GET', '/instances?process_definition_key=idem')).json().total as number;

  it('replays the first answer for a repeated Idempotency-Key and does nothing again', async () => {
    const before = await countInstances();
    const headers = { 'idempotency-key': 'start-once-1' };
    const first = await call(t.app, 'POST', '/instances', { process_definition_key: 'idem' }, headers);
    expect(first.statusCode).toBe(201);
    const repeat = await call(t.app, 'POST', '/instances', { process_definition_key: 'idem' }, headers);
    expect(repeat.statusCode).toBe(201);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.json()).toEqual(first.json());
    expect(await countInstances()).toBe(before + 1);
  });

  it('replays a completion that would now be a 409', async () => {
    const id = (await call(t.app, 'POST', '/instances', { process_definition_key: 'idem' })).json().id;
    const task = (await call(t.app, 'GET', `/tasks?process_instance_id=${id}`)).json().data[0];
    const headers = { 'idempotency-key': `complete-${task.id}` };
    expect((await call(t.app, 'POST', `/tasks/${task.id}/complete`, {}, headers)).statusCode).toBe(200);
    // Completing again would be a 409; the replay answers the first 200.
    const repeat = await call(t.app, 'POST', `/tasks/${task.id}/complete`, {}, headers);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 409 for the same key with a different request', async () => {
    const headers = { 'idempotency-key': 'start-once-2' };
    expect((await call(t.app, 'POST', '/instances', { process_definition_key: 'idem', business_key: 'a' }, headers)).statusCode).toBe(201);
    const other = await call(t.app, 'POST', '/instances', { process_definition_key: 'idem', business_key: 'b' }, headers);
    expectError(other, 409, 'CONFLICT');
  });

  it('keeps no refused answer: a retry after a 4xx runs again', async () => {
    const headers = { 'idempotency-key': 'start-missing' };
    expectError(await call(t.app, 'POST', '/instances', { process_definition_key: 'idem_later' }, headers), 404, 'NOT_FOUND');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('idem_later') });
    expect((await call(t.app, 'POST', '/instances', { process_definition_key: 'idem_later' }, headers)).statusCode).toBe(201);
  });

  it('runs concurrent requests with one key once', async () => {
    const before = await countInstances();
    const headers = { 'idempotency-key': 'start-concurrent' };
    const answers = await Promise.all([1, 2, 3].map(() => call(t.app, 'POST', '/instances', { process_definition_key: 'idem' }, headers)));
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await countInstances()).toBe(before + 1);
  });

  it('answers a repeat whose first answer was never kept with a 409 saying it took effect, and runs nothing again', async () => {
    const db = await createTestDatabase(backend, 'server/idempotency-lost');
    // a process that stops between its command's commit and keeping the answer: here, one that never keeps it
    const { app } = await buildTestApp(async () => ({ ...await createEngine(db.options), rememberIdempotent: async () => {} }), {
      env: db.options.databaseUrl ? { DATABASE_URL: db.options.databaseUrl } : {}, idempotency: { lostAfterMs: 300 },
    });
    try {
      await call(app, 'POST', '/definitions', { bpmn_xml: userTaskModel('idem_lost') });
      const headers = { 'idempotency-key': 'start-lost' };
      expect((await call(app, 'POST', '/instances', { process_definition_key: 'idem_lost' }, headers)).statusCode).toBe(201);
      const repeat = await call(app, 'POST', '/instances', { process_definition_key: 'idem_lost' }, headers);
      expectError(repeat, 409, 'CONFLICT');
      expect(repeat.json().error.details).toEqual({ idempotency_key: 'start-lost', answer: 'lost' });
      // another request under the key is told so, not that the key's answer was lost
      const other = await call(app, 'POST', '/instances', { process_definition_key: 'idem_lost', business_key: 'b' }, headers);
      expectError(other, 409, 'CONFLICT');
      expect(other.json().error.details).toEqual({ idempotency_key: 'start-lost' });
      expect((await call(app, 'GET', '/instances?process_definition_key=idem_lost')).json().total).toBe(1);
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('refuses an over-long key', async () => {
    const res = await call(t.app, 'POST', '/instances', { process_definition_key: 'idem' }, { 'idempotency-key': 'k'.repeat(256) });
    expectError(res, 400, 'VALIDATION_ERROR');
  });
});
