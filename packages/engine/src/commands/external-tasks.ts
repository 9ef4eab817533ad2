// The worker protocol for service, send and business-rule tasks: fetch-and-lock, then complete, fail,
// throw a BPMN error or extend the lock. Only the lock holder may act on a task.
import type { FetchAndLockInput } from '../api/engine.js';
import type { LockedExternalTask, ProcessVariable, VariablesInput } from '../api/types.js';
import { seesTenant } from '../access/caller.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { ExternalTaskRow, InstanceState } from '../execution/instance-state.js';
import type { Interpreter } from '../execution/interpreter.js';
import { isEngineId } from '../util/ids.js';
import { toTypedValues } from '../variables/variable-codec.js';
import { visibleVariables } from '../queries/index.js';
import type { CommandContext } from './command-context.js';
import { lockedTask } from './locked-task.js';
import { withInstance, withOwningInstance, type InstanceWork } from './run-command.js';

export async function fetchAndLock(ctx: CommandContext, input: FetchAndLockInput): Promise<LockedExternalTask[]> {
  if (!input.worker_id) throw invalid('worker_id is required');
  if (!Number.isInteger(input.max_tasks) || input.max_tasks < 0) throw invalid('max_tasks must be a non-negative integer');
  for (const topic of input.topics ?? []) {
    if (!(topic.lock_duration > 0)) throw invalid(`lock_duration of topic '${topic.topic_name}' must be a positive number of milliseconds`);
  }
  const now = ctx.now();
  const locked: { row: ExternalTaskRow; names?: string[] }[] = [];
  for (const topic of input.topics ?? []) {
    const wanted = input.max_tasks - locked.length;
    if (wanted <= 0) break;
    let free = ctx.db.selectFrom('external_tasks').select('id')
      .where('topic_name', '=', topic.topic_name)
      .where('suspended', '=', false)
      .where('retries', '>', 0)
      .where((eb) => eb.and(inCallerTenants('external_tasks.tenant_id', ctx.caller)))
      .where((eb) => eb.or([eb('lock_expiration_time', 'is', null), eb('lock_expiration_time', '<=', now)]));
    if (topic.business_key !== undefined) free = free.where('business_key', '=', topic.business_key);
    if (topic.process_instance_id !== undefined) free = free.where('process_instance_id', '=', topic.process_instance_id);
    if (topic.process_definition_key !== undefined) free = free.where('process_definition_key', '=', topic.process_definition_key);
    if (topic.tenant_ids?.length) free = free.where('tenant_id', 'in', topic.tenant_ids);
    // one statement takes the locks, so it needs no transaction; skip locked: another worker is taking those
    const rows = await ctx.db.updateTable('external_tasks')
      .set({ worker_id: input.worker_id, lock_expiration_time: new Date(now.getTime() + topic.lock_duration) })
      .where('id', 'in', free.orderBy('priority', 'desc').orderBy('created_at').limit(wanted).forUpdate().skipLocked())
      .returningAll().execute();
    rows.sort((a, b) => b.priority - a.priority || new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
    for (const row of rows) locked.push({ row, names: topic.variables });
  }
  const variables = await visibleVariables(ctx, locked.map(({ row }) => ({ instanceId: row.process_instance_id, executionId: row.execution_id })));
  return locked.map(({ row, names }) => lockedTask(row, pick(variables.get(row.execution_id) ?? {}, names)));
}

const pick = (all: Record<string, ProcessVariable>, names?: string[]) =>
  names ? Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name))) : all;

type LockedWork = (task: ExternalTaskRow, interpreter: Interpreter, state: InstanceState) => void;

/** a task by its id, or as fetched: an in-process worker knows its instance, which spares a lookup */
export type TaskRef = string | Pick<LockedExternalTask, 'id' | 'process_instance_id'>;

/** the task's instance command, for the worker that holds its lock */
async function asHolder(ctx: CommandContext, ref: TaskRef, workerId: string, work: LockedWork): Promise<void> {
  if (!workerId) throw invalid('worker_id is required');
  const taskId = typeof ref === 'string' ? ref : ref.id;
  const onTask: InstanceWork<void> = (interpreter, state) => {
    const task = state.externalTasks.get(taskId);
    if (!task) throw notFound('External task', taskId);
    // the holder may still act after its lock expired, as long as no other worker locked the task since
    if (task.worker_id !== workerId) {
      throw conflict(`External task '${taskId}' is ${task.worker_id ? `locked by worker '${task.worker_id}'` : 'not locked'}, not by '${workerId}'`);
    }
    if (state.instance.suspension_state === 'suspended') throw conflict(`External task '${taskId}' belongs to a suspended process instance`);
    work(task, interpreter, state);
  };
  // a worker that fetched the task knows its instance; one that names the task alone has it found with the lock
  await (typeof ref === 'string'
    ? withOwningInstance(ctx, { table: 'external_tasks', id: taskId, what: 'External task' }, onTask)
    : withInstance(ctx, ref.process_instance_id, onTask));
}

export function tokenOf(state: InstanceState, task: ExternalTaskRow) {
  const token = state.executions.get(task.execution_id);
  if (!token) throw new Error(`external task ${task.id} has no execution`);
  return token;
}

export function completeExternalTask(ctx: CommandContext, ref: TaskRef, input: { worker_id: string; variables?: VariablesInput }): Promise<void> {
  const variables = toTypedValues(input.variables);
  return asHolder(ctx, ref, input.worker_id, (task, interpreter, state) => {
    state.externalTasks.delete(task.id);
    interpreter.complete(tokenOf(state, task), variables);
  });
}

export function failExternalTask(ctx: CommandContext, ref: TaskRef, input: {
  worker_id: string; error_message: string; error_details?: string; retries: number; retry_timeout?: number;
}): Promise<void> {
  if (!Number.isInteger(input.retries) || input.retries < 0) throw invalid('retries must be a non-negative integer');
  return asHolder(ctx, ref, input.worker_id, (task, interpreter, state) => {
    task.retries = input.retries;
    // a worker's error may quote what it was given
    const redacted = (text: string | undefined) => (typeof text === 'string' ? interpreter.redacted(task.execution_id, text) : text ?? null);
    task.error_message = redacted(input.error_message);
    task.error_details = redacted(input.error_details);
    task.worker_id = null;
    task.lock_expiration_time = input.retries > 0 && input.retry_timeout ? new Date(ctx.now().getTime() + input.retry_timeout) : null;
    if (input.retries === 0) {
      interpreter.openIncident(tokenOf(state, task), 'failedExternalTask',
        input.error_message || `External task '${task.id}' failed with no retries left`, task.id);
    }
  });
}

export function bpmnErrorExternalTask(ctx: CommandContext, ref: TaskRef, input: {
  worker_id: string; error_code: string; error_message?: string; variables?: VariablesInput;
}): Promise<void> {
  if (!input.error_code) throw invalid('error_code is required');
  const variables = toTypedValues(input.variables);
  return asHolder(ctx, ref, input.worker_id, (task, interpreter, state) => {
    const token = tokenOf(state, task);
    for (const [name, value] of variables) interpreter.variables.set(token.id, name, value);
    state.externalTasks.delete(task.id);
    interpreter.throwFrom(token, input.error_code, input.error_message);
  });
}

export async function extendExternalTaskLock(ctx: CommandContext, taskId: string, input: { worker_id: string; new_duration: number }): Promise<void> {
  if (!(input.new_duration > 0)) throw invalid('new_duration must be a positive number of milliseconds');
  if (!input.worker_id) throw invalid('worker_id is required');
  const task = isEngineId(taskId)
    ? await ctx.db.selectFrom('external_tasks').select(['worker_id', 'tenant_id', 'lock_expiration_time']).where('id', '=', taskId).executeTakeFirst()
    : undefined;
  if (!task || !seesTenant(ctx.caller, task.tenant_id)) throw notFound('External task', taskId);
  const now = ctx.now();
  // as in Camunda 7, a lock that expired is not extended: a fetch may hand the task to another worker meanwhile
  const result = await ctx.db.updateTable('external_tasks')
    .set({ lock_expiration_time: new Date(now.getTime() + input.new_duration) })
    .where('id', '=', taskId).where('worker_id', '=', input.worker_id).where('lock_expiration_time', '>=', now).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    if (task.worker_id === input.worker_id && task.lock_expiration_time !== null) {
      throw conflict(`The lock of external task '${taskId}' expired at ${new Date(task.lock_expiration_time).toISOString()}: it cannot be extended; fetch the task again`);
    }
    throw conflict(`External task '${taskId}' is ${task.worker_id ? `locked by worker '${task.worker_id}'` : 'not locked'}, not by '${input.worker_id}'`);
  }
}

