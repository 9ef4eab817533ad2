import type { EventDefinitionBehaviour } from './event-definition.js';
import { deliver } from './deliver.js';

const NO_VARIABLES = new Map();

export const signal: EventDefinitionBehaviour = {
  listen(ctx, execution, event) {
    const definition = event.eventDefinition;
    if (definition.kind !== 'signal') throw new Error(`${event.id} has no signal`);
    ctx.work.subscribe(execution, event, 'signal', definition.signalName);
  },
  /**
   * As in Camunda 7, a thrown signal reaches the catchers of its own instance at once, in this command
   * (a boundary event of the sub-process that threw it among them); it reaches other instances and
   * starts processes once this command commits, as a job of its own. The token does not wait for that.
   */
  throw(ctx, token, event) {
    const definition = event.eventDefinition;
    if (definition.kind !== 'signal') throw new Error(`${event.id} has no signal`);
    for (const subscription of ctx.work.subscriptionsTo('signal', definition.signalName)) deliver(ctx, subscription, NO_VARIABLES, 'SignalEvent');
    ctx.work.createSignalJob(event, definition.signalName);
    // a catcher that interrupted what threw the signal ended the thrower
    return ctx.alive(token) ? 'continue' : 'stop';
  },
};
