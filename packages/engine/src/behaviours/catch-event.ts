// Catching: a boundary event of an activity, or the start event of an event sub-process of a scope,
// takes over when what it waits for happens, whether it was thrown (an error, an escalation) or arrived
// from outside (a message, a signal, a timer).
import type { ExecutionRow } from '../execution/instance-state.js';
import type { FlowNode } from '../model/index.js';
import type { BehaviourContext } from './behaviour.js';
import { startEventSubProcess } from './activities/event-sub-process.js';

/** an interrupting boundary event, or the start event of an interrupting event sub-process */
export const interrupts = (event: FlowNode): boolean =>
  event.kind === 'boundaryEvent' ? event.cancelActivity : event.kind === 'startEvent' ? event.isInterrupting : true;

/**
 * The boundary event takes the token of its activity (interrupting) or a new one beside it; an event
 * sub-process starts in the scope.
 */
export function catchEvent(ctx: BehaviourContext, execution: ExecutionRow, event: FlowNode): void {
  if (event.kind === 'startEvent') return startEventSubProcess(ctx, execution, event);
  if (interrupts(event)) {
    ctx.interrupt(execution);
    ctx.enter(execution, event.id);
  } else {
    ctx.enterChild(ctx.parent(execution)!, event.id);
  }
}
