// The part of the Engine interface the conformance steps drive, over HTTP with bearer tokens: each call
// carries the token of a caller holding the role API.md gives it (a deployer deploys, a plain user
// starts, a worker works external tasks, an operator runs jobs, resolves incidents and reads everything),
// and a task is worked by the user the step names, else by its assignee or one of its candidates (or by
// an admin for them, when they are not involved in it).
import { EngineError, type Engine, type ErrorCode, type TaskDetails } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { call } from '../support.js';
import { bearer } from './tokens.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Headers = Record<string, string>;
type Query = object | undefined;

const queryString = (query: Query) => {
  const params = new URLSearchParams(Object.entries(query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
  return params.size ? `?${params}` : '';
};

/** the methods the conformance steps and snapshots use; any other is not reached through HTTP here */
export type HttpEngine = Pick<Engine,
  'deploy' | 'startInstance' | 'getInstance' | 'listInstances' | 'updateVariables' | 'listTasks' | 'claimTask' | 'completeTask' |
  'listExternalTasks' | 'fetchAndLock' | 'completeExternalTask' | 'failExternalTask' | 'bpmnErrorExternalTask' |
  'correlateMessage' | 'broadcastSignal' | 'listJobs' | 'executeJob' | 'listIncidents' | 'resolveIncident' | 'close'>;

export async function httpEngine(app: FastifyInstance): Promise<HttpEngine> {
  const as = {
    deployer: await bearer('deployer', { roles: ['deployer'] }),
    starter: await bearer('starter'),
    operator: await bearer('operator', { roles: ['operator'] }),
    worker: await bearer('worker', { roles: ['worker'] }),
    admin: await bearer('admin', { roles: ['admin'] }),
  };
  const send = async <T>(headers: Headers, method: Method, path: string, body?: unknown): Promise<T> => {
    const res = await call(app, method, path, body as never, headers);
    if (res.statusCode >= 300) {
      const { error } = res.json() as { error: { code: ErrorCode; message: string } };
      throw new EngineError(error.code, `${method} ${path} → ${res.statusCode}: ${error.message}`);
    }
    return (res.body === '' ? undefined : res.json()) as T;
  };
  /**
   * The user who works the task: the one named, else its assignee or first candidate, with its candidate
   * groups. A task that user is not involved in (one with no assignee and no candidates, or assigned to
   * someone else) is only an admin's to work for others.
   */
  const actorOf = async (taskId: string, named?: string) => {
    const task = await send<TaskDetails>(as.operator, 'GET', `/tasks/${taskId}`);
    const user = named ?? task.assignee ?? task.candidate_users[0] ?? 'a-candidate';
    const involved = user === task.assignee || task.candidate_users.includes(user) || task.candidate_groups.length > 0;
    return involved ? bearer(user, { groups: task.candidate_groups }) : as.admin;
  };

  return {
    deploy: async (input) => ({ ...(await send(as.deployer, 'POST', '/definitions', input)), created: true }),
    startInstance: (input) => send(as.starter, 'POST', '/instances', input),
    getInstance: (id) => send(as.operator, 'GET', `/instances/${id}`),
    listInstances: (query) => send(as.operator, 'GET', `/instances${queryString(query)}`),
    updateVariables: (id, updates) => send(as.operator, 'PUT', `/instances/${id}/variables`, updates),
    listTasks: (query) => send(as.operator, 'GET', `/tasks${queryString(query)}`),
    claimTask: async (id, userId) => send(await actorOf(id, userId), 'POST', `/tasks/${id}/claim`, { user_id: userId }),
    completeTask: async (id, input) => send(await actorOf(id, input?.user_id), 'POST', `/tasks/${id}/complete`, input ?? {}),
    listExternalTasks: (query) => send(as.operator, 'GET', `/external-tasks${queryString(query)}`),
    fetchAndLock: (input) => send(as.worker, 'POST', '/external-tasks/fetch-and-lock', input),
    completeExternalTask: (id, input) => send(as.worker, 'POST', `/external-tasks/${id}/complete`, input),
    failExternalTask: (id, input) => send(as.worker, 'POST', `/external-tasks/${id}/failure`, input),
    bpmnErrorExternalTask: (id, input) => send(as.worker, 'POST', `/external-tasks/${id}/bpmn-error`, input),
    correlateMessage: async (input) => {
      const answer = await send<{ data?: unknown[] }>(as.worker, 'POST', '/messages', input);
      return (input.all ? answer.data : [answer]) as Awaited<ReturnType<Engine['correlateMessage']>>;
    },
    broadcastSignal: async (input) => (await send<{ data: Awaited<ReturnType<Engine['broadcastSignal']>> }>(as.operator, 'POST', '/signals', input)).data,
    listJobs: (query) => send(as.operator, 'GET', `/jobs${queryString(query)}`),
    executeJob: (id) => send(as.operator, 'POST', `/jobs/${id}/execute`),
    listIncidents: (query) => send(as.operator, 'GET', `/incidents${queryString(query)}`),
    resolveIncident: (id, input) => send(as.operator, 'POST', `/incidents/${id}/resolve`, input),
    close: async () => {},
  };
}
