// A transaction's cancel end event (Camunda 7): what else runs in the transaction is cancelled, what
// completed in it is compensated (compensate.ts), and once every handler has ended the transaction is left
// by its cancel boundary event, which the validator requires.
import type { ExecutionRow } from '../../execution/instance-state.js';
import type { BehaviourContext } from '../behaviour.js';
import { catchEvent } from '../catch-event.js';
import { startHandlers } from './compensate.js';
import type { EventDefinitionBehaviour } from './event-definition.js';

export const cancel: EventDefinitionBehaviour = {
  throw(ctx, token) {
    const transaction = ctx.parent(token)!;
    for (const child of ctx.children(transaction)) if (child !== token) ctx.cancel(child);
    if (!startHandlers(ctx, token, transaction)) leaveByCancelBoundary(ctx, transaction);
    return 'stop';
  },
  thrown(ctx, token) {
    leaveByCancelBoundary(ctx, ctx.parent(token)!);
    return 'stop';
  },
};

/** the transaction (a loop's body, for an inner instance) is interrupted by its cancel boundary event */
function leaveByCancelBoundary(ctx: BehaviourContext, transaction: ExecutionRow): void {
  const execution = ctx.loopRole(transaction) === 'inner' ? ctx.parent(transaction)! : transaction;
  const boundary = ctx.node(execution).boundaryEvents.map((id) => ctx.model.elements.get(id)!).find((event) => event.eventDefinition.kind === 'cancel');
  if (!boundary) throw new Error(`transaction ${execution.activity_id} has no cancel boundary event: the validator should have refused it`);
  catchEvent(ctx, execution, boundary);
}
