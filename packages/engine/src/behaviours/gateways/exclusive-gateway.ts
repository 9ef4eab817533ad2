import type { Behaviour } from '../behaviour.js';

/** first flow in document order whose condition holds, else the default flow */
export const exclusiveGateway: Behaviour = {
  activate: (ctx, token) => ctx.leave(token, 'exclusive'),
};
