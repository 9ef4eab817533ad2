// Event definitions as objects: what it takes to listen for each kind, to throw it and to catch it. The
// events (behaviours/events/), receive tasks and event-based gateways use them rather than branching on
// the kind; a kind without an entry here is refused at deploy (model/supported-elements.ts).
import type { BehaviourContext } from '../behaviour.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import type { FlowNode } from '../../model/index.js';
import { cancel } from './cancel.js';
import { compensate } from './compensate.js';
import { conditional } from './conditional.js';
import { error } from './error.js';
import { escalation } from './escalation.js';
import { link } from './link.js';
import { message } from './message.js';
import { signal } from './signal.js';
import { terminate } from './terminate.js';
import { timer } from './timer.js';

/** after a throw: the thrower's token goes on, or it does not (it waits, ended, or was taken elsewhere) */
export type ThrowOutcome = 'continue' | 'stop';

export interface EventDefinitionBehaviour {
  /** the execution listens at the event (a catch or boundary event, an event sub-process start): a subscription or a timer */
  listen?(ctx: BehaviourContext, execution: ExecutionRow, event: FlowNode): void;
  /** a throw or end event throws it */
  throw?(ctx: BehaviourContext, token: ExecutionRow, event: FlowNode): ThrowOutcome;
  /** what the throw waited for is over (the compensation handlers it started have ended): the thrower goes on, or not */
  thrown?(ctx: BehaviourContext, token: ExecutionRow, event: FlowNode): ThrowOutcome;
}

type Definitions = Partial<Record<FlowNode['eventDefinition']['kind'], EventDefinitionBehaviour>>;

// built at first use: the definitions and the catching code they share import each other
let definitions: Definitions | undefined;

export function definitionOf(event: FlowNode): EventDefinitionBehaviour {
  definitions ??= { none: {}, message, signal, timer, conditional, compensate, cancel, error, escalation, terminate, link };
  const definition = definitions[event.eventDefinition.kind];
  if (!definition) throw new Error(`no behaviour for ${event.eventDefinition.kind} events: the validator should have refused ${event.id}`);
  return definition;
}

/** the execution listens at the event, which must name something to wait for */
export function listenAt(ctx: BehaviourContext, execution: ExecutionRow, event: FlowNode): void {
  const listen = definitionOf(event).listen;
  if (!listen) throw new Error(`${event.id} waits for no message, signal, timer or condition: the validator should have refused it`);
  listen(ctx, execution, event);
}
