// Compensation (Camunda 7). An activity with a compensation boundary event, once it has completed, can be
// undone by the handler that event is associated with (an activity with isForCompensation), for as long as
// the scope it ran in runs. A sub-process that completes without a handler of its own hands what can be
// compensated inside it to the scope around it. A compensation throw or end event starts the handlers of what
// completed in its scope (in the scope around it, thrown from an event sub-process), or of the one activity
// it names, the last to complete first, and waits until every handler it started has ended.
import type { ExecutionRow } from '../../execution/instance-state.js';
import type { LoopRole } from '../../execution/execution-tree.js';
import type { FlowNode } from '../../model/index.js';
import type { BehaviourContext } from '../behaviour.js';
import type { EventDefinitionBehaviour } from './event-definition.js';

export const compensate: EventDefinitionBehaviour = {
  /** waitForCompletion="false" is read as true, as Camunda 7 does: the thrower always waits */
  throw(ctx, token, event) {
    const definition = event.eventDefinition;
    if (definition.kind !== 'compensate') throw new Error(`${event.id} has no compensate event definition`);
    return startHandlers(ctx, token, compensatedScope(ctx, token), definition.activityRef) ? 'stop' : 'continue';
  },
};

/**
 * The handlers of what completed in the scope (or of the one activity `ref` names) start, the last completed
 * first, and the thrower waits for them (compensationHandled); false when there was nothing to compensate.
 */
export function startHandlers(ctx: BehaviourContext, thrower: ExecutionRow, scope: ExecutionRow, ref?: string): boolean {
  const due = ctx.work.compensations(scope)
    .filter(({ subscription, within }) => ref === undefined || subscription.activity_id === ref || within.includes(ref));
  for (const { subscription } of due) {
    const handler = ctx.enterChild(scope, subscription.event_name!);
    ctx.work.startCompensation(subscription, handler);
    ctx.work.awaitHandler(thrower, handler);
  }
  if (due.length) ctx.wait(thrower);
  return due.length > 0;
}

/** a throw compensates what completed in its scope; from an event sub-process, in the scope around it */
function compensatedScope(ctx: BehaviourContext, token: ExecutionRow): ExecutionRow {
  const scope = ctx.parent(token)!;
  const node = scope.activity_id ? ctx.model.elements.get(scope.activity_id) : undefined;
  return node?.triggeredByEvent ? ctx.parent(scope)! : scope;
}

/**
 * The activity completed (each inner instance of a loop on its own): with a handler, it can be compensated
 * in its scope from now on; a sub-process or a loop's body without one hands up what completed inside it.
 */
export function completedForCompensation(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode, role: LoopRole | undefined): void {
  const ownHandler = role === 'body' ? undefined : node.compensationHandler;
  // every element that completes passes here; most neither have a handler nor hold what completed inside them
  if (ownHandler === undefined && node.kind !== 'subProcess' && node.kind !== 'transaction' && role !== 'body') return;
  const scope = ctx.parent(token);
  if (!scope) return;
  if (ownHandler !== undefined) ctx.work.compensable(scope, node.id, ownHandler);
  else ctx.work.raiseCompensations(token, scope, node.id);
}

/** a child of the scope ended: if it was a handler, the throw event that started it goes on once it waits for no other */
export function compensationHandled(ctx: BehaviourContext, child: ExecutionRow): void {
  const thrower = ctx.work.handlerEnded(child);
  if (thrower && ctx.alive(thrower)) ctx.resume(thrower, { eventId: thrower.activity_id! });
}
