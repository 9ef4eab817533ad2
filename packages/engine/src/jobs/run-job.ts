// Running one job as a command. The row is read again under the instance lock, so a job delivered
// twice, deleted meanwhile, or no longer due has no effect; the row goes in the same transaction as
// the work it stood for.
import type { Transaction } from 'kysely';
import { deliverSignal } from '../commands/broadcast-signal.js';
import type { CommandContext } from '../commands/command-context.js';
import { dispatchAfterCommit, inTransaction, withInstance } from '../commands/run-command.js';
import { createInstance } from '../commands/start-instance.js';
import { seesTenant } from '../access/caller.js';
import { conflict, isEngineError, notFound } from '../errors.js';
import type { Interpreter } from '../execution/interpreter.js';
import { interrupts } from '../behaviours/catch-event.js';
import type { InstanceState, JobRow } from '../execution/instance-state.js';
import { retriesOf, retryCycleOf } from '../execution/work-items.js';
import type { Database } from '../persistence/database.js';
import { TIMER_START_RETRIES, timerStartJob } from '../definitions/timer-start-jobs.js';
import { nextFiring, parseRetryCycle, retryDelayMs, TimerValueError, type RetryPolicy } from '../timers/index.js';
import { toTypedValues, type TypedValue } from '../variables/variable-codec.js';
import type { VariablesInput } from '../api/types.js';
import type { JobRef } from './job-dispatcher.js';

export type JobOutcome = 'ran' | 'skipped';

/** due, with retries left, not suspended and held by nobody */
export function isRunnable(job: JobRow, now: Date): boolean {
  return job.retries > 0 && !job.suspended && new Date(job.due_at) <= now
    && (job.lock_expires_at === null || new Date(job.lock_expires_at) < now);
}

export async function findJob(ctx: CommandContext, jobId: string): Promise<JobRow | undefined> {
  return ctx.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
}

/**
 * Runs a timer or async continuation. `force` (POST /jobs/{id}/execute) ignores the due time and the
 * retries, but not a suspended instance.
 */
export async function runJob(ctx: CommandContext, job: JobRef, force = false): Promise<JobOutcome> {
  if (job.process_instance_id === null) return runDetached(ctx, job.id, force);
  try {
    return await withInstance(ctx, job.process_instance_id, (interpreter, state) => {
      const row = state.jobs.get(job.id);
      if (!row) return 'skipped';
      if (state.instance.suspension_state === 'suspended') {
        if (force) throw conflict(`Process instance '${state.instance.id}' is suspended: its jobs run once it is activated`);
        return 'skipped';
      }
      if (!force && !isRunnable(row, ctx.now())) return 'skipped';
      continueWith(interpreter, state, row);
      return 'ran';
    });
  } catch (e) {
    // the instance was deleted, and its jobs with it
    if (isEngineError(e) && e.code === 'NOT_FOUND' && !force) return 'skipped';
    throw e;
  }
}

/** a service job's call returned: its variables go to the instance and the token moves on */
export async function completeServiceJob(ctx: CommandContext, job: JobRow, owner: string, variables: Map<string, TypedValue>): Promise<void> {
  await withInstance(ctx, job.process_instance_id!, (interpreter, state) => {
    const row = state.jobs.get(job.id);
    // cancelled meanwhile, or its lock expired and another worker took it
    if (!row || row.lock_owner !== owner) return;
    const token = takeJob(interpreter, row);
    if (token) interpreter.trigger(token, row.activity_id, variables);
  });
}

/** a service job's call produced variables that could not be mapped: an incident at its token */
export async function failServiceMapping(ctx: CommandContext, job: JobRow, owner: string, message: string): Promise<void> {
  await withInstance(ctx, job.process_instance_id!, (interpreter, state) => {
    const row = state.jobs.get(job.id);
    if (!row || row.lock_owner !== owner) return;
    const token = takeJob(interpreter, row);
    if (token) interpreter.failAt(token, message);
  });
}

function continueWith(interpreter: Interpreter, state: InstanceState, row: JobRow): void {
  const token = takeJob(interpreter, row);
  if (!token) return;
  switch (row.handler) {
    case 'async-before':
    case 'async-after':
      return interpreter.continueAsync(token, row.handler, row.payload);
    case 'timer-boundary': {
      const boundary = state.model.elements.get(row.activity_id)!;
      // a non-interrupting cycle keeps firing while the activity (or the event sub-process's scope) lives
      const next = row.repeat && !interrupts(boundary) ? nextFiring(row.repeat, new Date(row.due_at), interpreter.now()) : undefined;
      if (next) {
        interpreter.work.createJob(token, row.activity_id, {
          type: 'timer', handler: 'timer-boundary', due_at: next.due, repeat: next.repeat ?? null, retries: retriesOf(boundary),
        });
      }
      return interpreter.trigger(token, row.activity_id);
    }
    case 'timer-catch':
      return interpreter.trigger(token, row.activity_id);
    case 'service':
      throw new Error(`service job ${row.id} runs through its call, not as a command`);
    case 'timer-start':
    case 'signal-throw':
      throw new Error(`${row.handler} job ${row.id} belongs to no instance`);
  }
}

/** the job is consumed; an incident it had opened is resolved by its success */
function takeJob(interpreter: Interpreter, row: JobRow) {
  interpreter.state.jobs.delete(row.id);
  resolveJobIncidents(interpreter, row.id, 'The job ran');
  return row.execution_id ? interpreter.state.executions.get(row.execution_id) : undefined;
}

function resolveJobIncidents(interpreter: Interpreter, jobId: string, message: string): void {
  for (const incident of interpreter.state.incidents.filter((i) => i.configuration === jobId && i.status === 'open')) {
    interpreter.history.resolved(incident, { type: 'automatic', said: message });
  }
}

/** a job of no instance: a timer start event's, or the delivery of a signal an instance threw */
async function runDetached(ctx: CommandContext, jobId: string, force: boolean): Promise<JobOutcome> {
  return inTransaction(ctx, async (trx) => {
    // skip locked: another node is running this very job
    const row = await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).forUpdate().skipLocked().executeTakeFirst();
    if (!row || (!force && !isRunnable(row, ctx.now()))) return 'skipped';
    if (row.handler === 'signal-throw') {
      await trx.deleteFrom('jobs').where('id', '=', row.id).execute();
      const { signal_name, thrown_by, variables, business_key } = JSON.parse(ctx.protection?.openJob(row).payload ?? row.payload!) as {
        signal_name: string; thrown_by?: string; variables?: VariablesInput; business_key?: string;
      };
      await deliverSignal(ctx, trx, {
        name: signal_name, variables: toTypedValues(variables), tenantId: row.tenant_id ?? undefined, thrown: true, thrownBy: thrown_by, thrownAt: row.created_at,
        businessKey: business_key,
      });
      return 'ran';
    }
    await createInstance(ctx, trx, {
      definition: row.process_definition_id, startEventId: row.activity_id, variables: new Map(), tenantId: row.tenant_id,
    });
    await scheduleNextStart(ctx, trx, row);
    return 'ran';
  }, { key: jobId });
}

async function scheduleNextStart(ctx: CommandContext, trx: Transaction<Database>, row: JobRow): Promise<void> {
  await trx.deleteFrom('jobs').where('id', '=', row.id).execute();
  const next = row.repeat ? nextFiring(row.repeat, new Date(row.due_at), ctx.now()) : undefined;
  if (!next) return;
  const job = timerStartJob({ id: row.process_definition_id, key: row.process_definition_key, tenant_id: row.tenant_id }, row.activity_id, next, ctx.now());
  await trx.insertInto('jobs').values(job).execute();
  dispatchAfterCommit(trx, [job]);
}

/**
 * A failed attempt: one retry less, the next after the model's retry cycle or the default backoff;
 * with none left the job stays, failed, holding a failedJob incident until someone resolves it.
 * Answers the retries left, or undefined when the job is gone.
 */
export async function recordJobFailure(ctx: CommandContext, job: JobRef, error: unknown, backoffMs: number): Promise<number | undefined> {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack ?? null : null;
  const now = ctx.now();
  if (job.process_instance_id === null) {
    return inTransaction(ctx, async (trx) => {
      const row = await trx.selectFrom('jobs').select('retries').where('id', '=', job.id).forUpdate().executeTakeFirst();
      if (!row) return undefined;
      const retries = Math.max(0, row.retries - 1);
      const rows = await trx.updateTable('jobs').where('id', '=', job.id).returningAll().set({
        retries, exception_message: message, exception_stacktrace: stack, lock_owner: null, lock_expires_at: null,
        due_at: new Date(now.getTime() + retryDelayMs({ retries: TIMER_START_RETRIES }, Math.max(retries, 1), backoffMs)),
      }).execute();
      dispatchAfterCommit(trx, rows);
      return retries;
    }, { key: job.id });
  }
  try {
    return await withInstance(ctx, job.process_instance_id, (interpreter, state) => {
      const row = state.jobs.get(job.id);
      if (!row) return undefined;
      row.retries = Math.max(0, row.retries - 1);
      // a call's error may quote its request
      const scope = row.execution_id ?? state.instance.id;
      row.exception_message = interpreter.redacted(scope, message);
      row.exception_stacktrace = stack === null ? null : interpreter.redacted(scope, stack);
      row.lock_owner = null;
      row.lock_expires_at = null;
      if (row.retries > 0) {
        row.due_at = new Date(now.getTime() + retryDelayMs(retryPolicy(state, row), row.retries, backoffMs));
        return row.retries;
      }
      const token = row.execution_id ? state.executions.get(row.execution_id) : undefined;
      // a failed job run again by hand (executeJob) that fails again keeps the incident it holds
      if (token && !state.incidents.find((i) => i.configuration === row.id && i.status === 'open')) interpreter.openIncident(token, 'failedJob', message, row.id);
      return 0;
    });
  } catch (e) {
    if (!(isEngineError(e) && e.code === 'NOT_FOUND')) throw e;
    return undefined;
  }
}

function retryPolicy(state: InstanceState, row: JobRow): RetryPolicy {
  const node = state.model.elements.get(row.activity_id);
  const cycle = retryCycleOf(node);
  try {
    if (cycle) return parseRetryCycle(cycle);
  } catch (e) {
    // a cycle the compiler let through but that has no fixed length (months): the default backoff
    if (!(e instanceof TimerValueError)) throw e;
  }
  return { retries: retriesOf(node) };
}

/** POST /jobs/{id}/execute */
export async function executeJobNow(ctx: CommandContext, jobId: string, run: (job: JobRow) => Promise<void>): Promise<void> {
  const job = await findJob(ctx, jobId);
  if (!job || !seesTenant(ctx.caller, job.tenant_id)) throw notFound('Job', jobId);
  if (job.process_instance_id !== null) {
    const instance = await ctx.db.selectFrom('process_instances').select('suspension_state').where('id', '=', job.process_instance_id).executeTakeFirst();
    if (instance?.suspension_state === 'suspended') throw conflict(`Process instance '${job.process_instance_id}' is suspended: its jobs run once it is activated`);
  }
  if (job.suspended) throw conflict(`Job '${jobId}' is suspended`);
  await run(job);
}

/** PUT /jobs/{id}/retries: retries above 0 let a failed job run again and resolve its incident */
export async function setJobRetries(ctx: CommandContext, jobId: string, retries: number): Promise<void> {
  const job = await findJob(ctx, jobId);
  if (!job || !seesTenant(ctx.caller, job.tenant_id)) throw notFound('Job', jobId);
  if (job.process_instance_id === null) {
    await inTransaction(ctx, async (trx) => {
      const rows = await trx.updateTable('jobs').set({ retries }).where('id', '=', jobId).returningAll().execute();
      dispatchAfterCommit(trx, rows);
    }, { key: jobId });
    return;
  }
  await withInstance(ctx, job.process_instance_id, (interpreter, state) => {
    const row = state.jobs.get(jobId);
    if (!row) throw notFound('Job', jobId);
    row.retries = retries;
    if (retries > 0) resolveJobIncidents(interpreter, jobId, `The job's retries were set to ${retries}`);
  });
}
