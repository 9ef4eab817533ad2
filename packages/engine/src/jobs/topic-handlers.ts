// In-process workers for service-task topics (engine.handle). They are external-task workers that
// live in the engine: they lock a task like a REST worker, so a task is worked by one of them or by a
// remote worker, never both, and a crash while working only leaves a lock to expire. A handler with
// room takes a new task in the command that creates it (a slot: the task is written locked to it and
// handed over at commit, as Zeebe pushes jobs); the tasks it had no room for, it fetches. Closing waits
// for the handlers running until the engine gives up on them: what one returns after that is not
// reported, as if its process had stopped, and its task's lock expires.
import type { HandleOptions, ServiceHandler } from '../api/handlers.js';
import type { LockedExternalTask } from '../api/types.js';
import type { CommandContext, HandlerSlot } from '../commands/command-context.js';
import { bpmnErrorExternalTask, completeExternalTask, failExternalTask, fetchAndLock } from '../commands/external-tasks.js';
import { invalid } from '../errors.js';
import { retryDelayMs } from '../timers/index.js';
import { BpmnError } from './bpmn-error.js';
import { cancellable, settlesBefore } from './closing.js';

const DEFAULT_LOCK_MS = 60_000;
const DEFAULT_CONCURRENCY = 10;

interface Topic {
  handler: ServiceHandler;
  lockMs: number;
  concurrency: number;
  running: number;
  /** slots taken by commands not yet ended: each becomes a running task at commit, or is released */
  reserved: number;
  /** tasks the fetch under way may lock */
  fetching: number;
  polling: boolean;
  /** a wake-up came while polling: poll once more */
  again: boolean;
}

export interface TopicHandlerSettings {
  workerId: string;
  retryBackoffMs: number;
  logError(error: unknown, message: string): void;
  /** aborted when the engine's close() stops waiting for the work under way */
  givenUp: AbortSignal;
}

export class TopicHandlers {
  readonly #topics = new Map<string, Topic>();
  /** handlers running and fetches under way: close() waits for both, as the database must not close under them */
  readonly #work = new Set<Promise<void>>();
  #closed = false;

  constructor(private readonly ctx: CommandContext, private readonly settings: TopicHandlerSettings) {}

  register(topic: string, handler: ServiceHandler, options: HandleOptions = {}): void {
    if (typeof topic !== 'string' || !topic) throw invalid('handle needs a topic name');
    if (typeof handler !== 'function') throw invalid(`The handler for topic '${topic}' must be a function`);
    if (this.#topics.has(topic)) throw invalid(`Topic '${topic}' already has a handler in this engine`);
    this.#topics.set(topic, {
      handler, lockMs: options.lock_duration ?? DEFAULT_LOCK_MS, concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      running: 0, reserved: 0, fetching: 0, polling: false, again: false,
    });
    this.wake([topic]);
  }

  /** new tasks may wait on these topics (all handled topics when none are named) */
  wake(topics: Iterable<string> = this.#topics.keys()): void {
    for (const name of topics) {
      const topic = this.#topics.get(name);
      if (topic && !this.#closed) this.#track(this.#poll(name, topic));
    }
  }

  /** room in the topic's handler for a task a command is creating; undefined when it has none */
  reserve(name: string): HandlerSlot | undefined {
    const topic = this.#topics.get(name);
    if (!topic || this.#closed || topic.running + topic.reserved + topic.fetching >= topic.concurrency) return undefined;
    topic.reserved += 1;
    let settle!: () => void;
    // close() waits for the slot: its command may still commit and hand the task over
    this.#track(new Promise<void>((resolve) => {
      settle = resolve;
    }));
    let open = true;
    const end = () => {
      if (!open) return false;
      open = false;
      topic.reserved -= 1;
      settle();
      return true;
    };
    return {
      worker_id: this.settings.workerId,
      lock_duration: topic.lockMs,
      run: (task) => {
        if (end()) this.#start(name, topic, task);
      },
      release: () => {
        if (end()) this.wake([name]);
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await settlesBefore(this.#settled(), this.settings.givenUp);
  }

  /** a fetch under way may still start the tasks it locked, and a command holding a slot may commit */
  async #settled(): Promise<void> {
    while (this.#work.size) await Promise.allSettled([...this.#work]);
  }

  #track(work: Promise<void>): void {
    this.#work.add(work);
    const done = () => void this.#work.delete(work);
    work.then(done, done);
  }

  async #poll(name: string, topic: Topic): Promise<void> {
    if (topic.polling) {
      topic.again = true;
      return;
    }
    topic.polling = true;
    try {
      do {
        topic.again = false;
        const free = topic.concurrency - topic.running - topic.reserved;
        if (free <= 0 || this.#closed) break;
        topic.fetching = free;
        const tasks = await fetchAndLock(this.ctx, {
          worker_id: this.settings.workerId, max_tasks: free, topics: [{ topic_name: name, lock_duration: topic.lockMs }],
        }).finally(() => {
          topic.fetching = 0;
        });
        for (const task of tasks) this.#start(name, topic, task);
        if (tasks.length === free) topic.again = true;
      } while (topic.again);
    } catch (e) {
      // once the engine has given up on it, the database closing under it is why
      if (!this.settings.givenUp.aborted) this.settings.logError(e, `Fetching tasks of topic '${name}' failed`);
    } finally {
      topic.polling = false;
    }
  }

  #start(name: string, topic: Topic, task: LockedExternalTask): void {
    // handed over or fetched too late to be waited for: its lock expires and another worker takes it
    if (this.settings.givenUp.aborted) return;
    topic.running += 1;
    this.#track(this.#perform(topic, task).finally(() => {
      topic.running -= 1;
      this.wake([name]);
    }));
  }

  async #perform(topic: Topic, task: LockedExternalTask): Promise<void> {
    const { givenUp } = this.settings;
    let report: () => Promise<void>;
    try {
      const result = await cancellable(givenUp, (signal) => topic.handler(task, { signal }));
      report = () => completeExternalTask(this.ctx, task, { worker_id: this.settings.workerId, variables: asInput(result ?? undefined) });
    } catch (e) {
      report = () => this.#reportError(task, e);
    }
    // the engine gave up on the handler while it ran: its task is left as a stopped process leaves it
    if (givenUp.aborted) return;
    try {
      await report();
    } catch (e) {
      // the task was cancelled or taken over meanwhile: the engine's state is already right
      this.settings.logError(e, `Reporting task '${task.id}' of topic '${task.topic_name}' failed`);
    }
  }

  /** a BpmnError is raised at the task; any other error costs a retry */
  #reportError(task: LockedExternalTask, e: unknown): Promise<void> {
    const worker_id = this.settings.workerId;
    if (e instanceof BpmnError) {
      return bpmnErrorExternalTask(this.ctx, task, { worker_id, error_code: e.code, error_message: e.message, variables: asInput(e.variables) });
    }
    const retries = Math.max(0, task.retries - 1);
    return failExternalTask(this.ctx, task, {
      worker_id, retries, error_message: e instanceof Error ? e.message : String(e),
      error_details: e instanceof Error ? e.stack : undefined,
      retry_timeout: retries > 0 ? retryDelayMs({ retries: task.retries }, retries, this.settings.retryBackoffMs) : undefined,
    });
  }
}

const asInput = (values: Record<string, unknown> | undefined) =>
  values === undefined ? undefined : Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value }]));
