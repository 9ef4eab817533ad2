// What the fault tests share: the real server as a child process (killed with SIGKILL, restarted on the
// same store), a throwaway redis-server (throwaway-redis.ts), a small HTTP service that counts the calls the engine makes to
// it, and helpers that drive the server over HTTP only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { killHard, watch, type Child } from './child-process.js';

export { SHARED_REDIS_URL, streamEventIds, ThrowawayRedis } from './throwaway-redis.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const API = '/api/processes';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** The server as `npm start` runs it, in a process of its own. */
export class ServerProcess {
  readonly url: string;
  /** the pino lines of every run, parsed; what is not JSON is kept as text */
  readonly logs: LogLine[] = [];
  readonly text: string[] = [];
  #child: Child | undefined;

  constructor(readonly port: number, private readonly env: Record<string, string>) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.#child?.process.pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.process.exitCode === null && this.#child.process.signalCode === null;
  }

  /** starts the server and waits until /health answers 200 */
  async start(timeoutMs = 90_000): Promise<void> {
    const child = this.launch();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${this.text.slice(-20).join('\n')}`);
      if ((await this.health()) === 200) return;
      if (Date.now() > deadline) {
        throw new Error(`the server was not healthy within ${timeoutMs} ms; /health: ${this.lastHealth}\n${this.text.slice(-20).join('\n')}`);
      }
      await sleep(100);
    }
  }

  /** starts the server's process without waiting for it */
  launch(): ChildProcess {
    if (this.running) throw new Error('already running');
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/server/src/server.ts'], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(this.port), LOG_LEVEL: 'warn', ...this.env },
    });
    this.#child = watch(child);
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        for (const line of lines) this.#record(line);
      });
    }
    return child;
  }

  /** SIGKILL, sent before the first wait; resolves once the process is gone */
  kill(): Promise<void> {
    return this.#child ? killHard(this.#child) : Promise.resolve();
  }

  /** the last answer of GET /health, for messages */
  lastHealth = '';

  /** SIGTERM to the server's process alone; resolves with its exit code once it is gone */
  async terminate(): Promise<number | null> {
    const child = this.#child;
    if (!child || !this.running) return child?.process.exitCode ?? null;
    child.process.kill('SIGTERM');
    await child.exited;
    return child.process.exitCode;
  }

  /** the status of GET /health, 0 when nothing answers */
  async health(): Promise<number> {
    try {
      const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      this.lastHealth = `${res.status} ${body.slice(0, 300)}`;
      return res.status;
    } catch (e) {
      this.lastHealth = String(e);
      return 0;
    }
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${API}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      // PGlite serves every request and job on one connection: on a busy machine an answer can take tens of seconds
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  /** a call that must answer with the given status */
  async expect<T = any>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  }

  /** log lines at error level or above (pino: 50 error, 60 fatal) */
  errors(): LogLine[] {
    return this.logs.filter((line) => line.level >= 50);
  }

  #record(line: string): void {
    if (line.trim() === '') return;
    this.text.push(line);
    try {
      this.logs.push(JSON.parse(line) as LogLine);
    } catch {
      // not a pino line (a crash's stack trace): kept in `text` only
    }
  }
}

/** a BullMQ key prefix no other test run uses */
export const uniqueQueuePrefix = (label: string): string => `pm-faults-${label}-${randomUUID().slice(0, 8)}`;

/**
 * The service the model's HTTP connector calls: it counts calls by the business key in their body and
 * answers after a short delay, so that some calls are always in flight while the engine works.
 */
export class CallCounter {
  readonly calls = new Map<string, number>();
  /** requests received whose answer has not been sent */
  inFlight = 0;
  maxInFlight = 0;
  readonly #server: Server;
  #port = 0;

  constructor(private readonly delayMs = 25) {
    this.#server = createHttpServer((req, res) => void this.#handle(req, res));
    // the engine's keep-alive sockets die with it; a reset must not be an unhandled error here
    this.#server.on('clientError', (_err, socket) => socket.destroy());
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/calls`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  /** how often each key was called, as a copy */
  snapshot(): Map<string, number> {
    return new Map(this.calls);
  }

  get total(): number {
    let n = 0;
    for (const count of this.calls.values()) n += count;
    return n;
  }

  async #handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    let key: unknown;
    try {
      key = (JSON.parse(body) as { key?: unknown }).key;
    } catch {
      key = undefined;
    }
    if (req.method !== 'POST' || typeof key !== 'string') {
      res.writeHead(400).end();
      return;
    }
    // counted on arrival: a call the engine made counts even if the engine dies before the answer
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await sleep(this.delayMs);
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key, received: true }));
    } finally {
      this.inFlight--;
    }
  }
}

/** runs `work` over the items, at most `width` at a time */
export async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

/**
 * Polls until `done` is true; returns how long that took. A poll that fails (a request timing out)
 * counts as not done; the last failure is named if the wait times out.
 */
export async function waitUntil(what: string, done: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<number> {
  const started = Date.now();
  let failure: unknown;
  for (;;) {
    try {
      if (await done()) return Date.now() - started;
    } catch (e) {
      failure = e;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${failure ? `; the last poll failed: ${String(failure)}` : ''}`);
    }
    await sleep(everyMs);
  }
}

export const bpmn = (id: string, body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_${id}" targetNamespace="http://example.com/faults">
${body}
</bpmn:definitions>`;

/**
 * start → `script` (asynchronous before: a job; FEEL with a result variable) → `wait` (a timer) → `call`
 * (the built-in HTTP connector, posting the instance's key to `url`) → end.
 */
export const faultModel = (processId: string, url: string, timer: string): string => bpmn(processId, `
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script" />
    <bpmn:scriptTask id="script" scriptFormat="feel" camunda:asyncBefore="true" camunda:resultVariable="doubled">
      <bpmn:script>n * 2</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="script" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDuration>${timer}</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="call" />
    <bpmn:serviceTask id="call">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>http-connector</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="url">${url}</camunda:inputParameter>
            <camunda:inputParameter name="method">POST</camunda:inputParameter>
            <camunda:inputParameter name="payload"><camunda:script scriptFormat="feel">{key: key, doubled: doubled}</camunda:script></camunda:inputParameter>
            <camunda:outputParameter name="echoed"><camunda:script scriptFormat="feel">response.key</camunda:script></camunda:outputParameter>
            <camunda:outputParameter name="status">\${statusCode}</camunda:outputParameter>
          </camunda:inputOutput>
        </camunda:connector>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f4" sourceRef="call" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** the execution path of an instance of faultModel that ran once through */
export const ONCE_THROUGH = ['start', 'script', 'wait', 'call', 'end'];

export const businessKey = (label: string, i: number): string => `${label}-${String(i).padStart(5, '0')}`;

/** starts instances of `processId`, `width` at a time; instance i has business key and variable `key` businessKey(label, i) */
export async function startInstances(server: ServerProcess, processId: string, label: string, count: number, width = 24): Promise<string[]> {
  return inBatches(Array.from({ length: count }, (_, i) => i), width, async (i) => {
    const key = businessKey(label, i);
    const started = await server.expect(201, 'POST', '/instances', {
      process_definition_key: processId,
      business_key: key,
      variables: { key: { value: key }, n: { value: i } },
    });
    return started.id as string;
  });
}

export async function countByStatus(server: ServerProcess, processId: string, status: string): Promise<number> {
  return (await server.expect(200, 'GET', `/instances?process_definition_key=${processId}&status=${status}&limit=1`)).total as number;
}

export interface InstanceReport {
  id: string;
  business_key: string;
  status: string;
  path: string[];
  variables: Record<string, { value: unknown }>;
  incidents: unknown[];
}

/** the instances with their execution paths and variables (one GET each) */
export async function readInstances(server: ServerProcess, ids: readonly string[]): Promise<InstanceReport[]> {
  return inBatches(ids, 16, async (id) => {
    const details = await server.expect(200, 'GET', `/instances/${id}`);
    return {
      id,
      business_key: details.business_key,
      status: details.status,
      path: (details.execution_path as { activity_id: string }[]).map((p) => p.activity_id),
      variables: details.variables,
      incidents: details.incidents,
    };
  });
}

export interface PublishedEvent {
  id: string;
  type: string;
  instance_id?: string;
}

/** every kept event, oldest first, through GET /events page by page */
export async function readAllEvents(server: ServerProcess): Promise<PublishedEvent[]> {
  const events: PublishedEvent[] = [];
  for (let page: PublishedEvent[] = []; events.length === 0 || page.length === 1000;) {
    page = (await server.expect(200, 'GET', `/events?limit=1000${events.length ? `&after=${events.at(-1)!.id}` : ''}`)).data as PublishedEvent[];
    events.push(...page);
  }
  return events;
}
