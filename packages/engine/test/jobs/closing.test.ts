// engine.close() ends however the work under way behaves: it waits for handlers and job runs for
// closeTimeoutMs at most, then gives up on them. What it gave up on is told to stop and records
// nothing, so its task or job is left as a stopped process leaves it (locked until the lock expires);
// what ends in time is recorded. Commands under way when it closes settle, and later ones are refused.
import { describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions, type HandlerContext, type LockedExternalTask } from '../../src/index.js';
import { freePort } from '../../src/testing/index.js';
import { httpConnectorTask } from '../support/http-connector-task.js';
import { allowingService, httpService } from '../support/http-service.js';
import { camunda, flow, jobBackends, jobDatabase, waitFor } from '../support/job-engines.js';

const handled = camunda('closing_handled', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="closing" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />`);

const called = camunda('closing_called', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'call')}${httpConnectorTask('call', { url: '${url}', method: 'GET' })}${flow('f2', 'call', 'end')}
    <bpmn:endEvent id="end" />`);

const waiting = camunda('closing_waiting', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:userTask id="wait" />`);

/** a handler that has started on its task and goes on until `finish` is called */
function heldHandler() {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let started!: (run: { task: LockedExternalTask; signal: AbortSignal }) => void;
  const running = new Promise<{ task: LockedExternalTask; signal: AbortSignal }>((resolve) => {
    started = resolve;
  });
  const handler = async (task: LockedExternalTask, { signal }: HandlerContext) => {
    started({ task, signal });
    await finished;
    return { late: true };
  };
  return { handler, running, finish };
}

describe.each(jobBackends())('closing an engine on $name', (backend) => {
  const service = httpService();
  const database = jobDatabase(backend, 'closing', { httpConnector: allowingService(service) });
  // a call to /silent is never answered
  const unanswered = new Promise<never>(() => {});
  service.answer = async (request) => (request.url === '/silent' ? unanswered : { status: 200, body: {} });

  /** an engine of the test's own with the models deployed, and the warnings it logs */
  async function open(options: EngineOptions = {}) {
    const warnings: string[] = [];
    const logger = { info() {}, error() {}, warn: (_details: unknown, message?: string) => void warnings.push(message ?? '') };
    const engine = await createEngine(database.options({ logger, ...options }));
    for (const bpmn_xml of [handled, called, waiting]) await engine.deploy({ bpmn_xml });
    return { engine, warnings };
  }

  /** what another engine on the database sees, once the first one is closed (PGlite has one at a time) */
  async function afterwards<T>(look: (engine: Awaited<ReturnType<typeof open>>['engine']) => Promise<T>): Promise<T> {
    const { engine } = await open();
    try {
      return await look(engine);
    } finally {
      await engine.close();
    }
  }

  it('gives up on a handler still running after closeTimeoutMs: the handler is told, and what it returns later is not reported', async () => {
    const { engine, warnings } = await open({ closeTimeoutMs: 200 });
    const { handler, running, finish } = heldHandler();
    engine.handle('closing', handler);
    const instance = await engine.startInstance({ process_definition_key: 'closing_handled' });
    const { task, signal } = await running;

    await engine.close();
    expect(signal.aborted).toBe(true);
    finish();
    // time for a report to be tried, which would fail on the closed database and be logged
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(warnings).toEqual([expect.stringContaining('Closing gave up')]);

    const [row, status] = await afterwards(async (e) => [
      (await e.listExternalTasks({ process_instance_id: instance.id })).data[0],
      (await e.getInstance(instance.id)).status,
    ] as const);
    expect(row).toMatchObject({ worker_id: task.worker_id, retries: 3 });
    expect(status).toBe('active');
  });

  it('waits for a handler that ends within closeTimeoutMs and reports what it returned', async () => {
    const { engine, warnings } = await open({ closeTimeoutMs: 30_000 });
    const { handler, running, finish } = heldHandler();
    engine.handle('closing', handler);
    const instance = await engine.startInstance({ process_definition_key: 'closing_handled' });
    const { signal } = await running;

    const closed = engine.close();
    finish();
    await closed;
    expect(signal.aborted).toBe(false);
    expect(warnings).toEqual([]);

    const details = await afterwards((e) => e.getInstance(instance.id));
    expect(details.status).toBe('completed');
    expect(details.variables.late?.value).toBe(true);
  });

  it('gives up on a service call the service does not answer: the call is hung up and no failure is recorded', async () => {
    const { engine } = await open({ closeTimeoutMs: 200 });
    const instance = await engine.startInstance({ process_definition_key: 'closing_called', variables: { url: { value: service.url('/silent') } } });
    const request = await waitFor(() => service.receivedOn('/silent')[0], 10_000, 'the call');

    await engine.close();
    await waitFor(() => request.hungUp, 10_000, 'the call to be hung up');

    const [job] = await afterwards(async (e) => (await e.listJobs({ process_instance_id: instance.id })).data);
    expect(job).toMatchObject({ type: 'service', retries: 3 });
    expect(job!.exception_message).toBeUndefined();
  });

  it('lets the commands under way when it closes settle, and refuses those that come after', async () => {
    const { engine } = await open();
    const starts = Promise.allSettled(Array.from({ length: 20 }, () => engine.startInstance({ process_definition_key: 'closing_waiting' })));
    await engine.close();
    const settled = await starts;
    await expect(engine.startInstance({ process_definition_key: 'closing_waiting' })).rejects.toThrow();

    const committed = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.id] : []));
    const found = await afterwards(async (e) => (await e.listInstances({ process_definition_key: 'closing_waiting', limit: 100 })).data.map((i) => i.id));
    expect(found).toEqual(expect.arrayContaining(committed));
  });

  if (backend.redis) {
    it('closes while its Redis cannot be reached', async () => {
      const { engine } = await open({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
      const { handler, running, finish } = heldHandler();
      engine.handle('closing', handler);
      await engine.startInstance({ process_definition_key: 'closing_handled' });
      await running;
      const closed = engine.close();
      finish();
      await closed;
      await expect(engine.startInstance({ process_definition_key: 'closing_handled' })).rejects.toThrow();
    });
  }
});
