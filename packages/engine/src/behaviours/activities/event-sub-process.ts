// Event sub-processes: while their scope (the process or a sub-process) runs, the message, signal and
// timer start events of its event sub-processes listen; error and escalation ones catch what is thrown
// (find-catcher.ts). Once started, an event sub-process runs as a sub-process (sub-process.ts) beside
// whatever else runs in the scope, which completes once it and everything else has.
import type { ExecutionRow } from '../../execution/instance-state.js';
import type { FlowNode } from '../../model/index.js';
import type { BehaviourContext } from '../behaviour.js';
import { interrupts } from '../catch-event.js';
import { definitionOf } from '../event-definitions/event-definition.js';

/** the start events of the event sub-processes directly inside the scope the execution runs */
export function eventSubProcessStarts(ctx: BehaviourContext, scope: ExecutionRow): FlowNode[] {
  const scopeId = ctx.contentScope(scope);
  const model = ctx.model;
  if (scopeId === undefined) return [];
  return (model.scopes.get(scopeId)?.eventSubProcesses ?? []).flatMap((id) => model.scopes.get(id)!.children
    .map((child) => model.elements.get(child)!).filter((node) => node.kind === 'startEvent'));
}

/** while a scope runs, the start events of its event sub-processes that wait for something listen */
export function listenInScope(ctx: BehaviourContext, scope: ExecutionRow): void {
  for (const start of eventSubProcessStarts(ctx, scope)) definitionOf(start).listen?.(ctx, scope, start);
}

/** after a migration: the start events of the event sub-processes the target added listen, unless an interrupting one runs */
export function listenToAddedInScope(ctx: BehaviourContext, scope: ExecutionRow, added: ReadonlySet<string>): void {
  const starts = eventSubProcessStarts(ctx, scope);
  if (ctx.children(scope).some((child) => starts.some((start) => start.scopeId === child.activity_id && interrupts(start)))) return;
  for (const start of starts) if (added.has(start.id)) definitionOf(start).listen?.(ctx, scope, start);
}

/**
 * An event sub-process starts in the scope. Interrupting, it first ends everything else in the scope, and
 * the other event sub-processes stop listening; the scope's own boundary events stay.
 */
export function startEventSubProcess(ctx: BehaviourContext, scope: ExecutionRow, start: FlowNode): void {
  if (interrupts(start)) {
    for (const child of ctx.children(scope)) ctx.cancel(child);
    ctx.work.stopListening(scope, new Set(eventSubProcessStarts(ctx, scope).map((s) => s.id)));
  }
  const body = ctx.arriveChild(scope, start.scopeId);
  ctx.beginScope(body);
  listenInScope(ctx, body);
  ctx.enterChild(body, start.id);
}
