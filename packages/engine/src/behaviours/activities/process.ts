import type { Behaviour } from '../behaviour.js';

/** the process itself, the scope of the instance's root execution: it completes once no token is left */
export const processBehaviour: Pick<Behaviour, 'childCompleted'> = {
  childCompleted(ctx, root) {
    if (ctx.children(root).length === 0) ctx.finishInstance('completed', null);
  },
};
