import type { Behaviour } from '../behaviour.js';
import { onePerFlow } from './joined-tokens.js';

/**
 * Joins one token per incoming flow, then takes every outgoing flow whatever its condition. A token that
 * arrives by a flow that already has one waiting waits for the next firing.
 */
export const parallelGateway: Behaviour = {
  activate(ctx, token, node) {
    if (node.incoming.length <= 1) return ctx.leave(token, 'all');
    ctx.join(token);
    const arrived = onePerFlow(ctx.joining(token.parent_id, node.id));
    if (node.incoming.every((flowId) => arrived.has(flowId))) ctx.merge([...arrived.values()], 'all');
  },
};
