import type { Behaviour } from '../behaviour.js';
import { compensationHandled } from '../event-definitions/compensate.js';

/** the process itself, the scope of the instance's root execution: it completes once no token is left */
export const processBehaviour: Pick<Behaviour, 'childCompleted'> = {
  childCompleted(ctx, root, _node, child) {
    if (ctx.children(root).length === 0) ctx.finishInstance('completed', null);
    else compensationHandled(ctx, child);
  },
};
