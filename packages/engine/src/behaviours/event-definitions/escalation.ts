import { catchEvent } from '../catch-event.js';
import type { EventDefinitionBehaviour } from './event-definition.js';
import { findCatcher, keepCaught } from './find-catcher.js';

/**
 * An escalation is caught as an error is (find-catcher.ts), but a non-interrupting catcher lets the
 * thrower go on, and one nobody catches changes nothing. Uncaught in its instance, the call activities
 * above try; the thrower waits for their outcome.
 */
export const escalation: EventDefinitionBehaviour = {
  throw(ctx, token, event) {
    const definition = event.eventDefinition;
    if (definition.kind !== 'escalation') throw new Error(`${event.id} has no escalation`);
    const catcher = findCatcher(ctx, token, 'escalation', definition.escalationCode);
    if (catcher) {
      catchEvent(ctx, catcher.execution, catcher.event);
      keepCaught(ctx, catcher, definition.escalationCode);
      // an interrupting catcher above the thrower ended it along with what it interrupted
      return ctx.alive(token) ? 'continue' : 'stop';
    }
    if (!ctx.instance.super_execution_id) return 'continue';
    ctx.wait(token);
    ctx.calls.propagate(token, { kind: 'escalation', code: definition.escalationCode });
    return 'stop';
  },
};
