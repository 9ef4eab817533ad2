import type { BehaviourContext } from '../behaviour.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import type { EventDefinition } from '../../model/index.js';
import { typedFromValue } from '../../variables/variable-codec.js';
import { catchEvent } from '../catch-event.js';
import type { EventDefinitionBehaviour } from './event-definition.js';
import { findCatcher } from './find-catcher.js';

export const error: EventDefinitionBehaviour = {
  throw(ctx, token, event) {
    const definition = event.eventDefinition;
    if (definition.kind !== 'error') throw new Error(`${event.id} has no error`);
    throwError(ctx, token, definition.errorCode, definition.errorMessage);
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
    keepError(ctx, catcher.execution, catcher.event.eventDefinition, code, message);
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

/** the catching event's camunda:errorCodeVariable and errorMessageVariable receive the error's code and message */
export function keepError(ctx: BehaviourContext, execution: ExecutionRow, definition: EventDefinition, code: string | undefined, message: string | undefined): void {
  if (definition.kind !== 'error') return;
  if (definition.codeVariable) ctx.variables.set(execution.id, definition.codeVariable, typedFromValue(code ?? null));
  if (definition.messageVariable) ctx.variables.set(execution.id, definition.messageVariable, typedFromValue(message ?? null));
}
