// The operations the bench times, once over the engine API and once over HTTP, so that every scenario is
// written once and both paths do exactly the same work.
import { Agent, request } from 'node:http';
import type { Engine } from '@dadms/process-engine';
import { models } from './models.js';

export interface Driver {
  /** starts the latest version of `key` and answers the instance as the start command left it */
  start(key: string): Promise<{ id: string; status: string }>;
  /** the id of the instance's one open user task */
  openTask(instanceId: string): Promise<string>;
  /** the ids of the instance's open user tasks */
  openTasks(instanceId: string): Promise<string[]>;
  /** the id of the one instance the instance's call activity called */
  calledInstance(instanceId: string): Promise<string>;
  claim(taskId: string, userId: string): Promise<void>;
  complete(taskId: string): Promise<void>;
  updateVariable(instanceId: string, name: string, value: unknown): Promise<void>;
}

export function engineDriver(engine: Engine): Driver {
  return {
    start: async (key) => engine.startInstance({ process_definition_key: key }),
    openTask: async (instanceId) => only((await engine.listTasks({ process_instance_id: instanceId })).data, `open task of instance ${instanceId}`),
    openTasks: async (instanceId) => (await engine.listTasks({ process_instance_id: instanceId, limit: 1000 })).data.map((t) => t.id),
    calledInstance: async (instanceId) => only((await engine.listInstances({ super_instance_id: instanceId })).data, `instance called by ${instanceId}`),
    claim: async (taskId, userId) => {
      await engine.claimTask(taskId, userId);
    },
    complete: async (taskId) => {
      await engine.completeTask(taskId);
    },
    updateVariable: async (instanceId, name, value) => {
      await engine.updateVariables(instanceId, [{ variable_name: name, value }]);
    },
  };
}

/**
 * `baseUrl` is the API's base path, e.g. http://127.0.0.1:PORT/api/processes. The load runs on the cores the
 * server uses, so its client must cost little: node:http on keep-alive connections, one per caller at a time.
 * fetch spent about 1 ms of CPU per request here (its web streams and per-request objects), as much as the
 * server's whole start → end instance; node:http about a fifth of that.
 */
export function httpDriver(baseUrl: string): Driver {
  const base = new URL(baseUrl);
  // a base without a path has the path '/', which would double the slash of every request's path
  const prefix = base.pathname.replace(/\/$/, '');
  const agent = new Agent({ keepAlive: true });
  const call = <T>(method: string, path: string, body?: unknown): Promise<T> => new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    const req = request({ agent, host: base.hostname, port: base.port, method, path: `${prefix}${path}`, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) reject(new Error(`${method} ${path}: HTTP ${status} ${text.slice(0, 300)}`));
        else resolve((text ? JSON.parse(text) : undefined) as T);
      }).on('error', reject);
    });
    req.on('error', reject).end(payload);
  });
  return {
    start: (key) => call('POST', '/instances', { process_definition_key: key }),
    openTask: async (instanceId) =>
      only((await call<Page>('GET', `/tasks?process_instance_id=${encodeURIComponent(instanceId)}`)).data, `open task of instance ${instanceId}`),
    openTasks: async (instanceId) =>
      (await call<Page>('GET', `/tasks?limit=1000&process_instance_id=${encodeURIComponent(instanceId)}`)).data.map((t) => t.id),
    calledInstance: async (instanceId) =>
      only((await call<Page>('GET', `/instances?super_instance_id=${encodeURIComponent(instanceId)}`)).data, `instance called by ${instanceId}`),
    claim: async (taskId, userId) => {
      await call('POST', `/tasks/${taskId}/claim`, { user_id: userId });
    },
    complete: async (taskId) => {
      await call('POST', `/tasks/${taskId}/complete`, {});
    },
    updateVariable: async (instanceId, name, value) => {
      await call('PUT', `/instances/${instanceId}/variables`, [{ variable_name: name, value }]);
    },
  };
}

/** deploys the bench's models through the API at `baseUrl` */
export async function deployOverHttp(baseUrl: string): Promise<void> {
  for (const model of models) {
    const res = await fetch(`${baseUrl}/definitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bpmn_xml: model.xml, name: model.key }),
    });
    if (!res.ok) throw new Error(`deploying ${model.key} over HTTP: ${res.status} ${await res.text()}`);
  }
}

type Page = { data: { id: string }[] };

function only(rows: readonly { id: string }[], what: string): string {
  if (rows.length !== 1) throw new Error(`expected one ${what}, found ${rows.length}`);
  return rows[0]!.id;
}
