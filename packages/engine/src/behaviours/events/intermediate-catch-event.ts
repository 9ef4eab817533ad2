import type { Behaviour } from '../behaviour.js';
import { listenAt } from '../event-definitions/event-definition.js';

/** waits for the message, signal or timer it names; a link catch event is reached by its throw event and moves on */
export const intermediateCatchEvent: Behaviour = {
  activate(ctx, token, node) {
    if (node.eventDefinition.kind === 'link') return ctx.leave(token);
    listenAt(ctx, token, node);
    ctx.wait(token);
  },
};
