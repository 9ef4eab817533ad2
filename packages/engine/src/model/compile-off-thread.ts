// Compiling a model is synchronous work that grows with the document: about 4 s for 5 MB of ordinary
// BPMN. On the engine's thread it would hold every other request (health checks included) that long, so
// it runs in a worker thread, and the model comes back by structured clone. The worker lives while
// there is work and a little after, and never keeps the process alive on its own.
import { Worker } from 'node:worker_threads';
import { EngineError, invalidBpmn, type ErrorCode } from '../errors.js';
import { prepareTimeLimitedEvaluation } from '../expressions/time-limit.js';
import { LOAD_MODULE, siblingModule } from '../util/worker-module.js';
import { deepFreeze } from './deep-freeze.js';
import type { CompiledDefinitions, ProcessModel, Scope } from './process-model.js';
import { scopeReachability } from './reachability.js';
import type { ReadOptions } from './read-bpmn.js';

/** how long an idle worker is kept for the next model */
const IDLE_MS = 10_000;

const WORKER_SOURCE = `${LOAD_MODULE}
(async () => {
  const { compileDefinitions } = await load();
  parentPort.on('message', async ({ id, xml, options }) => {
    try {
      parentPort.postMessage({ id, result: await compileDefinitions(xml, options) });
    } catch (error) {
      parentPort.postMessage({ id, error: { code: error.code, message: String(error.message), details: error.details } });
    }
  });
})();`;

const compiler = siblingModule(import.meta.url, 'compile-model');

type Answer = { id: number; result: CompiledDefinitions } | { id: number; error: { code?: string; message: string; details?: Record<string, unknown> } };

interface Pending {
  resolve(result: CompiledDefinitions): void;
  reject(error: Error): void;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();
let idleTimer: NodeJS.Timeout | undefined;

/** compileDefinitions (compile-model.ts), run in the worker thread. */
export function compileDefinitionsOffThread(xml: string, options: ReadOptions = {}): Promise<CompiledDefinitions> {
  const id = nextId++;
  const answer = new Promise<CompiledDefinitions>((resolve, reject) => pending.set(id, { resolve, reject }));
  clearTimeout(idleTimer);
  worker ??= startWorker();
  worker.ref();
  worker.postMessage({ id, xml, options });
  return answer;
}

function startWorker(): Worker {
  const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { load: compiler } });
  started.on('message', (answer: Answer) => settle(started, answer));
  // A worker that dies takes the compilations it held with it; the next one starts afresh.
  started.on('error', (error) => stopped(started, error));
  started.on('exit', (code) => stopped(started, new Error(`the compiler stopped with exit code ${code}`)));
  return started;
}

function settle(from: Worker, answer: Answer): void {
  const waiting = pending.get(answer.id);
  pending.delete(answer.id);
  if (pending.size === 0) idleAfter(from);
  if ('result' in answer) waiting?.resolve(revived(answer.result));
  else waiting?.reject(answer.error.code === undefined ? new Error(answer.error.message) : new EngineError(answer.error.code as ErrorCode, answer.error.message, { details: answer.error.details }));
}

function idleAfter(idle: Worker): void {
  idle.unref();
  idleTimer = setTimeout(() => {
    if (worker === idle && pending.size === 0) {
      worker = undefined;
      void idle.terminate();
    }
  }, IDLE_MS).unref();
}

function stopped(dead: Worker, cause: Error): void {
  if (worker !== dead) return;
  worker = undefined;
  for (const { reject } of pending.values()) {
    reject(invalidBpmn([{ element_id: null, message: `The model could not be compiled: ${cause.message}` }]));
  }
  pending.clear();
}

/**
 * A model as the clone gives it back: reachability is computed on demand by an object that does not
 * clone. A model that will evaluate open-ended expressions starts their worker now, in the background,
 * so that its first evaluation does not wait for the worker to load.
 */
function revived(result: CompiledDefinitions): CompiledDefinitions {
  if (result.openEnded) prepareTimeLimitedEvaluation();
  const processes = result.processes.map((model): ProcessModel => ({
    ...model,
    scopes: new Map([...model.scopes].map(([id, scope]): [string, Scope] =>
      [id, { ...scope, reachable: scopeReachability(scope.children, model.elements, model.flows) }])),
  }));
  return deepFreeze({ processes, openEnded: result.openEnded });
}
