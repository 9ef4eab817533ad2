// Process instance modification (POST /instances/{id}/modification): an operator moves tokens, starting
// them before or after activities or on flows and cancelling activity instances, in one command. Every
// instruction is checked against the model before anything changes; one that cannot be carried out (no
// such element, no scope to start in, nothing to cancel) refuses the whole modification.
import type { ModificationInstruction, ModifyInstanceInput } from '../api/instance-changes.js';
import type { ProcessInstance } from '../api/types.js';
import { conflict, invalid } from '../errors.js';
import type { ModificationStep } from '../execution/interpreter.js';
import { instanceView } from '../execution/instance-view.js';
import type { ProcessModel } from '../model/index.js';
import { toTypedValues } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { requireRunning } from './instances.js';
import { withInstance } from './run-command.js';

const STARTS = new Set(['start_before_activity', 'start_after_activity', 'start_transition']);

export function modifyInstance(ctx: CommandContext, instanceId: string, input: ModifyInstanceInput): Promise<ProcessInstance> {
  const instructions = input?.instructions;
  if (!Array.isArray(instructions) || instructions.length === 0) throw invalid('instructions must be a list of at least one instruction');
  return withInstance(ctx, instanceId, async (interpreter, state, _trx, session) => {
    requireRunning(state, 'be modified');
    if (state.instance.suspension_state === 'suspended') throw conflict(`Process instance '${state.instance.id}' is suspended: activate it to modify it`);
    const steps = instructions.map((instruction, index) => stepOf(instruction, `Instruction ${index + 1}`, state.model));
    interpreter.history.audit({ operation: 'ModifyProcessInstance', user_id: input.user_id ?? null, new_value: input.annotation ?? null });
    interpreter.modify(steps, input.annotation ?? 'Cancelled by a modification of the instance');
    await session.settle();
    return instanceView(state);
  });
}

function stepOf(instruction: ModificationInstruction, where: string, model: ProcessModel): ModificationStep {
  if (instruction === null || typeof instruction !== 'object') throw invalid(`${where} is not an object`);
  if (instruction.type === 'cancel') {
    const { activity_id: elementId, activity_instance_id: activityInstanceId } = instruction;
    if ((elementId === undefined) === (activityInstanceId === undefined)) throw invalid(`${where}: a cancel names activity_id or activity_instance_id, one of them`);
    // cancelled, a multi-instance activity's inner instances leave its body empty, which goes with them
    return { kind: 'cancel', target: elementId !== undefined ? { elementId: bodyOrElement(elementId).id } : { activityInstanceId: activityInstanceId! } };
  }
  if (!STARTS.has(instruction.type)) {
    throw invalid(`${where}: type must be one of ${[...STARTS, 'cancel'].join(', ')}`, { type: (instruction as { type?: unknown }).type });
  }
  const variables = toTypedValues(instruction.variables);
  const ancestor = instruction.ancestor_activity_instance_id === undefined ? {} : { ancestorActivityInstanceId: instruction.ancestor_activity_instance_id };
  const named = (field: 'activity_id' | 'transition_id'): string => {
    const value = instruction[field];
    if (typeof value !== 'string' || value === '') throw invalid(`${where}: ${instruction.type} names its ${field}`);
    return value;
  };
  if (instruction.type === 'start_before_activity') {
    const { id, body } = bodyOrElement(named('activity_id'));
    return { kind: 'start', at: { elementId: id, ...(body ? { body } : {}) }, variables, ...ancestor };
  }
  if (instruction.type === 'start_transition') return { kind: 'start', at: { flowId: named('transition_id') }, variables, ...ancestor };
  const activityId = bodyOrElement(named('activity_id')).id;
  const node = model.elements.get(activityId);
  if (!node) throw invalid(`${where}: the process has no element '${activityId}'`);
  if (node.outgoing.length !== 1) {
    throw invalid(`${where}: '${activityId}' has ${node.outgoing.length} outgoing sequence flows; start after it only when it has one, else start on a flow (start_transition)`);
  }
  return { kind: 'start', at: { flowId: node.outgoing[0]! }, variables, ...ancestor };
}

/**
 * Camunda 7 names a multi-instance activity's body `<activity id>#multiInstanceBody`: a start before it runs
 * the whole activity, a start before the activity itself one more inner instance of it.
 */
function bodyOrElement(activityId: string): { id: string; body: boolean } {
  const body = activityId.endsWith(MULTI_INSTANCE_BODY);
  return { id: body ? activityId.slice(0, -MULTI_INSTANCE_BODY.length) : activityId, body };
}

const MULTI_INSTANCE_BODY = '#multiInstanceBody';
