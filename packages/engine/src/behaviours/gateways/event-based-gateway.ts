import type { Behaviour } from '../behaviour.js';
import { listenAt } from '../event-definitions/event-definition.js';

/** waits for whichever event after it happens first; the others then stop waiting */
export const eventBasedGateway: Behaviour = {
  activate(ctx, token, node) {
    for (const flowId of node.outgoing) listenAt(ctx, token, ctx.model.elements.get(ctx.model.flows.get(flowId)!.targetRef)!);
    ctx.wait(token);
  },
  trigger(ctx, token, node, { eventId }) {
    const flowId = node.outgoing.find((id) => ctx.model.flows.get(id)!.targetRef === eventId) ?? null;
    ctx.passThrough(token, eventId, flowId);
  },
};
