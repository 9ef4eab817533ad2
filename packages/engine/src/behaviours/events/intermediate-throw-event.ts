import type { Behaviour } from '../behaviour.js';
import { definitionOf } from '../event-definitions/event-definition.js';

/** throws what its definition throws, then moves on (unless the throw took the token elsewhere) */
export const intermediateThrowEvent: Behaviour = {
  activate(ctx, token, node) {
    if (definitionOf(node).throw?.(ctx, token, node) !== 'stop') ctx.leave(token);
  },
};
