import type { Behaviour } from './behaviour.js';

/** first flow in document order whose condition holds, else the default flow */
export const exclusiveGateway: Behaviour = {
  execute: (a, token) => a.leave(token, 'exclusive'),
};

/** joins one token per incoming flow, then takes every outgoing flow whatever its condition */
export const parallelGateway: Behaviour = {
  execute(a, token, node) {
    if (node.incoming.length > 1) a.join(token, node, 'parallel');
    else a.leave(token, 'all');
  },
};

/** joins the tokens that can still arrive, then takes every flow whose condition holds */
export const inclusiveGateway: Behaviour = {
  execute(a, token, node) {
    if (node.incoming.length > 1) a.join(token, node, 'inclusive');
    else a.leave(token, 'inclusive');
  },
};

/** waits for whichever event after it happens first */
export const eventBasedGateway: Behaviour = {
  execute: (a, token, node) => a.waitForEvents(token, node),
};
