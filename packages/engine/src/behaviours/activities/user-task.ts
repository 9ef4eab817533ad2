import type { Behaviour } from '../behaviour.js';

/** a task for people: it waits until someone completes it */
export const userTask: Behaviour = {
  activate(ctx, token, node) {
    ctx.work.createUserTask(token, node, (e) => ctx.evaluate(token, e));
    ctx.wait(token);
  },
};
