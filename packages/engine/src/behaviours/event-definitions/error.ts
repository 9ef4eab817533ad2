import type { BehaviourContext } from '../behaviour.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import { catchEvent } from '../catch-event.js';
import type { EventDefinitionBehaviour } from './event-definition.js';
import { findCatcher, keepCaught } from './find-catcher.js';

export const error: EventDefinitionBehaviour = {
  throw(ctx, token, event) {
    const definition = event.eventDefinition;
    if (definition.kind !== 'error') throw new Error(`${event.id} has no error`);
    const message = definition.errorMessage === undefined ? undefined : String(ctx.evaluate(token, definition.errorMessage));
    throwError(ctx, token, definition.errorCode, message);
    return 'stop';
  },
};

/**
 * A BPMN error, from an error end event or a worker, is caught by the innermost catcher (find-catcher.ts),
 * which it always interrupts. Uncaught in its instance, it goes to the call activity that called the
 * instance; uncaught there too, or with no caller, it is an incident where it was thrown.
 */
export function throwError(ctx: BehaviourContext, token: ExecutionRow, code: string | undefined, message?: string): void {
  const catcher = findCatcher(ctx, token, 'error', code);
  if (catcher) {
    catchEvent(ctx, catcher.execution, catcher.event);
    keepCaught(ctx, catcher, code, message);
  } else if (ctx.instance.super_execution_id) {
    ctx.wait(token);
    ctx.calls.propagate(token, { kind: 'error', code, message });
  } else {
    uncaughtError(ctx, token, code, message);
  }
}

export function uncaughtError(ctx: BehaviourContext, token: ExecutionRow, code: string | undefined, message?: string): void {
  const text = `BPMN error '${code ?? ''}'${message ? ` (${message})` : ''} thrown at '${token.activity_id}' is not caught by any boundary event or event sub-process`;
  ctx.fail(token, 'unhandledBpmnError', text);
}
