import type { CarriedBySignal } from '../../execution/work-items.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import { storableText } from '../../execution/storable-values.js';
import type { FlowNode } from '../../model/index.js';
import type { BehaviourContext } from '../behaviour.js';
import { expressionValues } from '../activities/bound-version.js';
import { handedOn } from '../activities/call-activity.js';
import type { EventDefinitionBehaviour } from './event-definition.js';
import { deliver } from './deliver.js';

const NOTHING: CarriedBySignal = { variables: new Map() };

export const signal: EventDefinitionBehaviour = {
  listen(ctx, execution, event) {
    ctx.work.subscribe(execution, event, 'signal', signalName(ctx, execution, event));
  },
  /**
   * As in Camunda 7, a thrown signal reaches the catchers of its own instance at once, in this command
   * (a boundary event of the sub-process that threw it among them); it reaches other instances and
   * starts processes once this command commits, as a job of its own. The token does not wait for that.
   */
  throw(ctx, token, event) {
    const name = signalName(ctx, token, event);
    const carried = carriedBy(ctx, token, event);
    for (const subscription of ctx.work.subscriptionsTo('signal', name)) deliver(ctx, subscription, carried.variables, 'SignalEvent');
    ctx.work.createSignalJob(event, name, carried);
    // a catcher that interrupted what threw the signal ended the thrower
    return ctx.alive(token) ? 'continue' : 'stop';
  },
};

/** the signal's name, its expressions evaluated with the variables the execution sees (Camunda 7) */
function signalName(ctx: BehaviourContext, execution: ExecutionRow, event: FlowNode): string {
  const definition = event.eventDefinition;
  if (definition.kind !== 'signal') throw new Error(`${event.id} has no signal`);
  const name = String(ctx.evaluate(execution, definition.signalName));
  return storableText(name, `the signal name of '${event.id}'`, definition.signalName);
}

/** what the throw event's camunda:in hands on, read where it is thrown, as a call activity's is */
function carriedBy(ctx: BehaviourContext, token: ExecutionRow, event: FlowNode): CarriedBySignal {
  const payload = event.eventDefinition.kind === 'signal' ? event.eventDefinition.payload : undefined;
  return payload ? handedOn(ctx, token, payload, expressionValues(ctx, token, event.id), event.id) : NOTHING;
}
