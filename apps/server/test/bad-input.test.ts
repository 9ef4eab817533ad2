// Input that once reached the database and failed there with a 500: each is now a 400 or 422 naming the
// field or element, and changes nothing.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from './models.js';
import { call, expectContractKept, expectError, multipart, startTestApp, type TestApp } from './support.js';

describe.each(testBackends())('bad input on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'bad-input');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('bad_input') });
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const instanceCount = async () => (await call(t.app, 'GET', '/instances?process_definition_key=bad_input')).json().total as number;

  it.each([
    ['the business key', { business_key: 'a\u0000b' }, '/business_key'],
    ['a variable value', { variables: { note: { value: 'a\u0000b' } } }, '/variables/note/value'],
    ['a string inside a JSON variable', { variables: { order: { value: { lines: ['ok', 'x\u0000'] } } } }, '/variables/order/value/lines/1'],
    ['a variable name', { variables: { 'n\u0000': { value: 1 } } }, '/variables/n\\u0000'],
  ])('refuses a NUL character in %s with a 400 naming it, starting nothing', async (_what, fields, path) => {
    const before = await instanceCount();
    const error = expectError(await call(t.app, 'POST', '/instances', { process_definition_key: 'bad_input', ...fields }), 400, 'VALIDATION_ERROR');
    expect(error.details).toEqual({ errors: [{ location: 'body', path, keyword: 'nul', message: 'must not contain a NUL character (U+0000)' }] });
    expect(await instanceCount()).toBe(before);
  });

  it('refuses a NUL character in a query string, naming the parameter', async () => {
    const error = expectError(await call(t.app, 'GET', '/tasks?candidate_group=fin%00ance'), 400, 'VALIDATION_ERROR');
    expect(error.message).toBe('querystring/candidate_group must not contain a NUL character (U+0000)');
  });

  it('answers an id longer than the router takes with 404 in the error envelope, and a path it cannot decode with 400', async () => {
    const long = expectError(await call(t.app, 'POST', `/instances/${'x'.repeat(300)}/suspended`, { suspended: true }), 404, 'NOT_FOUND');
    expect(long.message).toMatch(/^No resource has the id given in POST \/api\/processes\/instances\/x+: it is longer than any id$/);
    expectError(await call(t.app, 'GET', `/tasks/${'7'.repeat(150)}`), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', '/instances/%E0%A4%A'), 400, 'VALIDATION_ERROR');
  });

  it.each([
    ['year 0', '0000-12-31T00:00:00Z'],
    ['a year past 9999 once in UTC', '9999-12-31T23:00:00-02:00'],
  ])('refuses a date-time of %s in a list filter, naming it', async (_what, date) => {
    const error = expectError(await call(t.app, 'GET', `/instances?started_after=${encodeURIComponent(date)}`), 400, 'VALIDATION_ERROR');
    expect(error.message).toMatch(/^querystring\/started_after must match format "date-time"/);
  });

  it('accepts the first and last instants of years 1 to 9999', async () => {
    const res = await call(t.app, 'GET', '/instances?started_after=0001-01-01T00:00:00Z&started_before=9999-12-31T23:59:59.999Z');
    expect(res.statusCode).toBe(200);
  });

  it('refuses a business key longer than its column, starting nothing', async () => {
    const before = await instanceCount();
    const error = expectError(await call(t.app, 'POST', '/instances', { process_definition_key: 'bad_input', business_key: 'k'.repeat(256) }), 400, 'VALIDATION_ERROR');
    expect(error.message).toMatch(/^body\/business_key must NOT have more than 255 characters/);
    expect(await instanceCount()).toBe(before);
  });

  describe('a multipart deployment that cannot be read', () => {
    const form = multipart([{ name: 'file', filename: 'm.bpmn', value: userTaskModel('multipart_cut') }]);

    it('is a 400 when cut short', async () => {
      const cut = form.payload.subarray(0, form.payload.length - 40);
      const error = expectError(await call(t.app, 'POST', '/definitions', cut, form.headers), 400, 'VALIDATION_ERROR');
      expect(error.message).toMatch(/^The multipart body cannot be read: .*end of multipart data/i);
      expect((await call(t.app, 'GET', '/definitions?key=multipart_cut')).json().total).toBe(0);
    });

    it('is a 400 when its boundary is missing or never comes', async () => {
      for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=elsewhere']) {
        expectError(await call(t.app, 'POST', '/definitions', form.payload, { 'content-type': contentType }), 400, 'VALIDATION_ERROR');
      }
    });
  });

  it('answers a model with an id longer than its column with a 422 naming the element', async () => {
    const id = `task_${'x'.repeat(300)}`;
    const error = expectError(await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('long_id').replaceAll('"approve"', `"${id}"`) }), 422, 'INVALID_BPMN');
    expect(error.details?.problems).toEqual([{ element_id: id, message: expect.stringMatching(/The id of 'task_x+…' has 305 characters; at most 255 can be stored/) }]);
  });
});
