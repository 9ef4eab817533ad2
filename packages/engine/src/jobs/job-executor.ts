// Runs the jobs of the table: takes what the dispatcher delivers, sweeps for due rows nobody holds,
// and records failures. Timers and async continuations run as one command each; a service call runs
// outside any transaction under a row lock, and its result is a command of its own. Closing waits for
// the runs under way until the engine gives up on them; a service call given up on is aborted and
// records nothing, so it runs again once its lock expires, as after a crash.
import { performance } from 'node:perf_hooks';
import type { JobExecutorOptions } from '../api/engine.js';
import type { JobRun } from '../api/observer.js';
import type { CommandContext, CommittedWork } from '../commands/command-context.js';
import { conflict, isEngineError } from '../errors.js';
import { inSpan, linkTo } from '../observability/tracing.js';
import type { JobDispatcher, JobRef } from './job-dispatcher.js';
import { completeServiceJob, failServiceMapping, recordJobFailure, runJob } from './run-job.js';
import type { ServiceCalls } from './service-calls.js';
import { cancellable, settlesBefore } from './closing.js';
import type { TopicHandlers } from './topic-handlers.js';

const SWEEP_BATCH = 1_000;

export interface JobExecutorSettings extends Required<Omit<JobExecutorOptions, 'queuePrefix'>> {
  /** who holds a service job's lock: one name per engine */
  owner: string;
  logError(error: unknown, message: string): void;
  /** aborted when the engine's close() stops waiting for the work under way */
  givenUp: AbortSignal;
}

export class JobExecutor {
  #sweeper: NodeJS.Timeout | undefined;
  /** the sweep under way: close() waits for it, as the database must not close under a query */
  #sweeping: Promise<void> | undefined;
  #closed = false;
  /** what this turn's commits handed out, until it is dispatched */
  #handingOut: Pick<CommittedWork, 'jobs' | 'topics'> | undefined;
  #handOutTimer: NodeJS.Immediate | undefined;

  constructor(
    private readonly ctx: CommandContext,
    private readonly dispatcher: JobDispatcher,
    private readonly handlers: TopicHandlers,
    private readonly services: ServiceCalls,
    private readonly settings: JobExecutorSettings,
  ) {}

  async start(): Promise<void> {
    if (!this.settings.run) return;
    await this.dispatcher.start((job) => this.#deliver(job), this.settings.concurrency);
    await this.dispatcher.listen((topics) => this.handlers.wake(topics));
    this.#sweeper = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
    this.#sweeper.unref();
    await this.sweep();
  }

  /**
   * After a commit: tasks pushed to this engine's handlers, which start at once; jobs to dispatch, topics
   * with new tasks for the in-process handlers of every engine.
   * What the commits of one turn of the event loop hand out goes in one dispatch and one announcement
   * (the commands of a shared transaction all commit at once).
   */
  committed(work: CommittedWork): void {
    for (const { slot, task } of work.pushed) slot.run(task);
    if (!work.jobs.length && !work.topics.size) return;
    if (!this.#handingOut) {
      this.#handingOut = { jobs: [], topics: new Set() };
      this.#handOutTimer = setImmediate(() => this.#handOut());
    }
    this.#handingOut.jobs.push(...work.jobs);
    for (const topic of work.topics) this.#handingOut.topics.add(topic);
  }

  #handOut(): void {
    const work = this.#handingOut;
    this.#handingOut = undefined;
    clearImmediate(this.#handOutTimer);
    if (!work) return;
    if (work.topics.size) {
      this.handlers.wake(work.topics);
      this.dispatcher.announce([...work.topics]).catch((e) => this.settings.logError(e, 'Announcing new external tasks failed; the sweeps will find them'));
    }
    // an engine that runs no jobs leaves them to the engines that do, which sweep for them
    if (!this.settings.run) return;
    if (work.jobs.length) {
      this.dispatcher.dispatch(work.jobs).catch((e) => this.settings.logError(e, 'Dispatching jobs failed; the sweeper will find them'));
    }
  }

  /**
   * Due rows (and those due within the next sweeps) that nobody holds go to the dispatcher again:
   * after a crash between commit and dispatch, a flushed Redis or an expired lock. A row dispatched
   * twice runs once, since running rechecks it.
   */
  sweep(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  async #sweep(): Promise<void> {
    try {
      const now = this.ctx.now();
      const horizon = new Date(now.getTime() + 2 * this.settings.sweepIntervalMs);
      const rows = await this.ctx.db.selectFrom('jobs').select(['id', 'process_instance_id', 'type', 'due_at', 'trace_parent'])
        .where('retries', '>', 0).where('suspended', '=', false).where('due_at', '<=', horizon)
        .where((eb) => eb.or([eb('lock_expires_at', 'is', null), eb('lock_expires_at', '<', now)]))
        .orderBy('due_at').limit(SWEEP_BATCH).execute();
      if (rows.length) await this.dispatcher.dispatch(rows.map((r) => ({ ...r, due_at: new Date(r.due_at) })));
      this.handlers.wake();
    } catch (e) {
      // once the engine has given up on it, the database closing under it is why
      if (!this.settings.givenUp.aborted) this.settings.logError(e, 'Sweeping for due jobs failed');
    }
  }

  /**
   * Runs a job whatever its due time (POST /jobs/{id}/execute). A failure is recorded as any other
   * attempt's, and then thrown as a CONFLICT naming the job's error.
   */
  async runNow(job: JobRef): Promise<void> {
    await this.#run(job, true);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#handOut();
    clearInterval(this.#sweeper);
    if (this.#sweeping) await settlesBefore(this.#sweeping, this.settings.givenUp);
    await this.dispatcher.close(this.settings.givenUp);
  }

  /**
   * A delivered job runs only if its row, read again under a lock, is still there, due and free. Its run
   * is a span of a trace of its own, linked to the command that wrote the job.
   */
  async #deliver(job: JobRef): Promise<void> {
    const began = this.ctx.now().getTime();
    const started = performance.now();
    try {
      const outcome = await inSpan(`process_engine job ${job.type}`, {
        root: true, links: linkTo(job.trace_parent),
        attributes: { 'process_engine.job.id': job.id, 'process_engine.job.type': job.type },
      }, () => this.#run(job, false));
      if (!outcome) return;
      const lateMs = job.due_at ? Math.max(0, began - job.due_at.getTime()) : 0;
      this.ctx.observer.jobRan?.({ type: job.type, outcome, late_seconds: lateMs / 1000, seconds: (performance.now() - started) / 1000 });
    } catch (e) {
      this.settings.logError(e, `Running job '${job.id}' failed`);
    }
  }

  /** how the run ended; undefined when the job was gone, not due, or held by another worker */
  async #run(job: JobRef, force: boolean): Promise<JobRun['outcome'] | undefined> {
    if (job.type === 'service') return this.#call(job, force);
    try {
      return (await runJob(this.ctx, job, force)) === 'ran' ? 'completed' : undefined;
    } catch (e) {
      // a suspended or vanished instance is the caller's problem, not a failed attempt
      if (force && isEngineError(e)) throw e;
      return this.#failed(job, e, force);
    }
  }

  /** the attempt counts against the job's retries; one run by hand also tells its caller why it failed */
  async #failed(job: JobRef, error: unknown, force: boolean): Promise<JobRun['outcome'] | undefined> {
    const retriesLeft = await recordJobFailure(this.ctx, job, error, this.settings.retryBackoffMs);
    if (force) throw conflict(`Job '${job.id}' failed: ${error instanceof Error ? error.message : String(error)}`);
    if (retriesLeft === undefined) return undefined;
    return retriesLeft > 0 ? 'retried' : 'failed';
  }

  /**
   * A service call: locked for this engine while it runs, so that no other worker repeats it. One run
   * by hand is its caller's, as any command is: closing neither waits for it nor gives up on it.
   */
  async #call(job: JobRef, force: boolean): Promise<JobRun['outcome'] | undefined> {
    const { owner, lockDurationMs } = this.settings;
    const givenUp = force ? new AbortController().signal : this.settings.givenUp;
    const now = this.ctx.now();
    let lock = this.ctx.db.updateTable('jobs')
      .set({ lock_owner: owner, lock_expires_at: new Date(now.getTime() + lockDurationMs) })
      .where('id', '=', job.id).where('suspended', '=', false)
      .where((eb) => eb.or([eb('lock_expires_at', 'is', null), eb('lock_expires_at', '<', now)]));
    if (!force) lock = lock.where('retries', '>', 0).where('due_at', '<=', now);
    const locked = await lock.returningAll().executeTakeFirst();
    if (!locked) return undefined;
    // the request it holds may be encrypted
    this.ctx.protection?.openJob(locked);
    let record: () => Promise<JobRun['outcome'] | undefined>;
    try {
      const outcome = await cancellable(givenUp, (signal) => this.services.perform(locked, signal));
      record = outcome.ok
        ? () => completeServiceJob(this.ctx, locked, owner, outcome.variables).then(() => 'completed' as const)
        // answers it cannot map hold an incident at the task
        : () => failServiceMapping(this.ctx, locked, owner, outcome.message).then(() => 'failed' as const);
    } catch (e) {
      record = () => this.#failed(locked, e, force);
    }
    // the engine gave up on the call (aborting it): the row stays locked to this engine until the lock expires
    if (givenUp.aborted) return undefined;
    return record();
  }
}
