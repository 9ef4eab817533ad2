// Fuzzing the API with the real app: mutated fixture models and DMN files, and spoiled bodies and query strings, from a
// fixed seed. No answer may be a 5xx or take long, every error keeps the envelope, and afterwards the
// service still deploys, starts and completes, with what it had accepted before still there.
import { fileURLToPath } from 'node:url';
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/app.js';
import { fixtureModels, mutatedDeployment, Picker, spoiledCommand, spoiledQuery, startsOf, type FuzzRequest } from './fuzz-inputs.js';
import { userTaskModel } from './models.js';
import { call, startTestApp, type TestApp } from './support.js';

const SEED = 20261206;
const CASES = { deployments: 300, decisionDeployments: 100, commands: 900, queries: 800 };
/** an answer slower than this is taken for a hang */
const HANG_MS = 5000;

const models = fixtureModels(fileURLToPath(new URL('../../../bpmn-fixtures', import.meta.url)));
const decisionFiles = [
  ...fixtureModels(fileURLToPath(new URL('../../../bpmn-fixtures', import.meta.url)), '.dmn'),
  ...fixtureModels(fileURLToPath(new URL('../../../packages/engine/test/decisions/fixtures', import.meta.url)), '.dmn'),
];

describe.each(testBackends())('fuzzing the API on %s', (backend) => {
  let t: TestApp;
  let instanceId: string;
  let taskId: string;

  beforeAll(async () => {
    t = await startTestApp(backend, 'fuzz');
    await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('fuzz') });
    await call(t.app, 'POST', '/decisions', { dmn_xml: decisionFiles[0] });
    const started = await call(t.app, 'POST', '/instances', { process_definition_key: 'fuzz', variables: { kept: { value: 'before' } } });
    instanceId = started.json().id;
    taskId = (await call(t.app, 'GET', `/tasks?process_instance_id=${instanceId}`)).json().data[0].id;
  });
  afterAll(() => t?.close());

  it(`answers ${CASES.deployments + CASES.decisionDeployments + CASES.commands + CASES.queries} spoiled requests, and starts what deployed, with no 5xx and no hang`, async () => {
    const pick = new Picker(SEED);
    const requests: FuzzRequest[] = [
      ...Array.from({ length: CASES.deployments }, () => mutatedDeployment(models, pick, `${API_PREFIX}/definitions`)),
      ...Array.from({ length: CASES.decisionDeployments }, () => mutatedDeployment(decisionFiles, pick, `${API_PREFIX}/decisions`, 'dmn_xml')),
      ...Array.from({ length: CASES.commands }, () => spoiledCommand(pick, API_PREFIX, { definitionKey: 'fuzz', instanceId, taskId })),
      ...Array.from({ length: CASES.queries }, () => spoiledQuery(pick, API_PREFIX)),
    ];
    const failures: string[] = [];
    for (const [index, request] of requests.entries()) {
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<'hang'>((resolve) => { timer = setTimeout(() => resolve('hang'), HANG_MS); });
      const res = await Promise.race([t.app.inject(request), hang]);
      clearTimeout(timer);
      const shown = `#${index} ${request.method} ${request.url.slice(0, 120)}`;
      if (res === 'hang') failures.push(`${shown}: no answer within ${HANG_MS} ms`);
      else if (res.statusCode >= 500) failures.push(`${shown}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      else if (res.statusCode >= 400 && typeof res.json().error?.message !== 'string') failures.push(`${shown}: ${res.statusCode} without the error envelope`);
      else if (res.statusCode === 201 && request.url.endsWith('/definitions')) requests.push(...startsOf(res.json().definitions, pick));
    }
    expect(failures).toEqual([]);
  });

  it('still works afterwards, with what it had accepted before', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const before = await call(t.app, 'GET', `/instances/${instanceId}/variables`);
    expect(before.json()).toMatchObject({ kept: { value: 'before' } });

    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('after_fuzz') })).statusCode).toBe(201);
    const started = (await call(t.app, 'POST', '/instances', { process_definition_key: 'after_fuzz' })).json();
    const task = (await call(t.app, 'GET', `/tasks?process_instance_id=${started.id}`)).json().data[0];
    expect((await call(t.app, 'POST', `/tasks/${task.id}/complete`, {})).statusCode).toBe(200);
    expect((await call(t.app, 'GET', `/instances/${started.id}`)).json().status).toBe('completed');
  });
});
