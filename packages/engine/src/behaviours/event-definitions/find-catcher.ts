import type { BehaviourContext } from '../behaviour.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import type { FlowNode } from '../../model/index.js';
import { typedFromValue } from '../../variables/variable-codec.js';
import { eventSubProcessStarts } from '../activities/event-sub-process.js';

export type ThrownKind = 'error' | 'escalation';

export interface Catcher {
  /** the execution at the catching boundary event's activity, or the scope execution of the event sub-process */
  readonly execution: ExecutionRow;
  /** the boundary event, or the start event of the event sub-process */
  readonly event: FlowNode;
}

/**
 * Who catches an error or escalation thrown at the token: going up from it, at each level a boundary
 * event of the activity (a loop's belong to its body), then an event sub-process of the scope around it;
 * the innermost wins. An event sub-process does not catch what is thrown inside itself: that goes to the
 * scope above.
 */
export function findCatcher(ctx: BehaviourContext, token: ExecutionRow, kind: ThrownKind, code: string | undefined): Catcher | undefined {
  for (let current: ExecutionRow | undefined = token; current; current = ctx.parent(current)) {
    const node = current.activity_id ? ctx.model.elements.get(current.activity_id) : undefined;
    const boundaries = node && ctx.loopRole(current) !== 'inner' ? node.boundaryEvents.map((id) => ctx.model.elements.get(id)!) : [];
    const boundary = bestCatch(boundaries, kind, code);
    if (boundary) return { execution: current, event: boundary };
    const scope = ctx.parent(current);
    const start = scope && !node?.triggeredByEvent ? bestCatch(eventSubProcessStarts(ctx, scope), kind, code) : undefined;
    if (scope && start) return { execution: scope, event: start };
  }
  return undefined;
}

/**
 * The catching event's camunda:errorCodeVariable and errorMessageVariable (an error's), or its
 * camunda:escalationCodeVariable (an escalation's), receive the code and message of what it caught.
 */
export function keepCaught(ctx: BehaviourContext, catcher: Catcher, code: string | undefined, message?: string): void {
  const definition = catcher.event.eventDefinition;
  const keep = (name: string | undefined, value: string | undefined): void => {
    if (name) ctx.variables.set(catcher.execution.id, name, typedFromValue(value ?? null));
  };
  if (definition.kind === 'escalation') keep(definition.codeVariable, code);
  if (definition.kind !== 'error') return;
  keep(definition.codeVariable, code);
  keep(definition.messageVariable, message);
}

/** among catching events, one of the kind naming the code, else one of the kind naming none */
function bestCatch(events: readonly FlowNode[], kind: ThrownKind, code: string | undefined): FlowNode | undefined {
  const codeOf = (event: FlowNode): string | undefined | null => {
    const definition = event.eventDefinition;
    if (definition.kind === 'error' && kind === 'error') return definition.errorCode;
    if (definition.kind === 'escalation' && kind === 'escalation') return definition.escalationCode;
    return null;
  };
  return events.find((event) => codeOf(event) !== null && codeOf(event) !== undefined && codeOf(event) === code)
    ?? events.find((event) => codeOf(event) === undefined);
}
