// feelin evaluates synchronously and cannot be interrupted, so an open-ended expression (a loop over
// `1..1000000000`, a regular expression that backtracks for ever) would hold the event loop. Such an
// expression is first run in a worker thread, which is killed when it runs past the limit; only one that
// finished there in time is evaluated again on this thread, where its value is wanted. Plain conditions,
// the common case, never come here.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** how long an open-ended expression may run */
export const EVALUATION_TIME_LIMIT_MS = 250;
/** how long the worker may take to start and load feelin, which does not count against the limit */
const START_LIMIT_MS = 10_000;

// Plain JavaScript, so that the worker runs the same whether this engine runs as TypeScript or compiled.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const signal = (flags) => { Atomics.store(flags, 0, 1); Atomics.notify(flags, 0); };
import(workerData.feelin).then(({ evaluate }) => {
  parentPort.on('message', ({ feel, variables, done }) => {
    try { evaluate(feel, variables); } catch {}
    signal(done);
  });
  signal(workerData.ready);
});`;

const feelinUrl = pathToFileURL(createRequire(import.meta.url).resolve('feelin')).href;

let worker: Worker | undefined;

const flag = (): Int32Array => new Int32Array(new SharedArrayBuffer(4));

function startWorker(): Worker {
  const ready = flag();
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { feelin: feelinUrl, ready },
    // a loop that allocates is stopped by the heap limit before the time limit
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  started.unref();
  // A worker killed by its heap limit reports it here; the waiting caller sees the time run out.
  started.on('error', () => undefined);
  Atomics.wait(ready, 0, 0, START_LIMIT_MS);
  return started;
}

/** True when evaluating `feel` with `variables` ends within the limit; false when it had to be stopped. */
export function endsInTime(feel: string, variables: Readonly<Record<string, unknown>>): boolean {
  worker ??= startWorker();
  const done = flag();
  worker.postMessage({ feel, variables, done });
  if (Atomics.wait(done, 0, 0, EVALUATION_TIME_LIMIT_MS) !== 'timed-out') return true;
  void worker.terminate();
  worker = undefined;
  return false;
}
