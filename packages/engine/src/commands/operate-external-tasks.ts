// What is done to an external task whoever holds its lock, as Camunda 7 does it: the task locked by its id
// for a worker, the lock released, or new retries set, where 0 opens the failedExternalTask incident that a failure with no retries left opens,
// and more resolves it. Either leaves a task a fetch may take announced, as a new one is, so that an
// in-process handler of its topic takes it at once.
import type { ExternalTaskRow } from '../execution/instance-state.js';
import type { Interpreter } from '../execution/interpreter.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { CommandContext } from './command-context.js';
import { tokenOf } from './external-tasks.js';
import { dispatchAfterCommit, withOwningInstance } from './run-command.js';

type TaskWork = (task: ExternalTaskRow, interpreter: Interpreter) => void;

function onTask(ctx: CommandContext, taskId: string, work: TaskWork): Promise<void> {
  return withOwningInstance(ctx, { table: 'external_tasks', id: taskId, what: 'External task' }, (interpreter, state, trx) => {
    const task = state.externalTasks.get(taskId);
    if (!task) throw notFound('External task', taskId);
    work(task, interpreter);
    const lockedUntil = task.lock_expiration_time === null ? 0 : new Date(task.lock_expiration_time).getTime();
    if (!task.suspended && task.retries > 0 && lockedUntil <= ctx.now().getTime()) dispatchAfterCommit(trx, [], [task.topic_name]);
  });
}

const audited = (task: ExternalTaskRow, userId: string | undefined) =>
  ({ user_id: userId ?? null, activity_id: task.activity_id, execution_id: task.execution_id });

/**
 * Locks the task for a worker until now + lock_duration, as Camunda's LockExternalTaskCmd: only another
 * worker's lock that has not expired stands in the way; the same worker locking again extends its lock.
 * Like Camunda, a suspended task or one with no retries left is locked all the same (fetching skips them).
 */
export async function lockExternalTask(ctx: CommandContext, taskId: string, input: { worker_id: string; lock_duration: number }): Promise<void> {
  if (typeof input.worker_id !== 'string' || !input.worker_id) throw invalid('worker_id is required', { field: 'worker_id' });
  if (!Number.isInteger(input.lock_duration) || !(input.lock_duration > 0)) {
    throw invalid('lock_duration must be a positive whole number of milliseconds', { field: 'lock_duration' });
  }
  await onTask(ctx, taskId, (task) => {
    const now = ctx.now().getTime();
    const heldUntil = task.lock_expiration_time === null ? 0 : new Date(task.lock_expiration_time).getTime();
    if (task.worker_id !== null && task.worker_id !== input.worker_id && heldUntil >= now) {
      throw conflict(`External task '${taskId}' cannot be locked by worker '${input.worker_id}': it is locked by worker '${task.worker_id}'`);
    }
    task.worker_id = input.worker_id;
    task.lock_expiration_time = new Date(now + input.lock_duration);
  });
}

export async function unlockExternalTask(ctx: CommandContext, taskId: string, userId?: string): Promise<void> {
  await onTask(ctx, taskId, (task, interpreter) => {
    task.worker_id = null;
    task.lock_expiration_time = null;
    interpreter.history.audit({ operation: 'Unlock', ...audited(task, userId) });
  });
}

export async function setExternalTaskRetries(ctx: CommandContext, taskId: string, retries: number, userId?: string): Promise<void> {
  if (!Number.isInteger(retries) || retries < 0) throw invalid('retries must be a non-negative integer');
  await onTask(ctx, taskId, (task, interpreter) => {
    const token = tokenOf(interpreter.state, task);
    if (task.retries > 0 && retries === 0) {
      interpreter.openIncident(token, 'failedExternalTask', task.error_message || `External task '${task.id}' has no retries left: they were set to 0`, task.id);
    } else if (task.retries === 0 && retries > 0) {
      const message = `The external task's retries were set to ${retries}`;
      for (const incident of interpreter.state.incidents.values()) {
        if (incident.configuration !== task.id || incident.status !== 'open') continue;
        interpreter.history.resolved(incident, { type: 'retry', by: userId, message, said: message });
      }
      // the activity that failed waits for a worker again
      const activity = interpreter.history.activity(token.activity_instance_id);
      if (activity && !activity.end_time) activity.status = 'active';
    }
    interpreter.history.audit({ operation: 'SetExternalTaskRetries', ...audited(task, userId), property: 'retries', org_value: String(task.retries), new_value: String(retries) });
    task.retries = retries;
  });
}
