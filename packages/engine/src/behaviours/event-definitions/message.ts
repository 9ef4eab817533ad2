import type { EventDefinitionBehaviour } from './event-definition.js';

export const message: EventDefinitionBehaviour = {
  listen(ctx, execution, event) {
    const definition = event.eventDefinition;
    if (definition.kind !== 'message') throw new Error(`${event.id} has no message`);
    ctx.work.subscribe(execution, event, 'message', String(ctx.evaluate(execution, definition.messageName)));
  },
  /** a message is sent by a worker: the event waits as an external task (the validator requires one) */
  throw(ctx, token, event) {
    ctx.work.createExternalTask(token, event, (e) => ctx.evaluate(token, e));
    ctx.wait(token);
    return 'stop';
  },
};
