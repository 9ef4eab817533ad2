import type { ExecutionRow } from '../../execution/instance-state.js';
import type { FlowNode } from '../../model/index.js';
import type { Behaviour, BehaviourContext } from '../behaviour.js';
import { onePerFlow } from './joined-tokens.js';

/**
 * Joins the tokens that can still arrive, then takes every flow whose condition holds. Which can still
 * arrive is known only once every other token of the scope waits: the join is decided when the agenda
 * is empty (settle), from the model's reachability of the scope.
 */
export const inclusiveGateway: Behaviour = {
  activate(ctx, token, node) {
    if (node.incoming.length > 1) ctx.join(token);
    else ctx.leave(token, 'inclusive');
  },
  settle(ctx, token, node) {
    if (!mayFire(ctx, token, node)) return false;
    ctx.merge([...onePerFlow(ctx.joining(token.parent_id, node.id)).values()], 'inclusive');
    return true;
  },
};

/** no token of the scope, but those waiting at the gateway, can still reach it */
function mayFire(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode): boolean {
  const reachable = ctx.model.scopes.get(node.scopeId)?.reachable;
  for (const e of ctx.children(ctx.parent(token)!)) {
    if (e.state === 'joining' && e.activity_id === node.id) continue;
    if (e.activity_id && reachable?.get(e.activity_id)?.has(node.id)) return false;
  }
  return true;
}
