// Conditional events: a catch event, a boundary event or the start event of an event sub-process that
// waits until its condition holds. Listening subscribes it; the condition is evaluated once every token of
// the command waits, and after that again each time a variable of its instance changes (API.md, Camunda 7).
import { evaluateCondition, ExpressionError } from '../../expressions/index.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import type { VariableChange } from '../../execution/variables.js';
import type { FlowNode } from '../../model/index.js';
import type { BehaviourContext } from '../behaviour.js';
import { interrupts } from '../catch-event.js';
import { eventOccurred } from './deliver.js';
import type { EventDefinitionBehaviour } from './event-definition.js';

export const conditional: EventDefinitionBehaviour = {
  listen(ctx, execution, event) {
    ctx.evaluateSoon(ctx.work.subscribe(execution, event, 'conditional', event.id));
  },
};

/**
 * Fires the conditional events whose condition holds among those just subscribed (`fresh`) and those a
 * change of variables concerns, the outermost first: one that interrupts ends the events beneath it before
 * they are looked at. A suspended instance's events wait for its activation. True when one fired.
 */
export function fireConditions(ctx: BehaviourContext, fresh: ReadonlySet<string>, changes: readonly VariableChange[]): boolean {
  if ((!fresh.size && !changes.length) || ctx.instance.suspension_state === 'suspended') return false;
  const due = ctx.work.listening('conditional')
    .map((subscription) => ({ subscription, event: ctx.model.elements.get(subscription.activity_id)!, execution: ctx.execution(subscription.execution_id!)! }))
    .filter(({ subscription, event }) => fresh.has(subscription.id) || changes.some((change) => concerns(event, change)))
    .sort((a, b) => depth(ctx, a.execution) - depth(ctx, b.execution));
  let fired = false;
  for (const { subscription, event, execution } of due) {
    if (!ctx.work.isSubscribed(subscription) || !ctx.alive(execution) || !holds(ctx, execution, event)) continue;
    if (interrupts(event)) ctx.work.unsubscribe(subscription);
    eventOccurred(ctx, execution, event.id);
    fired = true;
  }
  return fired;
}

/** camunda:variableName and variableEvents narrow the changes that evaluate the condition again */
function concerns(event: FlowNode, change: VariableChange): boolean {
  const definition = event.eventDefinition;
  if (definition.kind !== 'conditional') return false;
  return (definition.variableNames?.includes(change.name) ?? true) && (definition.variableEvents?.includes(change.kind) ?? true);
}

/**
 * A condition that cannot be evaluated does not hold: most often it names a variable not set yet, which
 * is what the event waits for.
 */
function holds(ctx: BehaviourContext, execution: ExecutionRow, event: FlowNode): boolean {
  const definition = event.eventDefinition;
  if (definition.kind !== 'conditional') throw new Error(`${event.id} has no condition`);
  try {
    return evaluateCondition(definition.condition, ctx.variables.visible(execution.id));
  } catch (e) {
    if (e instanceof ExpressionError) return false;
    throw e;
  }
}

function depth(ctx: BehaviourContext, execution: ExecutionRow): number {
  let levels = 0;
  for (let parent = ctx.parent(execution); parent; parent = ctx.parent(parent)) levels += 1;
  return levels;
}
