import type { Behaviour } from '../behaviour.js';
import { definitionOf } from '../event-definitions/event-definition.js';

/** the token's path ends, once the end event's definition has thrown what it throws */
export const endEvent: Behaviour = {
  activate(ctx, token, node) {
    if (definitionOf(node).throw?.(ctx, token, node) !== 'stop') ctx.end(token);
  },
  /** its message's worker finished, what it threw to the callers of the instance let it go on, or its compensation ended */
  trigger(ctx, token, node) {
    if (definitionOf(node).thrown?.(ctx, token, node) !== 'stop') ctx.end(token);
  },
};
