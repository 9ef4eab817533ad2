import { storableText } from '../../execution/storable-values.js';
import type { EventDefinitionBehaviour } from './event-definition.js';

export const message: EventDefinitionBehaviour = {
  listen(ctx, execution, event) {
    const definition = event.eventDefinition;
    if (definition.kind !== 'message') throw new Error(`${event.id} has no message`);
    const name = String(ctx.evaluate(execution, definition.messageName));
    ctx.work.subscribe(execution, event, 'message', storableText(name, `the message name of '${event.id}'`, definition.messageName));
  },
  /** a message is sent by a worker: the event waits as an external task (the validator requires one) */
  throw(ctx, token, event) {
    ctx.work.createExternalTask(token, event, (e) => ctx.evaluate(token, e));
    ctx.wait(token);
    return 'stop';
  },
};
