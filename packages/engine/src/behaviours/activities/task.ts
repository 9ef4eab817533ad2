import type { Behaviour } from '../behaviour.js';

/** a plain or manual task: nothing for the engine to do */
export const task: Behaviour = {
  activate: (ctx, token) => ctx.leave(token),
};
