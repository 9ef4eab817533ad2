// The dispatcher for several engine processes: a BullMQ queue in Redis whose job ids are the job
// rows' ids. Redis only holds reminders; a flushed or restarted Redis loses some, and the sweeper
// dispatches the due rows again.
//
// BullMQ ignores an add whose id it still holds, waiting, delayed or active. For a waiting or
// delayed one that is what we want (the same reminder twice). For an active one it means a
// re-dispatch while that row is being run is dropped, as is a new due time for a delayed one;
// the sweeper covers both, because it re-dispatches every due row that nobody holds. Finished
// jobs are removed so that the same row can be dispatched again later. (Row ids are UUIDs: BullMQ
// refuses integer ids and ids with ':', and a few words would collide with its own keys.)
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { settlesBefore, settlesWithin } from './closing.js';
import type { DispatchedJob, JobDispatcher, JobRef, JobRunner, TopicListener } from './job-dispatcher.js';

export interface BullmqDispatcherOptions {
  redisUrl: string;
  /** the prefix of the Redis keys; 'dadms' unless given */
  prefix?: string;
  /** 'engine-jobs' unless given */
  queueName?: string;
}

/** how long a dispatch waits for Redis, for its first connection or for an answer, before it gives up */
const REDIS_TIMEOUT_MS = 5_000;
/** how long close() lets BullMQ finish its bookkeeping once our runs are done */
const CLOSE_GRACE_MS = 2_000;
/**
 * BullMQ holds a killed worker's jobs as active until its lock expires and a stalled check frees
 * them (30 s + 30 s by default), and ignores the sweeper's dispatches of those rows meanwhile. A run
 * takes milliseconds and a second run of a row is harmless, so short locks let another engine take
 * over within seconds.
 */
const WORKER_LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;

/** what a BullMQ job carries beside its id (the row's): JSON, so the due time as ms */
type JobData = Pick<JobRef, 'process_instance_id' | 'type' | 'trace_parent'> & { due?: number };

export class BullmqDispatcher implements JobDispatcher {
  readonly #redisUrl: string;
  readonly #prefix: string;
  readonly #queueName: string;
  readonly #queueConnection: Redis;
  readonly #queue: Queue;
  readonly #runs = new Set<Promise<void>>();
  #worker: { worker: DispatchWorker; connection: Redis } | undefined;
  /** this dispatcher's name on the topics channel, so that it does not hear itself */
  readonly #sender = randomUUID();
  #subscriber: Redis | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: BullmqDispatcherOptions) {
    this.#redisUrl = options.redisUrl;
    this.#prefix = options.prefix ?? 'dadms';
    this.#queueName = options.queueName ?? 'engine-jobs';
    // A dispatch while Redis is away fails instead of waiting for a Redis that may never come
    // back: at once without the offline queue, after one reconnect attempt when Redis went away
    // with the dispatch on the wire, after the timeout when Redis hangs. The caller's row stays
    // and the sweeper retries.
    this.#queueConnection = new Redis(this.#redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: REDIS_TIMEOUT_MS,
    });
    this.#queue = new Queue(this.#queueName, { connection: this.#queueConnection, prefix: this.#prefix });
    // ioredis reconnects by itself; without listeners a lost connection would be an unhandled
    // 'error' event. Failures that matter surface as rejected dispatches.
    this.#queueConnection.on('error', ignore);
    this.#queue.on('error', ignore);
  }

  async dispatch(jobs: readonly DispatchedJob[]): Promise<void> {
    if (this.#closing || jobs.length === 0) return;
    await this.#connected();
    // a moved due time: the delayed reminder of the old one goes, else the add below would be ignored
    // (one being run cannot be removed; its row, read again, decides, and the sweeper dispatches it later)
    for (const job of jobs) if (job.replace) await this.#queue.remove(job.id);
    const now = Date.now();
    await this.#queue.addBulk(
      jobs.map((job) => ({
        name: 'job',
        data: { process_instance_id: job.process_instance_id, type: job.type, due: job.due_at.getTime(), trace_parent: job.trace_parent ?? null } satisfies JobData,
        opts: {
          jobId: job.id,
          delay: Math.max(0, job.due_at.getTime() - now),
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  async start(run: JobRunner, concurrency: number): Promise<void> {
    if (this.#closing) return;
    if (this.#worker) throw new Error('the dispatcher is already started');
    // BullMQ opens its own copies of this connection (one of them blocking, which is why it must
    // retry forever), so this one never needs a socket of its own.
    const connection = new Redis(this.#redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    const worker = new DispatchWorker(
      this.#queueName,
      async (job: Job<JobData>) => {
        if (job.id === undefined) return;
        const { due, ...ref } = job.data;
        // a job added before due times travelled with it has none: its lateness is then unknown
        await this.#track(runQuietly(run, { ...ref, id: job.id, ...(due === undefined ? {} : { due_at: new Date(due) }) }));
      },
      { connection, prefix: this.#prefix, concurrency, lockDuration: WORKER_LOCK_MS, stalledInterval: STALLED_CHECK_MS },
    );
    connection.on('error', ignore);
    worker.on('error', ignore);
    this.#worker = { worker, connection };
  }

  close(giveUp?: AbortSignal): Promise<void> {
    this.#closing ??= this.#shutDown(giveUp);
    return this.#closing;
  }

  /** on a Redis channel of the queue: a message lost while Redis is away leaves the task to the sweep */
  async announce(topics: readonly string[]): Promise<void> {
    if (this.#closing || topics.length === 0) return;
    await this.#connected();
    await this.#queueConnection.publish(this.#topicsChannel(), JSON.stringify({ from: this.#sender, topics }));
  }

  async listen(heard: TopicListener): Promise<void> {
    if (this.#closing) return;
    if (this.#subscriber) throw new Error('the dispatcher is already listening');
    // a subscribed connection serves nothing else; it reconnects and subscribes again by itself
    const subscriber = new Redis(this.#redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    subscriber.on('error', ignore);
    subscriber.on('message', (_channel: string, text: string) => {
      const message = parseAnnouncement(text);
      if (message && message.from !== this.#sender) heard(message.topics);
    });
    this.#subscriber = subscriber;
    // not awaited: an engine starts while Redis is away, and hears announcements once it is back. What
    // was announced before the subscription took (an engine that has just started, as a test's does,
    // may have tasks announced at once) was missed: then any topic may have new tasks.
    subscriber.subscribe(this.#topicsChannel()).then(() => heard(), ignore);
  }

  #topicsChannel(): string {
    return `${this.#prefix}:${this.#queueName}:topics`;
  }

  /** jobs waiting, delayed or running: for tests and operations */
  async pendingCount(): Promise<number> {
    await this.#connected();
    return this.#queue.getJobCountByTypes('waiting', 'delayed', 'active');
  }

  async #shutDown(giveUp: AbortSignal | undefined): Promise<void> {
    if (this.#worker) {
      const { worker, connection } = this.#worker;
      // BullMQ's close waits for the runs in flight, but while Redis is away it may never end (see
      // DispatchWorker): once our runs are done it gets a grace period for its bookkeeping. Runs given
      // up on are left active in Redis, to be freed by a stalled check as a killed worker's are.
      const closed = worker.close();
      const ran = await settlesBefore(Promise.race([closed, this.#runsSettled()]), giveUp);
      if (!ran || !(await settlesWithin(closed, CLOSE_GRACE_MS))) await worker.abandon();
      connection.disconnect();
    }
    this.#subscriber?.disconnect();
    await this.#queue.close();
    this.#queueConnection.disconnect();
  }

  /**
   * BullMQ waits for the first connection without a limit; after it, commands fail fast while
   * Redis is away because the queue's connection has no offline queue.
   */
  async #connected(): Promise<void> {
    if (!(await settlesWithin(this.#queue.waitUntilReady(), REDIS_TIMEOUT_MS))) {
      throw new Error('Redis is not reachable');
    }
  }

  async #track(running: Promise<void>): Promise<void> {
    this.#runs.add(running);
    try {
      await running;
    } finally {
      this.#runs.delete(running);
    }
  }

  async #runsSettled(): Promise<void> {
    while (this.#runs.size > 0) await Promise.all(this.#runs);
  }
}

/**
 * BullMQ 6.7 cannot finish closing a worker while Redis is away: it waits for an ioredis 'end'
 * event that a reconnecting client never emits (bullmq#4656), or for commands queued until Redis
 * is back. Such a worker is abandoned instead: its timers stopped and its sockets dropped.
 */
class DispatchWorker extends Worker {
  async abandon(): Promise<void> {
    await this.pause(true);
    await this.lockManager.close();
    // ends the clients' reconnect timers; waiting for their 'end' would hang the same way
    this.getBackend().disconnect().catch(ignore);
  }
}

/** the runner promises not to throw; a throw must not fail the BullMQ job into a retry loop either */
async function runQuietly(run: JobRunner, job: JobRef): Promise<void> {
  try {
    await run(job);
  } catch {
    // the row is the truth: the sweeper finds it again if it still needs running
  }
}

function parseAnnouncement(text: string): { from: string; topics: string[] } | undefined {
  try {
    const value = JSON.parse(text) as { from?: unknown; topics?: unknown };
    if (typeof value.from !== 'string' || !Array.isArray(value.topics)) return undefined;
    return { from: value.from, topics: value.topics.filter((t): t is string => typeof t === 'string') };
  } catch {
    return undefined;
  }
}

function ignore(): void {}
