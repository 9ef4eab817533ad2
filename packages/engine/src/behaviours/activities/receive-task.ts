import type { Behaviour } from '../behaviour.js';
import { listenAt } from '../event-definitions/event-definition.js';

/** waits for its message */
export const receiveTask: Behaviour = {
  activate(ctx, token, node) {
    if (node.eventDefinition.kind !== 'message') throw new Error(`receive task ${node.id} has no message`);
    listenAt(ctx, token, node);
    ctx.wait(token);
  },
};
