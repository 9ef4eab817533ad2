// Values a client sends that JavaScript would read loosely: each is taken exactly as written, or refused
// with a 400 naming it, never rolled over, guessed at or passed on to the database.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from './models.js';
import { call, expectContractKept, expectError, startTestApp, type TestApp } from './support.js';

describe.each(testBackends())('values as written on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'contract-values');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('values') });
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const startWith = (variable: Record<string, unknown>) =>
    call(t.app, 'POST', '/instances', { process_definition_key: 'values', variables: { v: variable } });
  const stored = async (variable: Record<string, unknown>) => {
    const res = await startWith(variable);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().variables.v;
  };

  it('refuses an offset past 2^53 on every list, where the database would fail', async () => {
    for (const list of ['/definitions', '/instances', '/tasks', '/incidents', '/jobs', '/external-tasks']) {
      const error = expectError(await call(t.app, 'GET', `${list}?offset=9999999999999999999999`), 400, 'VALIDATION_ERROR');
      expect(error.message).toContain('offset');
    }
    const last = await call(t.app, 'GET', `/instances?offset=${Number.MAX_SAFE_INTEGER}`);
    expect(last.json()).toMatchObject({ data: [], offset: Number.MAX_SAFE_INTEGER });
  });

  it('refuses a time filter on a day its month does not have, rather than the day after', async () => {
    for (const query of ['/instances?started_after=2026-02-30T00:00:00Z', '/instances?started_before=2026-04-31T00:00:00Z',
      '/tasks?due_before=2025-02-29T00:00:00Z', '/statistics?from=2026-06-31T00:00:00Z']) {
      expectError(await call(t.app, 'GET', query), 400, 'VALIDATION_ERROR');
    }
    expect((await call(t.app, 'GET', '/instances?started_after=2024-02-29T00:00:00Z')).statusCode).toBe(200);
  });

  it('takes a Date variable only as an ISO 8601 date or date-time', async () => {
    for (const value of ['1', '2026-02-30T10:00:00Z', 'March 7, 2020', 20260101]) {
      const error = expectError(await startWith({ value, type: 'Date' }), 400, 'VALIDATION_ERROR');
      expect(error.message).toContain("'v'");
    }
    expect(await stored({ value: '2026-01-01T10:00:00.000+0100', type: 'Date' })).toEqual({ value: '2026-01-01T09:00:00.000Z', type: 'Date' });
    expect(await stored({ value: '2024-02-29', type: 'Date' })).toEqual({ value: '2024-02-29T00:00:00.000Z', type: 'Date' });
  });

  it('infers Double for a number past 2^53, which no Long holds exactly', async () => {
    expect(await stored({ value: 1e300 })).toEqual({ value: 1e300, type: 'Double' });
    expect(await stored({ value: 12_345_678_901 })).toEqual({ value: 12_345_678_901, type: 'Long' });
    expectError(await startWith({ value: 1e300, type: 'Long' }), 400, 'VALIDATION_ERROR');
  });

  it('refuses a variable without a name, which no later call could address', async () => {
    const started = async () => (await call(t.app, 'GET', '/instances?process_definition_key=values')).json().total;
    const before = await started();
    const error = expectError(
      await call(t.app, 'POST', '/instances', { process_definition_key: 'values', variables: { '': { value: 1 } } }), 400, 'VALIDATION_ERROR');
    expect(error.message).toContain('variables');
    expect(await started()).toBe(before);
  });

  it('takes Bytes only as base64 text', async () => {
    for (const value of ['not base64!!', 'aGk=x', 5, { a: 1 }]) expectError(await startWith({ value, type: 'Bytes' }), 400, 'VALIDATION_ERROR');
    expect(await stored({ value: 'aGk=', type: 'Bytes' })).toEqual({ value: 'aGk=', type: 'Bytes' });
  });

  it("refuses a tenant_id that is not the tenant of the definition started by id, instead of dropping it", async () => {
    const deployed = await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('tenanted_values'), tenant_id: 'acme' });
    const definitionId = deployed.json().definitions[0].id;
    const error = expectError(await call(t.app, 'POST', '/instances', { process_definition_id: definitionId, tenant_id: 'globex' }), 400, 'VALIDATION_ERROR');
    expect(error.message).toContain('tenant_id');
    expect((await call(t.app, 'GET', '/instances?tenant_id=globex')).json().total).toBe(0);
    const own = await call(t.app, 'POST', '/instances', { process_definition_id: definitionId, tenant_id: 'acme' });
    expect(own.json()).toMatchObject({ tenant_id: 'acme', process_definition_id: definitionId });
  });
});
