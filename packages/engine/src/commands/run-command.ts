// One command, one transaction: lock the instance's root row and load its state, let the interpreter
// run, write the difference. Anything thrown rolls the whole command back. Commands that arrive while
// the database is busy may share a transaction (group-commit.ts), each still all or nothing.
import { context } from '@opentelemetry/api';
import type { Transaction } from 'kysely';
import { seesTenant } from '../access/caller.js';
import { notFound } from '../errors.js';
import type { Interpreter } from '../execution/interpreter.js';
import { Variables } from '../execution/variables.js';
import type { InstanceState, JobRow } from '../execution/instance-state.js';
import type { Database, NewRow } from '../persistence/database.js';
import type { InstanceTarget, OwnedTable } from '../persistence/load-state.js';
import { writeState } from '../persistence/write-state.js';
import { committedEvents } from '../observability/committed-events.js';
import { byName } from '../variables/by-name.js';
import { toProcessVariable } from '../variables/variable-codec.js';
import type { CommandContext, CommittedWork } from './command-context.js';
import type { CommandOptions } from './group-commit.js';
import { takeIdempotencyKey } from './idempotency-claim.js';
import { InstanceSession } from './instance-session.js';
import { lockedTask } from './locked-task.js';

export type InstanceWork<T> = (interpreter: Interpreter, state: InstanceState, trx: Transaction<Database>, session: InstanceSession) => T | Promise<T>;

/** what a transaction handed out, announced once it has committed */
const handedOut = new WeakMap<Transaction<Database>, CommittedWork>();
/** the writes a transaction sent without waiting: their answers come with the COMMIT's */
const unanswered = new WeakMap<Transaction<Database>, Promise<void>[]>();

export async function inTransaction<T>(ctx: CommandContext, work: (trx: Transaction<Database>) => Promise<T>, options?: CommandOptions): Promise<T> {
  const claim = ctx.idempotency?.taken === false ? ctx.idempotency : undefined;
  let committed: CommittedWork | undefined;
  let writes: Promise<void>[] = [];
  // the handler slots of a run that did not commit are free again
  const release = () => committed?.pushed.forEach(({ slot }) => slot.release());
  let result: T;
  try {
    // a batch runs in the context of the command that opened it: each command's work keeps its own span
    result = await ctx.transactions.run(context.bind(context.active(), (trx: Transaction<Database>) => {
      // a command run again after its batch rolled back hands out only what its last run wrote
      release();
      committed = { jobs: [], topics: new Set(), pushed: [], events: false, observed: [], written: [] };
      writes = [];
      handedOut.set(trx, committed);
      unanswered.set(trx, writes);
      // taken first: a command whose key is taken waits for nothing else and changes nothing
      return claim ? takeIdempotencyKey(trx, claim, ctx.now()).then(() => work(trx)) : work(trx);
    }), options);
  } catch (e) {
    release();
    // a write that failed aborted the transaction: its error says why, better than what came after it
    throw (await firstFailure(writes)) ?? e;
  }
  if (claim) claim.taken = true;
  const handed = committed!;
  for (const written of handed.written) ctx.stateCache?.put(written);
  if (handed.observed.length) ctx.observer.eventsCommitted?.(handed.observed);
  if (handed.jobs.length || handed.topics.size || handed.pushed.length || handed.events) ctx.committed(handed);
  return result;
}

const pendingWork = (trx: Transaction<Database>): CommittedWork => {
  const pending = handedOut.get(trx);
  if (!pending) throw new Error('work written outside inTransaction would never be announced');
  return pending;
};

/** stores what a command changed on an instance; its new work is handed out at commit */
export async function saveState(ctx: CommandContext, trx: Transaction<Database>, state: InstanceState, claim?: number): Promise<void> {
  const pending = pendingWork(trx);
  pushToHandlers(ctx, state, pending);
  if (state.outbox.length) {
    pending.events = true;
    if (ctx.observer.eventsCommitted) pending.observed.push(...committedEvents(state.outbox));
  }
  // positioned at the end of the transaction where the engine commits it, else by the relay once committed
  const positioned = state.outbox.length > 0 && ctx.transactions.addEvents(trx, state.outbox);
  answeredAtCommit(trx, (await writeState(trx, state, ctx.protection, ctx.stateCache, !positioned)).answered);
  // as written, handler locks included
  const written = claim === undefined ? undefined : ctx.stateCache?.written(state, claim);
  if (written) pending.written.push(written);
  announceWork(trx, state);
}

/** statements sent without waiting (pipeline.ts: send): should one fail, the command fails with its error */
export function answeredAtCommit(trx: Transaction<Database>, answered: Promise<void>): void {
  const writes = unanswered.get(trx);
  if (!writes) throw new Error('statements sent outside inTransaction would go unanswered');
  writes.push(answered);
}

async function firstFailure(writes: readonly Promise<void>[]): Promise<unknown> {
  for (const outcome of await Promise.allSettled(writes)) if (outcome.status === 'rejected') return outcome.reason;
  return undefined;
}

/**
 * New external tasks whose topic has an in-process handler with room are written locked to it, and
 * handed to it at commit with the variables they see now, sorted by name as a fetch gives them (byName):
 * no fetch, no announcement.
 */
function pushToHandlers(ctx: CommandContext, state: InstanceState, pending: CommittedWork): void {
  let variables: Variables | undefined;
  for (const row of state.externalTasks.added()) {
    if (row.suspended || row.retries <= 0 || row.worker_id !== null) continue;
    const slot = ctx.handlerSlot(row.topic_name);
    if (!slot) continue;
    row.worker_id = slot.worker_id;
    row.lock_expiration_time = new Date(ctx.now().getTime() + slot.lock_duration);
    variables ??= new Variables(state, ctx.now);
    const visible = [...variables.visibleTyped(row.execution_id)].map(([name, v]) => [name, toProcessVariable(v)] as const);
    pending.pushed.push({ slot, task: lockedTask(row, byName(visible)) });
  }
}

type DispatchableJob = Pick<JobRow, 'id' | 'type' | 'due_at' | 'retries' | 'suspended'> & { process_instance_id?: string | null; trace_parent?: string | null };

/** the jobs and external tasks a command wrote for an instance, announced once it commits */
function announceWork(trx: Transaction<Database>, state: InstanceState): void {
  const { inserts, updates } = state.jobs.diff();
  const topics = state.externalTasks.diff().inserts.filter((t) => !t.suspended && t.worker_id === null).map((t) => t.topic_name);
  dispatchAfterCommit(trx, [...inserts, ...updates], topics);
}

/** events of this transaction outside an instance's state (a deployment's): positioned as a command's are */
export async function writeEvents(ctx: CommandContext, trx: Transaction<Database>, rows: readonly NewRow<'outbox'>[]): Promise<void> {
  pendingWork(trx).events = true;
  if (!ctx.transactions.addEvents(trx, rows)) await trx.insertInto('outbox').values(rows).execute();
}

/** jobs written in this transaction that a worker may run: dispatched after commit; `replace` when their due time was moved */
export function dispatchAfterCommit(
  trx: Transaction<Database>, jobs: Iterable<DispatchableJob>, topics: Iterable<string> = [], options: { replace?: boolean } = {},
): void {
  const pending = pendingWork(trx);
  for (const job of jobs) {
    if (job.retries > 0 && !job.suspended) {
      const dispatched = {
        id: job.id, process_instance_id: job.process_instance_id ?? null, type: job.type, due_at: new Date(job.due_at), trace_parent: job.trace_parent,
        ...(options.replace ? { replace: true } : {}),
      };
      // a job the command's own write announced already is dispatched once, as last said
      const known = pending.jobs.findIndex((other) => other.id === job.id);
      if (known < 0) pending.jobs.push(dispatched);
      else pending.jobs[known] = { ...dispatched, ...(pending.jobs[known]!.replace ? { replace: true } : {}) };
    }
  }
  for (const topic of topics) pending.topics.add(topic);
}

/** runs work on one instance inside an open transaction, with the others of its tree it reaches */
export const onInstance = <T>(ctx: CommandContext, trx: Transaction<Database>, instanceId: string, work: InstanceWork<T>): Promise<T> =>
  onTarget(ctx, trx, instanceId, () => notFound('Process instance', instanceId), work);

export const withInstance = <T>(ctx: CommandContext, instanceId: string, work: InstanceWork<T>): Promise<T> =>
  inTransaction(ctx, (trx) => onInstance(ctx, trx, instanceId, work), { key: instanceId });

/**
 * A command on a task, external task or incident is a command on the instance it belongs to, which is
 * found with the lock; whether the item is still open is for `work` to see, under the lock. `what` names
 * the item when it is not found.
 */
export const withOwningInstance = <T>(ctx: CommandContext, owner: { table: OwnedTable; id: string; what: string }, work: InstanceWork<T>): Promise<T> =>
  inTransaction(ctx, (trx) => onTarget(ctx, trx, owner, () => notFound(owner.what, owner.id), work), { key: owner.id });

async function onTarget<T>(ctx: CommandContext, trx: Transaction<Database>, target: InstanceTarget, missing: () => Error, work: InstanceWork<T>): Promise<T> {
  const session = new InstanceSession(ctx, trx);
  const interpreter = await session.open(target);
  if (!interpreter || !seesTenant(ctx.caller, interpreter.state.instance.tenant_id)) throw missing();
  const result = await work(interpreter, interpreter.state, trx, session);
  await session.finish();
  return result;
}
