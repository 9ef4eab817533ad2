import type { Behaviour, BehaviourContext } from '../behaviour.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import { compensationHandled } from '../event-definitions/compensate.js';
import { listenInScope } from './event-sub-process.js';

/**
 * An embedded sub-process (and a started event sub-process, which runs as one): the token becomes the
 * scope of its content, whose none start event a child enters; once no child is left, it leaves.
 */
export const subProcess: Behaviour = {
  activate(ctx, token, node) {
    const start = ctx.model.scopes.get(node.id)?.noneStartEvent ?? node.noneStartEvent;
    if (!start) throw new Error(`sub-process ${node.id} has no none start event: the validator should have refused it`);
    openScope(ctx, token);
    ctx.enterChild(token, start);
  },
  open: (ctx, token) => openScope(ctx, token),
  childCompleted(ctx, scope, _node, child) {
    if (ctx.children(scope).length === 0) ctx.completeScope(scope);
    else compensationHandled(ctx, child);
  },
};

/** the token runs the sub-process's content: its event sub-processes listen */
function openScope(ctx: BehaviourContext, token: ExecutionRow): void {
  ctx.beginScope(token);
  listenInScope(ctx, token);
}
