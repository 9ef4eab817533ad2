// Commands on user tasks. Each locks the task's instance, so a claim and a completion of the same task
// (or of two branches before a join) never interleave.
import type { Transaction } from 'kysely';
import { requireTaskAction, type TaskAction } from '../access/task-rules.js';
import type { TaskDetails, VariablesInput } from '../api/types.js';
import { checkSubmission } from '../forms/check-submission.js';
import { taskForm } from '../model/describe-process.js';
import { toTaskDetails } from '../queries/index.js';
import { conflict, invalid } from '../errors.js';
import type { Interpreter } from '../execution/interpreter.js';
import type { InstanceState, TaskRow } from '../execution/instance-state.js';
import type { Database } from '../persistence/database.js';
import { toProcessVariable, toTypedValues, type TypedValue } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { withOwningInstance } from './run-command.js';

type TaskWork = (task: TaskRow, interpreter: Interpreter, state: InstanceState) => void;

/**
 * Finds the open task, refuses ended or suspended ones, and runs the change inside its instance's
 * command; answers the task as the command left it.
 */
async function onOpenTask(ctx: CommandContext, taskId: string, operation: string, action: TaskAction, work: TaskWork): Promise<TaskDetails> {
  return withOwningInstance(ctx, { table: 'tasks', id: taskId, what: 'Task' }, async (interpreter, state, trx, session) => {
    const task = state.tasks.get(taskId);
    if (!task) throw conflict(`Task '${taskId}' is ${await endedStatus(trx, taskId)}: it cannot ${operation}`);
    requireTaskAction(ctx.caller, task, action);
    if (state.instance.suspension_state === 'suspended') throw conflict(`Task '${taskId}' belongs to a suspended process instance: it cannot ${operation}`);
    work(task, interpreter, state);
    await session.settle();
    return taskView(task, state, interpreter);
  });
}

function taskView(task: TaskRow, state: InstanceState, interpreter: Interpreter): TaskDetails {
  const variables = Object.fromEntries([...interpreter.variables.visibleTyped(task.execution_id)].map(([name, v]) => [name, toProcessVariable(v)]));
  return toTaskDetails(task, variables, taskForm(state.model, task.task_definition_key));
}

async function endedStatus(trx: Transaction<Database>, taskId: string): Promise<string> {
  const row = await trx.selectFrom('tasks').select('status').where('id', '=', taskId).executeTakeFirst();
  return row?.status ?? 'gone';
}

const requireUser = (userId: unknown, field = 'user_id'): string => {
  if (typeof userId !== 'string' || !userId.trim()) throw invalid(`${field} must be a non-empty string`);
  return userId;
};

function setAssignee(interpreter: Interpreter, task: TaskRow, assignee: string | null, operation: string, userId?: string) {
  interpreter.history.audit({
    operation, user_id: userId ?? assignee, task_id: task.id, activity_id: task.task_definition_key,
    execution_id: task.execution_id, property: 'assignee', org_value: task.assignee, new_value: assignee, assignee,
  });
  if (assignee !== null && assignee !== task.assignee) {
    interpreter.history.event('process_manager.task.assigned', {
      task_id: task.id, instance_id: task.process_instance_id, task_name: task.name, assignee,
      previous_assignee: task.assignee ?? undefined, assigned_by: userId ?? assignee,
    });
  }
  task.assignee = assignee;
  const activity = interpreter.history.activity(task.activity_instance_id);
  if (activity) activity.assignee = assignee;
}

export function claimTask(ctx: CommandContext, taskId: string, userId: string): Promise<TaskDetails> {
  const user = requireUser(userId);
  return onOpenTask(ctx, taskId, 'be claimed', 'claim', (task, interpreter) => {
    if (task.assignee && task.assignee !== user) throw conflict(`Task '${taskId}' is already claimed by '${task.assignee}'`);
    setAssignee(interpreter, task, user, 'Claim');
    if (task.status === 'created') task.status = 'assigned';
  });
}

export function unclaimTask(ctx: CommandContext, taskId: string, userId?: string): Promise<TaskDetails> {
  return onOpenTask(ctx, taskId, 'be unclaimed', 'assign', (task, interpreter) => {
    setAssignee(interpreter, task, null, 'Unclaim', userId);
    if (task.status === 'assigned') task.status = 'created';
  });
}

export function assignTask(ctx: CommandContext, taskId: string, assignee: string | null, userId?: string): Promise<TaskDetails> {
  if (assignee !== null) requireUser(assignee);
  return onOpenTask(ctx, taskId, 'be assigned', 'assign', (task, interpreter) => {
    setAssignee(interpreter, task, assignee, 'Assign', userId);
    if (task.status !== 'delegated') task.status = assignee ? 'assigned' : 'created';
  });
}

/** the owner keeps the task; the delegate works it and resolves it back */
export function delegateTask(ctx: CommandContext, taskId: string, delegate: string, userId?: string): Promise<TaskDetails> {
  const user = requireUser(delegate);
  return onOpenTask(ctx, taskId, 'be delegated', 'work', (task, interpreter) => {
    task.owner = task.owner ?? task.assignee ?? userId ?? null;
    setAssignee(interpreter, task, user, 'Delegate', userId);
    task.delegation_state = 'pending';
    task.status = 'delegated';
  });
}

export function resolveTask(ctx: CommandContext, taskId: string, input: { variables?: VariablesInput; user_id?: string } = {}): Promise<TaskDetails> {
  const variables = toTypedValues(input.variables);
  return onOpenTask(ctx, taskId, 'be resolved', 'work', (task, interpreter) => {
    if (task.delegation_state !== 'pending') throw conflict(`Task '${taskId}' is not delegated: there is nothing to resolve`);
    for (const [name, value] of variables) interpreter.variables.set(task.execution_id, name, value);
    setAssignee(interpreter, task, task.owner, 'Resolve', input.user_id);
    task.delegation_state = 'resolved';
    task.status = task.owner ? 'assigned' : 'created';
    interpreter.settle();
  });
}

export function completeTask(ctx: CommandContext, taskId: string, input: { variables?: VariablesInput; user_id?: string } = {}): Promise<TaskDetails> {
  const submitted = toTypedValues(input.variables);
  return onOpenTask(ctx, taskId, 'be completed', 'work', (task, interpreter, state) => {
    if (task.delegation_state === 'pending') throw conflict(`Task '${taskId}' is delegated to '${task.assignee}': it must be resolved before it is completed`);
    const fields = state.model.elements.get(task.task_definition_key)?.userTask?.formFields ?? [];
    // the task's variables are read only for a form: most tasks are completed without one
    let visible: ReadonlyMap<string, TypedValue> | undefined;
    const current = (name: string) => (visible ??= interpreter.variables.visibleTyped(task.execution_id)).get(name);
    const variables = fields.length ? checkSubmission(`the form of task '${task.name}'`, fields, submitted, current) : submitted;
    const token = state.executions.get(task.execution_id);
    if (!token) throw new Error(`task ${taskId} has no execution`);
    const now = ctx.now();
    const completedBy = input.user_id ?? task.assignee ?? null;
    task.status = 'completed';
    task.end_time = now;
    task.completed_by = completedBy;
    interpreter.history.audit({
      operation: 'Complete', user_id: completedBy, task_id: task.id, activity_id: task.task_definition_key,
      activity_type: 'userTask', execution_id: task.execution_id, assignee: task.assignee,
    });
    interpreter.history.event('process_manager.task.completed', {
      task_id: task.id, instance_id: state.instance.id, task_name: task.name, completed_by: completedBy ?? undefined,
      duration: now.getTime() - new Date(task.created).getTime(),
      variables: Object.fromEntries([...variables].map(([name, v]) => [name, v.value])),
    });
    interpreter.complete(token, variables);
  });
}
