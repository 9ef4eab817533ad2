import type { Behaviour } from '../behaviour.js';

/** a start event of the process or of a sub-process: the token moves on */
export const startEvent: Behaviour = {
  activate: (ctx, token) => ctx.leave(token),
};
