// Authorization through HTTP: every route of the API against every role of API.md's table, each both
// allowed and refused; the task rules of plain users; the caller as the one who acts; and tenant
// isolation of every list.
import { testBackends } from '@dadms/process-engine/testing';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../../src/app.js';
import { registerAuthentication } from '../../src/auth/authentication.js';
import { approvalDecision, externalTaskModel, timerModel, userTaskModel } from '../models.js';
import { call, expectContractKept, expectError, startTestApp, UNKNOWN_ID, type TestApp } from '../support.js';
import { bearer, SECRET_ENV } from './tokens.js';

const ROLES = ['plain', 'deployer', 'operator', 'worker', 'analyst', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** a caller holding just the role (a plain user holds none), named after it */
const roleHeaders = (role: Role) => bearer(role, { roles: role === 'plain' ? [] : [role] });

const EVERYONE: readonly Role[] = ROLES;
const DEPLOYER: readonly Role[] = ['deployer', 'admin'];
const OPERATOR: readonly Role[] = ['operator', 'admin'];
const WORKER: readonly Role[] = ['worker', 'admin'];
const ANALYST: readonly Role[] = ['analyst', 'admin'];
const READERS: readonly Role[] = ['operator', 'analyst', 'admin'];

interface Endpoint {
  method: Method;
  /** as the OpenAPI document writes it */
  route: string;
  /** the body, given the caller's user id */
  body?: (user: string) => unknown;
  allowed: readonly Role[];
}

const id = UNKNOWN_ID;
const worker = { worker_id: 'w' };
const ENDPOINTS: Endpoint[] = [
  { method: 'POST', route: '/definitions', body: () => ({ bpmn_xml: userTaskModel('approval') }), allowed: DEPLOYER },
  { method: 'GET', route: '/definitions', allowed: EVERYONE },
  { method: 'GET', route: '/definitions/{id}', allowed: EVERYONE },
  { method: 'PUT', route: '/definitions/{id}', body: () => ({ name: 'n' }), allowed: DEPLOYER },
  { method: 'DELETE', route: '/definitions/{id}', allowed: DEPLOYER },
  { method: 'PUT', route: '/definitions/{id}/suspended', body: () => ({ suspended: true }), allowed: DEPLOYER },
  { method: 'POST', route: '/conditions', body: () => ({ variables: {} }), allowed: EVERYONE },
  { method: 'POST', route: '/decisions', body: () => ({ dmn_xml: approvalDecision('approval_rule') }), allowed: DEPLOYER },
  { method: 'GET', route: '/decisions', allowed: EVERYONE },
  { method: 'GET', route: '/decisions/{id}', allowed: EVERYONE },
  { method: 'POST', route: '/decisions/evaluate', body: () => ({ decision_key: 'approval_rule', variables: { amount: { value: 5 } } }), allowed: EVERYONE },
  { method: 'GET', route: '/decision-instances', allowed: READERS },
  { method: 'GET', route: '/decision-instances/{id}', allowed: READERS },
  { method: 'POST', route: '/instances', body: () => ({ process_definition_id: id }), allowed: EVERYONE },
  { method: 'GET', route: '/instances', allowed: EVERYONE },
  { method: 'GET', route: '/instances/{id}', allowed: EVERYONE },
  { method: 'DELETE', route: '/instances/{id}', allowed: OPERATOR },
  { method: 'DELETE', route: '/instances/{id}/history', allowed: ['admin'] },
  { method: 'PUT', route: '/instances/{id}/suspended', body: () => ({ suspended: true }), allowed: OPERATOR },
  { method: 'POST', route: '/migrations', body: () => ({ target_definition_id: id, process_instance_ids: [id] }), allowed: OPERATOR },
  { method: 'POST', route: '/migrations/plan', body: () => ({ source_definition_id: id, target_definition_id: id }), allowed: EVERYONE },
  { method: 'POST', route: '/instances/{id}/modification', body: () => ({ instructions: [{ type: 'cancel', activity_id: 'a' }] }), allowed: OPERATOR },
  { method: 'GET', route: '/instances/{id}/variables', allowed: EVERYONE },
  { method: 'PUT', route: '/instances/{id}/variables', body: () => [], allowed: OPERATOR },
  { method: 'DELETE', route: '/instances/{id}/variables/{name}', allowed: OPERATOR },
  { method: 'GET', route: '/tasks', allowed: EVERYONE },
  { method: 'GET', route: '/tasks/statistics', allowed: ANALYST },
  { method: 'GET', route: '/tasks/{id}', allowed: EVERYONE },
  { method: 'POST', route: '/tasks/{id}/claim', body: (user) => ({ user_id: user }), allowed: EVERYONE },
  { method: 'POST', route: '/tasks/{id}/unclaim', allowed: EVERYONE },
  { method: 'POST', route: '/tasks/{id}/assign', body: () => ({ user_id: 'someone' }), allowed: EVERYONE },
  { method: 'POST', route: '/tasks/{id}/delegate', body: () => ({ user_id: 'someone' }), allowed: EVERYONE },
  { method: 'POST', route: '/tasks/{id}/resolve', allowed: EVERYONE },
  { method: 'POST', route: '/tasks/{id}/complete', allowed: EVERYONE },
  {
    method: 'POST', route: '/external-tasks/fetch-and-lock',
    body: () => ({ ...worker, max_tasks: 1, topics: [{ topic_name: 'nothing', lock_duration: 1000 }] }), allowed: WORKER,
  },
  { method: 'GET', route: '/external-tasks', allowed: ['worker', ...READERS] },
  { method: 'POST', route: '/external-tasks/{id}/complete', body: () => worker, allowed: WORKER },
  { method: 'POST', route: '/external-tasks/{id}/failure', body: () => ({ ...worker, error_message: 'e', retries: 1 }), allowed: WORKER },
  { method: 'POST', route: '/external-tasks/{id}/bpmn-error', body: () => ({ ...worker, error_code: 'E' }), allowed: WORKER },
  { method: 'POST', route: '/external-tasks/{id}/extend-lock', body: () => ({ ...worker, new_duration: 1000 }), allowed: WORKER },
  { method: 'POST', route: '/messages', body: () => ({ message_name: 'nothing waits' }), allowed: ['operator', 'worker', 'admin'] },
  { method: 'POST', route: '/signals', body: () => ({ signal_name: 'nothing waits' }), allowed: OPERATOR },
  { method: 'GET', route: '/jobs', allowed: READERS },
  { method: 'GET', route: '/jobs/{id}', allowed: READERS },
  { method: 'POST', route: '/jobs/{id}/execute', allowed: OPERATOR },
  { method: 'PUT', route: '/jobs/{id}/retries', body: () => ({ retries: 1 }), allowed: OPERATOR },
  { method: 'PUT', route: '/jobs/{id}/due-date', body: () => ({ due_at: null }), allowed: OPERATOR },
  { method: 'GET', route: '/incidents', allowed: READERS },
  { method: 'GET', route: '/incidents/{id}', allowed: READERS },
  { method: 'POST', route: '/incidents/{id}/resolve', body: () => ({ resolution_type: 'manual' }), allowed: OPERATOR },
  { method: 'POST', route: '/incidents/{id}/escalate', allowed: OPERATOR },
  { method: 'GET', route: '/statistics', allowed: ANALYST },
  { method: 'GET', route: '/performance', allowed: ANALYST },
  { method: 'GET', route: '/bottlenecks', allowed: ANALYST },
  { method: 'GET', route: '/events', allowed: READERS },
  { method: 'GET', route: '/events/stream', allowed: READERS },
];

type Answer = { statusCode: number; body: string; json: () => { error?: { code?: string } } };

/** The event stream never ends: its answer is taken as its head arrives, and only a refusal's body read. */
async function openStream(t: TestApp, path: string, headers: Record<string, string>): Promise<Answer> {
  const res = await t.app.inject({ method: 'GET', url: `${API_PREFIX}${path}`, headers, payloadAsStream: true });
  const stream = res.stream();
  let body = '';
  if (res.statusCode === 200) stream.destroy();
  else for await (const chunk of stream) body += String(chunk);
  return { statusCode: res.statusCode, body, json: () => JSON.parse(body) };
}

const send = async (t: TestApp, method: Method, path: string, headers: Record<string, string>, body?: unknown) =>
  call(t.app, method, path, body as never, headers);

describe('a route of the API', () => {
  it('refuses every caller when it declares no permission, even with authentication off', async () => {
    const app = Fastify();
    registerAuthentication(app, { mode: 'none' });
    app.get('/undeclared', async () => 'reached');
    app.get('/declared', { config: { permission: 'definitions:read' } }, async () => 'reached');
    expect((await app.inject({ method: 'GET', url: '/undeclared' })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/declared' })).body).toBe('reached');
    await app.close();
  });
});

describe.each(testBackends())('roles and tenants on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(backend, 'auth-roles', {}, SECRET_ENV);
    admin = await bearer('root', { roles: ['admin'] });
    for (const tenant_id of [undefined, 'acme', 'globex']) {
      for (const bpmn_xml of [userTaskModel('approval'), externalTaskModel('charging', 'charge'), timerModel('waiting')]) {
        expect((await send(t, 'POST', '/definitions', admin, { bpmn_xml, tenant_id })).statusCode).toBe(201);
      }
      for (const key of ['approval', 'charging', 'waiting']) {
        expect((await send(t, 'POST', '/instances', admin, { process_definition_key: key, tenant_id })).statusCode).toBe(201);
      }
    }
    // a failedExternalTask incident in each tenant
    const fetched = await send(t, 'POST', '/external-tasks/fetch-and-lock', admin,
      { worker_id: 'w', max_tasks: 10, topics: [{ topic_name: 'charge', lock_duration: 60_000 }] });
    for (const task of fetched.json() as { id: string }[]) {
      expect((await send(t, 'POST', `/external-tasks/${task.id}/failure`, admin, { worker_id: 'w', error_message: 'down', retries: 0 })).statusCode).toBe(204);
    }
  }, 120_000);
  afterAll(() => t?.close());

  it('lists every route of the API in the role table', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith(API_PREFIX))
      .flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path.slice(API_PREFIX.length)}`));
    expect(ENDPOINTS.map((e) => `${e.method} ${e.route}`).sort()).toEqual(documented.sort());
  });

  it('lets each role use the routes of its row of the table, and refuses it the others with 403', async () => {
    for (const role of ROLES) {
      const headers = await roleHeaders(role);
      for (const endpoint of ENDPOINTS) {
        const path = endpoint.route.replace('{id}', id).replace('{name}', 'amount');
        const res: Answer = path.endsWith('/stream') ? await openStream(t, path, headers) : await send(t, endpoint.method, path, headers, endpoint.body?.(role));
        const what = `${role}: ${endpoint.method} ${endpoint.route} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (endpoint.allowed.includes(role)) expect([401, 403, 500], what).not.toContain(res.statusCode);
        else expect({ status: res.statusCode, code: res.json().error?.code }, what).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
    }
    expectContractKept(t);
  }, 120_000);

  describe('a plain user', () => {
    let instanceId: string;
    let taskId: string;
    beforeAll(async () => {
      const started = await send(t, 'POST', '/instances', await bearer('olga'), { process_definition_key: 'approval' });
      instanceId = started.json().id;
      const tasks = await send(t, 'GET', `/tasks?process_instance_id=${instanceId}`, admin);
      taskId = tasks.json().data[0].id;
    });

    it('starts instances as itself, and may not name another user', async () => {
      const olga = await bearer('olga');
      expect((await send(t, 'GET', `/instances/${instanceId}`, olga)).json().started_by).toBe('olga');
      expectError(await send(t, 'POST', '/instances', olga, { process_definition_key: 'approval', started_by: 'root' }), 403, 'FORBIDDEN');
      const onBehalf = await send(t, 'POST', '/instances', admin, { process_definition_key: 'approval', started_by: 'olga' });
      expect(onBehalf.json().started_by).toBe('olga');
    });

    it('sees the tasks it is a candidate of through a group, and not the others', async () => {
      const alice = await bearer('alice', { groups: ['finance'] });
      const bob = await bearer('bob', { groups: ['sales'] });
      expect((await send(t, 'GET', `/tasks/${taskId}`, alice)).statusCode).toBe(200);
      expect((await send(t, 'GET', `/tasks?process_instance_id=${instanceId}`, alice)).json().total).toBe(1);
      expect((await send(t, 'GET', `/tasks?process_instance_id=${instanceId}`, bob)).json().total).toBe(0);
      expectError(await send(t, 'GET', `/tasks/${taskId}`, bob), 404, 'NOT_FOUND');
      expectError(await send(t, 'POST', `/tasks/${taskId}/claim`, bob, { user_id: 'bob' }), 404, 'NOT_FOUND');
      // the instance of its task is readable, others' instances are not
      expect((await send(t, 'GET', `/instances/${instanceId}`, alice)).statusCode).toBe(200);
      expectError(await send(t, 'GET', `/instances/${instanceId}`, bob), 404, 'NOT_FOUND');
      expectError(await send(t, 'GET', `/instances/${instanceId}/variables`, bob), 404, 'NOT_FOUND');
      const listed = (await send(t, 'GET', '/instances?limit=1000', bob)).json().data as { id: string }[];
      expect(listed.map((i) => i.id)).not.toContain(instanceId);
    });

    it('claims a task it is a candidate of for itself only, and works only the tasks it holds', async () => {
      const alice = await bearer('alice', { groups: ['finance'] });
      const carol = await bearer('carol', { groups: ['finance'] });
      expectError(await send(t, 'POST', `/tasks/${taskId}/claim`, alice, { user_id: 'carol' }), 403, 'FORBIDDEN');
      expectError(await send(t, 'POST', `/tasks/${taskId}/assign`, alice, { user_id: 'alice' }), 403, 'FORBIDDEN');
      expect((await send(t, 'POST', `/tasks/${taskId}/claim`, alice, { user_id: 'alice' })).json().assignee).toBe('alice');
      // carol is a candidate too, but the task is alice's now
      expectError(await send(t, 'POST', `/tasks/${taskId}/complete`, carol), 403, 'FORBIDDEN');
      expectError(await send(t, 'POST', `/tasks/${taskId}/unclaim`, carol), 403, 'FORBIDDEN');
      expectError(await send(t, 'POST', `/tasks/${taskId}/complete`, alice, { user_id: 'carol' }), 403, 'FORBIDDEN');
      const done = await send(t, 'POST', `/tasks/${taskId}/complete`, alice);
      expect(done.json()).toMatchObject({ status: 'completed', completed_by: 'alice' });
      expectContractKept(t);
    });

    it('keeps its Idempotency-Key to itself: another caller using it gets a conflict, not its answer', async () => {
      const start = { process_definition_key: 'approval' };
      const key = { 'idempotency-key': 'start-approval-once' };
      const first = await send(t, 'POST', '/instances', { ...(await bearer('olga')), ...key }, start);
      const again = await send(t, 'POST', '/instances', { ...(await bearer('olga')), ...key }, start);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().id).toBe(first.json().id);
      expectError(await send(t, 'POST', '/instances', { ...(await bearer('mallory')), ...key }, start), 409, 'CONFLICT');
    });

    it('leaves assigning any task to an operator', async () => {
      const started = await send(t, 'POST', '/instances', admin, { process_definition_key: 'approval' });
      const [task] = (await send(t, 'GET', `/tasks?process_instance_id=${started.json().id}`, admin)).json().data;
      const operator = await bearer('oscar', { roles: ['operator'] });
      expect((await send(t, 'POST', `/tasks/${task.id}/assign`, operator, { user_id: 'dave' })).json().assignee).toBe('dave');
      const dave = await bearer('dave');
      expect((await send(t, 'POST', `/tasks/${task.id}/delegate`, dave, { user_id: 'erin' })).json()).toMatchObject({ assignee: 'erin', owner: 'dave' });
      expectError(await send(t, 'POST', `/tasks/${task.id}/assign`, await bearer('frank'), { user_id: 'frank' }), 404, 'NOT_FOUND');
    });
  });

  describe('tenants', () => {
    const LISTS = ['/definitions', '/instances', '/tasks', '/external-tasks', '/jobs', '/incidents', '/events'];
    const reader = (tenant_ids?: string[]) => bearer('reader', { roles: ['operator', 'analyst', 'worker'], ...(tenant_ids ? { tenant_ids } : {}) });
    const tenantsIn = async (path: string, headers: Record<string, string>) => {
      const res = await send(t, 'GET', `${path}?limit=1000`, headers);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      return new Set((res.json().data as { tenant_id?: string }[]).map((item) => item.tenant_id ?? null));
    };

    it('shows every list only what belongs to the caller\'s tenants or to none', async () => {
      const acme = await reader(['acme']);
      const untenanted = await reader();
      for (const path of LISTS) {
        expect(await tenantsIn(path, admin), `${path} for admin`).toEqual(new Set([null, 'acme', 'globex']));
        expect(await tenantsIn(path, acme), `${path} for acme`).toEqual(new Set([null, 'acme']));
        expect(await tenantsIn(path, untenanted), `${path} for no tenant`).toEqual(new Set([null]));
      }
      expectContractKept(t);
    });

    it('answers another tenant\'s resources 404 and refuses writing into it with 403', async () => {
      const acme = await reader(['acme']);
      const itemOf = async (path: string) => ((await send(t, 'GET', `${path}?limit=1000`, admin)).json().data as { id: string; tenant_id?: string }[])
        .find((item) => item.tenant_id === 'globex')!;
      for (const path of ['/definitions', '/instances', '/tasks', '/jobs', '/incidents']) {
        const foreign = await itemOf(path);
        expectError(await send(t, 'GET', `${path}/${foreign.id}`, acme), 404, 'NOT_FOUND');
      }
      const instance = await itemOf('/instances');
      expectError(await send(t, 'DELETE', `/instances/${instance.id}`, acme), 404, 'NOT_FOUND');
      const incident = await itemOf('/incidents');
      expectError(await send(t, 'POST', `/incidents/${incident.id}/resolve`, acme, { resolution_type: 'manual' }), 404, 'NOT_FOUND');
      const job = await itemOf('/jobs');
      expectError(await send(t, 'POST', `/jobs/${job.id}/execute`, acme), 404, 'NOT_FOUND');
      const starter = await bearer('sam', { tenant_ids: ['acme'] });
      expectError(await send(t, 'POST', '/instances', starter, { process_definition_key: 'approval', tenant_id: 'globex' }), 403, 'FORBIDDEN');
      const deployer = await bearer('dora', { roles: ['deployer'], tenant_ids: ['acme'] });
      expectError(await send(t, 'POST', '/definitions', deployer, { bpmn_xml: userTaskModel('approval'), tenant_id: 'globex' }), 403, 'FORBIDDEN');
      // its own tenant's definition is the one a key starts
      expect((await send(t, 'POST', '/instances', starter, { process_definition_key: 'approval', tenant_id: 'acme' })).json().tenant_id).toBe('acme');
    });

    it('counts only the caller\'s tenants in analytics, and fetches only their external tasks', async () => {
      const started = async (headers: Record<string, string>) => (await send(t, 'GET', '/statistics', headers)).json().summary.total_instances as number;
      const all = await started(admin);
      const acme = await started(await reader(['acme']));
      const none = await started(await reader());
      expect(acme).toBeLessThan(all);
      expect(none).toBeLessThan(acme);
      const started2 = await send(t, 'POST', '/instances', admin, { process_definition_key: 'charging', tenant_id: 'globex' });
      expect(started2.statusCode).toBe(201);
      const fetched = await send(t, 'POST', '/external-tasks/fetch-and-lock', await reader(['acme']),
        { worker_id: 'w2', max_tasks: 10, topics: [{ topic_name: 'charge', lock_duration: 60_000 }] });
      expect(fetched.json()).toEqual([]);
    });
  });
});
