// /definitions: deploy in every body format, versions, reads, changes, suspension, deletion, and the
// request errors every route shares (unknown field, bad JSON, deep JSON, sizes, limit, ids).
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { invalidModel, userTaskModel } from './models.js';
import { call, expectContractKept, expectError, multipart, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

const MiB = 1024 * 1024;

describe.each(testBackends())('definitions on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'definitions');
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const deploy = (key: string, fields: Record<string, unknown> = {}) =>
    call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel(key), ...fields });

  describe('deploy', () => {
    it('deploys JSON with 201, and identical XML again with 200 and no new version', async () => {
      const first = await deploy('json_deploy', { name: 'first', category: 'finance', description: 'd', deployed_by: 'alice' });
      expect(first.statusCode).toBe(201);
      const body = first.json();
      expect(body.deployment_id).toEqual(expect.any(String));
      expect(body.definitions).toHaveLength(1);
      expect(body.definitions[0]).toMatchObject({
        key: 'json_deploy', version: 1, category: 'finance', description: 'd', deployed_by: 'alice', suspended: false,
      });

      const again = await deploy('json_deploy', { name: 'first', category: 'finance', description: 'd', deployed_by: 'alice' });
      expect(again.statusCode).toBe(200);
      expect(again.json().definitions[0]).toMatchObject({ id: body.definitions[0].id, version: 1 });

      const changed = await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('json_deploy').replace('Approve"', 'Approve it"') });
      expect(changed.statusCode).toBe(201);
      expect(changed.json().definitions[0].version).toBe(2);
    });

    it('records an unnamed deployer as anonymous', async () => {
      const res = await deploy('anonymous_deploy');
      expect(res.json().definitions[0].deployed_by).toBe('anonymous');
    });

    it('deploys a multipart `file` part with fields', async () => {
      const form = multipart([
        { name: 'file', filename: 'm.bpmn', value: userTaskModel('multipart_file') },
        { name: 'category', value: 'uploads' },
      ]);
      const res = await call(t.app, 'POST', '/definitions', form.payload, form.headers);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().definitions[0]).toMatchObject({ key: 'multipart_file', category: 'uploads' });
    });

    it('deploys forms with the model, as multipart `form` parts or JSON `forms`, which its user tasks link to by id', async () => {
      const linking = (key: string, formId: string) => userTaskModel(key).replace('camunda:candidateGroups="finance" />',
        `camunda:candidateGroups="finance"><bpmn:extensionElements><zeebe:formDefinition xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" formId="${formId}" /></bpmn:extensionElements></bpmn:userTask>`);
      const formJson = (id: string, label: string) => ({ type: 'default', id, components: [{ type: 'textfield', key: 'note', label }] });
      const upload = multipart([
        { name: 'file', filename: 'm.bpmn', value: linking('with_form_part', 'note-form') },
        { name: 'form', filename: 'note.form', value: JSON.stringify(formJson('note-form', 'Note')) },
        { name: 'form', filename: 'other.form', value: JSON.stringify(formJson('other-form', 'Other')) },
      ]);
      expect((await call(t.app, 'POST', '/definitions', upload.payload, upload.headers)).statusCode).toBe(201);
      const json = await call(t.app, 'POST', '/definitions', { bpmn_xml: linking('with_form_json', 'json-form'), forms: [formJson('json-form', 'From JSON')] });
      expect(json.statusCode, json.body).toBe(201);
      for (const [key, label] of [['with_form_part', 'Note'], ['with_form_json', 'From JSON']]) {
        const instance = (await call(t.app, 'POST', '/instances', { process_definition_key: key })).json();
        const task = (await call(t.app, 'GET', `/tasks?process_instance_id=${instance.id}`)).json().data[0];
        expect(task.form_schema.components[0].label).toBe(label);
        expect(task.form_fields.map((f: { id: string }) => f.id)).toEqual(['note']);
      }
      const missing = await call(t.app, 'POST', '/definitions', { bpmn_xml: linking('without_form', 'nowhere') });
      expectError(missing, 422, 'INVALID_BPMN');
      expect(missing.json().error.details.problems[0].message).toContain("The form 'nowhere'");
    });

    it('deploys a multipart `data` part, as a file or as a plain field', async () => {
      const asFile = multipart([{ name: 'data', filename: 'm.bpmn', value: userTaskModel('multipart_data') }]);
      expect((await call(t.app, 'POST', '/definitions', asFile.payload, asFile.headers)).statusCode).toBe(201);
      const asField = multipart([{ name: 'data', value: userTaskModel('multipart_field') }]);
      expect((await call(t.app, 'POST', '/definitions', asField.payload, asField.headers)).statusCode).toBe(201);
    });

    it('refuses multipart without a model, with an unknown field, or with a file too large', async () => {
      const none = multipart([{ name: 'name', value: 'x' }]);
      expectError(await call(t.app, 'POST', '/definitions', none.payload, none.headers), 400, 'VALIDATION_ERROR');
      const unknown = multipart([{ name: 'file', filename: 'm.bpmn', value: userTaskModel('mp_unknown') }, { name: 'colour', value: 'red' }]);
      expectError(await call(t.app, 'POST', '/definitions', unknown.payload, unknown.headers), 400, 'VALIDATION_ERROR');
      const huge = multipart([{ name: 'file', filename: 'm.bpmn', value: 'x'.repeat(5 * MiB + 1) }]);
      expectError(await call(t.app, 'POST', '/definitions', huge.payload, huge.headers), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('deploys a raw application/xml or text/xml body, with fields in the query string', async () => {
      const xml = await t.app.inject({
        method: 'POST', url: '/api/processes/definitions?category=raw&deployed_by=bob',
        payload: userTaskModel('raw_xml'), headers: { 'content-type': 'application/xml' },
      });
      expect(xml.statusCode, xml.body).toBe(201);
      expect(xml.json().definitions[0]).toMatchObject({ key: 'raw_xml', category: 'raw', deployed_by: 'bob' });
      const text = await call(t.app, 'POST', '/definitions', userTaskModel('raw_text_xml'), { 'content-type': 'text/xml; charset=utf-8' });
      expect(text.statusCode).toBe(201);
    });

    it('answers 422 INVALID_BPMN naming each problem', async () => {
      const res = await call(t.app, 'POST', '/definitions', { bpmn_xml: invalidModel });
      const error = expectError(res, 422, 'INVALID_BPMN');
      const problems = error.details?.problems as { element_id: string | null; message: string }[];
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect(typeof p.message).toBe('string');
      expectError(await call(t.app, 'POST', '/definitions', { bpmn_xml: '<definitions><unclosed>' }), 422, 'INVALID_BPMN');
      expectError(await call(t.app, 'POST', '/definitions', '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', { 'content-type': 'application/xml' }), 422, 'INVALID_BPMN');
    });

    it('answers 400 for a body without a model', async () => {
      expectError(await call(t.app, 'POST', '/definitions', { name: 'nothing' }), 400, 'VALIDATION_ERROR');
      expectError(await call(t.app, 'POST', '/definitions', { bpmn_xml: '' }), 400, 'VALIDATION_ERROR');
      expectError(await t.app.inject({ method: 'POST', url: '/api/processes/definitions' }), 400, 'VALIDATION_ERROR');
    });

    it('answers 413 for a deployment over 5 MiB, and accepts one just under it', async () => {
      const padding = (bytes: number) => `<!--${'x'.repeat(bytes)}-->`;
      const big = await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('big') + padding(5 * MiB) });
      expectError(big, 413, 'PAYLOAD_TOO_LARGE');
      const fits = await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('fits') + padding(2 * MiB) });
      expect(fits.statusCode, fits.body).toBe(201);
    });
  });

  describe('request errors shared by every route', () => {
    it('answers 400 for an unknown field, naming it', async () => {
      const error = expectError(await deploy('unknown_field', { colour: 'red' }), 400, 'VALIDATION_ERROR');
      expect(error.message).toMatch(/colour/);
      expect(error.details?.errors).toEqual([expect.objectContaining({ location: 'body', path: '/colour' })]);
    });

    it('answers 400 for a wrongly typed field, without coercing it', async () => {
      expectError(await deploy('typed_field', { name: 5 }), 400, 'VALIDATION_ERROR');
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await call(t.app, 'POST', '/definitions', '{"bpmn_xml": ', { 'content-type': 'application/json' });
      expectError(res, 400, 'VALIDATION_ERROR');
    });

    it('answers 400 for JSON nested deeper than 64 levels', async () => {
      const deep = `${'['.repeat(65)}${']'.repeat(65)}`;
      const res = await call(t.app, 'POST', '/definitions', `{"bpmn_xml":"x","name":${deep}}`, { 'content-type': 'application/json' });
      expect(expectError(res, 400, 'VALIDATION_ERROR').message).toMatch(/64/);
    });

    it('answers 413 for a body over 1 MiB on other routes', async () => {
      const res = await call(t.app, 'POST', '/instances', { process_definition_key: 'x', business_key: 'y'.repeat(MiB) });
      expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers 400 for limit above 1000, and accepts 1000', async () => {
      expectError(await call(t.app, 'GET', '/definitions?limit=1001'), 400, 'VALIDATION_ERROR');
      expectError(await call(t.app, 'GET', '/definitions?limit=ten'), 400, 'VALIDATION_ERROR');
      expect((await call(t.app, 'GET', '/definitions?limit=1000')).json().limit).toBe(1000);
    });

    it('answers 400 for an unknown query parameter', async () => {
      expectError(await call(t.app, 'GET', '/definitions?colour=red'), 400, 'VALIDATION_ERROR');
    });

    it('answers 404 for an id not in the engine\'s format, and for an unknown one', async () => {
      for (const id of ['not-an-id', '1', "x'; drop table process_definitions; --", 'é']) {
        expectError(await call(t.app, 'GET', `/definitions/${encodeURIComponent(id)}`), 404, 'NOT_FOUND');
        expectError(await call(t.app, 'PUT', `/definitions/${encodeURIComponent(id)}/suspended`, { suspended: true }), 404, 'NOT_FOUND');
      }
      expectError(await call(t.app, 'GET', `/definitions/${UNKNOWN_ID}`), 404, 'NOT_FOUND');
      expectError(await call(t.app, 'DELETE', `/definitions/${UNKNOWN_ID}`), 404, 'NOT_FOUND');
    });
  });

  describe('read, change, suspend, delete', () => {
    it('lists with filters and paging', async () => {
      await deploy('list_a', { category: 'listing' });
      await deploy('list_b', { category: 'listing' });
      const res = await call(t.app, 'GET', '/definitions?category=listing&limit=1&offset=0&sort=key');
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page).toMatchObject({ total: 2, limit: 1, offset: 0 });
      expect(page.data.map((d: { key: string }) => d.key)).toEqual(['list_a']);
      const latest = await call(t.app, 'GET', '/definitions?key=json_deploy&latest=true');
      expect(latest.json().data.map((d: { version: number }) => d.version)).toEqual([2]);
      expectError(await call(t.app, 'GET', '/definitions?latest=perhaps'), 400, 'VALIDATION_ERROR');
    });

    it('reads one with its XML and tasks', async () => {
      const id = (await deploy('read_one')).json().definitions[0].id;
      const res = await call(t.app, 'GET', `/definitions/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id, key: 'read_one', bpmn_xml: userTaskModel('read_one') });
      expect(res.json().tasks).toEqual([expect.objectContaining({ id: 'approve', name: 'Approve', type: 'userTask', candidate_groups: ['finance'] })]);
    });

    it('changes name, category and description', async () => {
      const id = (await deploy('change_me')).json().definitions[0].id;
      const res = await call(t.app, 'PUT', `/definitions/${id}`, { name: 'Renamed', category: 'c2', description: 'new' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id, name: 'Renamed', category: 'c2', description: 'new' });
      expectError(await call(t.app, 'PUT', `/definitions/${id}`, { key: 'other' }), 400, 'VALIDATION_ERROR');
    });

    it('suspends: a suspended definition cannot be started (409); activated, it can', async () => {
      const id = (await deploy('suspend_me')).json().definitions[0].id;
      const suspended = await call(t.app, 'PUT', `/definitions/${id}/suspended`, { suspended: true });
      expect(suspended.statusCode).toBe(200);
      expect(suspended.json().suspended).toBe(true);
      expectError(await call(t.app, 'POST', '/instances', { process_definition_id: id }), 409, 'CONFLICT');
      expectError(await call(t.app, 'PUT', `/definitions/${id}/suspended`, {}), 400, 'VALIDATION_ERROR');
      await call(t.app, 'PUT', `/definitions/${id}/suspended`, { suspended: false });
      expect((await call(t.app, 'POST', '/instances', { process_definition_id: id })).statusCode).toBe(201);
    });

    it('deletes: 409 while instances exist, 204 with cascade=true, then 404', async () => {
      const id = (await deploy('delete_me')).json().definitions[0].id;
      await call(t.app, 'POST', '/instances', { process_definition_id: id });
      expectError(await call(t.app, 'DELETE', `/definitions/${id}`), 409, 'CONFLICT');
      const res = await call(t.app, 'DELETE', `/definitions/${id}?cascade=true`);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expectError(await call(t.app, 'GET', `/definitions/${id}`), 404, 'NOT_FOUND');
    });
  });
});
