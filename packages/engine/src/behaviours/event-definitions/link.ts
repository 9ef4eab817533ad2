import { linkTargets } from '../../model/index.js';
import type { EventDefinitionBehaviour } from './event-definition.js';

/** a link throw event: the token goes on at the link catch event of the same name in its scope */
export const link: EventDefinitionBehaviour = {
  throw(ctx, token, event) {
    const [target] = linkTargets(event, ctx.model.scopes.get(event.scopeId)!.children, ctx.model.elements);
    if (!target) throw new Error(`link throw event ${event.id} has no link catch event: the validator should have refused it`);
    ctx.goTo(token, target);
    return 'stop';
  },
};
