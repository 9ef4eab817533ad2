import type { ExecutionRow, SubscriptionRow } from '../../execution/instance-state.js';
import type { TypedValue } from '../../variables/variable-codec.js';
import type { BehaviourContext } from '../behaviour.js';
import { catchEvent, interrupts } from '../catch-event.js';

/**
 * A message or signal reached the event its subscription waits at; the audit log records it under
 * `operation`. The subscription is used up, but a non-interrupting boundary or event sub-process start
 * event's, which goes on listening while its activity or scope runs (Camunda 7). False when the
 * subscription's execution is gone (an earlier event of the same delivery ended it).
 */
export function deliver(ctx: BehaviourContext, subscription: SubscriptionRow, variables: ReadonlyMap<string, TypedValue>,
  operation: 'CorrelateMessage' | 'SignalEvent'): boolean {
  const token = subscription.execution_id ? ctx.execution(subscription.execution_id) : undefined;
  if (!token) return false;
  ctx.history.audit({ operation, activity_id: subscription.activity_id, execution_id: token.id, new_value: subscription.event_name });
  const event = ctx.model.elements.get(subscription.activity_id);
  if (!event || interrupts(event)) ctx.work.unsubscribe(subscription);
  for (const [name, value] of variables) ctx.variables.set(token.id, name, value);
  eventOccurred(ctx, token, subscription.activity_id);
  return true;
}

/**
 * An event the token waits for has occurred: its own catch event or receive task, one of the events
 * after its event-based gateway, a boundary event of its activity or, when the token is a scope's
 * execution, the start event of an event sub-process of that scope.
 */
export function eventOccurred(ctx: BehaviourContext, token: ExecutionRow, eventId: string): void {
  const event = ctx.model.elements.get(eventId);
  if (!event) throw new Error(`element ${eventId} is not in the model`);
  const caught = token.activity_id !== eventId && (event.kind === 'startEvent' || event.kind === 'boundaryEvent');
  if (caught) catchEvent(ctx, token, event);
  else ctx.resume(token, { eventId });
}
