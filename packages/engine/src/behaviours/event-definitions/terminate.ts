import type { EventDefinitionBehaviour } from './event-definition.js';

/** a terminate end event ends every token of its scope; the scope then completes */
export const terminate: EventDefinitionBehaviour = {
  throw(ctx, token) {
    const scope = ctx.parent(token);
    if (scope) for (const sibling of ctx.children(scope)) if (sibling !== token) ctx.cancel(sibling);
    ctx.end(token);
    return 'stop';
  },
};
