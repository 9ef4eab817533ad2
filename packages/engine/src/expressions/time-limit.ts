// feelin evaluates synchronously and cannot be interrupted, so an open-ended expression (a loop over
// `1..1000000000`, a regular expression that backtracks for ever, nested lists that double at each
// level) would hold the event loop. Such an expression is evaluated in a worker thread, waited for up to
// the limit, and the worker killed when it runs past it; its value comes back as plain data. Plain
// conditions, the common case, never come here.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { LOAD_MODULE, siblingModule } from '../util/worker-module.js';
import type { Expression } from './expression.js';
import { ExpressionError, type ExpressionWarning } from './expression-error.js';

/** how long an open-ended expression may run */
export const EVALUATION_TIME_LIMIT_MS = 250;
/** how long the worker may take to start, which does not count against the limit */
const START_LIMIT_MS = 5_000;

const WORKER_SOURCE = `${LOAD_MODULE}
const signal = (flag) => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
load().then(({ evaluateExpression }) => {
  parentPort.on('message', ({ expression, variables, done }) => {
    let answer;
    try {
      answer = { value: evaluateExpression(expression, variables) };
    } catch (error) {
      answer = { error: { message: String(error.message), warnings: error.warnings } };
    }
    workerData.answers.postMessage(answer);
    signal(done);
  });
  signal(workerData.ready);
});`;

const evaluator = siblingModule(import.meta.url, 'evaluate');

type Answer = { value: unknown } | { error: { message: string; warnings?: ExpressionWarning[] } };

interface EvaluationWorker {
  readonly worker: Worker;
  readonly answers: MessagePort;
  /** set to 1 once the worker has loaded the evaluator */
  readonly ready: Int32Array;
}

let current: EvaluationWorker | undefined;

const flag = (): Int32Array => new Int32Array(new SharedArrayBuffer(4));

function startWorker(): EvaluationWorker {
  const ready = flag();
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { load: evaluator, ready, answers: port2 },
    transferList: [port2],
    // an expression that allocates without end is stopped by the heap limit before the time limit
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  worker.unref();
  // A worker killed by its heap limit reports it here; the waiting caller sees its time run out.
  worker.on('error', () => undefined);
  return { worker, answers: port1, ready };
}

/**
 * Starts the worker without waiting for it. Loading the evaluator takes it a good part of a second,
 * during which the first evaluation would hold the engine's thread; a model that will need the worker
 * calls this when it is compiled.
 */
export function prepareTimeLimitedEvaluation(): void {
  current ??= startWorker();
}

/** Evaluates an open-ended expression in the worker: its value, or the error it ended with. */
export function evaluateInTime(expression: Expression, variables: Readonly<Record<string, unknown>>): unknown {
  const evaluation = (current ??= startWorker());
  Atomics.wait(evaluation.ready, 0, 0, START_LIMIT_MS);
  const done = flag();
  evaluation.worker.postMessage({ expression: { ...expression, openEnded: undefined }, variables, done });
  if (Atomics.wait(done, 0, 0, EVALUATION_TIME_LIMIT_MS) === 'timed-out') {
    current = undefined;
    void evaluation.worker.terminate();
    throw new ExpressionError(`The expression '${expression.source}' was stopped: it ran longer than ${EVALUATION_TIME_LIMIT_MS} ms`, {
      expression: expression.source,
    });
  }
  const answer = receiveMessageOnPort(evaluation.answers)!.message as Answer;
  if ('value' in answer) return answer.value;
  throw new ExpressionError(answer.error.message, { expression: expression.source, warnings: answer.error.warnings });
}
