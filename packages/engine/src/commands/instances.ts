// Commands on a whole instance: terminate, suspend or activate, change or remove its variables.
import type { ProcessInstance, VariableUpdate } from '../api/types.js';
import { instanceView } from '../execution/instance-view.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { InstanceState } from '../execution/instance-state.js';
import type { Interpreter } from '../execution/interpreter.js';
import { toTypedValue } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { withInstance } from './run-command.js';

export function requireRunning(state: InstanceState, doing: string): void {
  if (state.isEnded) throw conflict(`Process instance '${state.instance.id}' has ended (${state.instance.status}): it cannot ${doing}`);
}

export function terminateInstance(ctx: CommandContext, instanceId: string, options: { reason?: string; user_id?: string } = {}): Promise<ProcessInstance> {
  return withInstance(ctx, instanceId, async (interpreter, state, _trx, session) => {
    requireRunning(state, 'be terminated');
    interpreter.history.audit({ operation: 'Delete', user_id: options.user_id ?? null, new_value: options.reason ?? null });
    interpreter.terminateInstance('externally_terminated', options.reason ?? null);
    await session.settle();
    return instanceView(state);
  });
}

/** the instance and the instances its call activities called, down the tree, which are suspended or activated with it */
export function setInstanceSuspended(ctx: CommandContext, instanceId: string, suspended: boolean, userId?: string): Promise<ProcessInstance> {
  return withInstance(ctx, instanceId, async (interpreter, state, trx, session) => {
    requireRunning(state, suspended ? 'be suspended' : 'be activated');
    const called = [state.instance.id];
    for (let id = called.shift(); id !== undefined; id = called.shift()) {
      const rows = await trx.selectFrom('process_instances').select('id').where('super_instance_id', '=', id).where('end_time', 'is', null).execute();
      for (const row of rows) {
        const child = await session.open(row.id);
        if (child) activateOrSuspend(child, suspended);
        called.push(row.id);
      }
    }
    activateOrSuspend(interpreter, suspended);
    interpreter.history.audit({ operation: suspended ? 'Suspend' : 'Activate', user_id: userId ?? null });
    await session.settle();
    return instanceView(state);
  });
}

/** activated, the instance's conditional events look at the variables that changed while it was suspended */
function activateOrSuspend(interpreter: Interpreter, suspended: boolean): void {
  suspendState(interpreter.state, suspended);
  if (!suspended) interpreter.evaluateConditions();
}

/** the instance and the work it has handed out follow one suspension state */
export function suspendState(state: InstanceState, suspended: boolean): void {
  const value = suspended ? 'suspended' : 'active';
  state.instance.suspension_state = value;
  state.instance.status = value;
  for (const task of state.tasks.values()) task.suspension_state = value;
  for (const task of state.externalTasks.values()) task.suspended = suspended;
  for (const job of state.jobs.values()) job.suspended = suspended;
}

/** answers the instance's variables as the command left them */
export function updateVariables(ctx: CommandContext, instanceId: string, updates: VariableUpdate[], userId?: string): Promise<ProcessInstance['variables']> {
  if (!Array.isArray(updates)) throw invalid('The body must be a list of variable updates');
  const typed = updates.map((u, i) => {
    if (!u || typeof u.variable_name !== 'string' || !u.variable_name) throw invalid(`Update ${i} has no variable_name`);
    return [u.variable_name, toTypedValue(u.variable_name, u)] as const;
  });
  return withInstance(ctx, instanceId, async (interpreter, state, _trx, session) => {
    requireRunning(state, 'change its variables');
    const before = interpreter.variables.typedIn(state.instance.id);
    for (const [name, value] of typed) {
      interpreter.variables.setLocal(state.instance.id, name, value);
      interpreter.history.audit({
        operation: 'SetVariable', user_id: userId ?? null, property: name,
        org_value: before.has(name) ? JSON.stringify(before.get(name)!.value) : null, new_value: JSON.stringify(value.value),
      });
    }
    interpreter.settle();
    await session.settle();
    return instanceView(state).variables;
  });
}

/**
 * The instance's own variables of these names removed, as Camunda 7 removes them; answers the variables
 * as the command left them. A name the instance does not have is a NOT_FOUND naming it, and nothing is removed.
 */
export function removeVariables(ctx: CommandContext, instanceId: string, names: string[], userId?: string): Promise<ProcessInstance['variables']> {
  if (!Array.isArray(names) || names.length === 0 || names.some((name) => typeof name !== 'string' || name === '')) {
    throw invalid('Name at least one variable to remove');
  }
  return withInstance(ctx, instanceId, async (interpreter, state, _trx, session) => {
    requireRunning(state, 'change its variables');
    const before = interpreter.variables.typedIn(state.instance.id);
    const missing = names.filter((name) => !before.has(name));
    if (missing.length) throw notFound(`Variable '${missing[0]}' of process instance`, state.instance.id);
    for (const name of new Set(names)) {
      interpreter.variables.remove(state.instance.id, name);
      interpreter.history.audit({ operation: 'RemoveVariable', user_id: userId ?? null, property: name, org_value: JSON.stringify(before.get(name)!.value), new_value: null });
    }
    interpreter.settle();
    await session.settle();
    return instanceView(state).variables;
  });
}
