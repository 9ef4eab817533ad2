// Process instance modification, as Camunda 7 modifies an instance: tokens started before an element or on
// a sequence flow, activity instances cancelled, each step in the order given and each start run until
// every token waits, so that a later step finds the scopes an earlier one started; a start inside a
// sub-process that does not run opens it first, an event sub-process too (without interrupting anything,
// as in Camunda 7: the modification says what runs). A scope that a
// cancellation leaves with nothing in it is cancelled too, and an instance left with nothing ends as
// terminated from outside.
import { invalid } from '../errors.js';
import { addedInstance } from '../behaviours/activities/multi-instance-body.js';
import type { TypedValue } from '../variables/variable-codec.js';
import type { FlowNode } from '../model/index.js';
import type { ExecutionRow } from './instance-state.js';
import type { Transitions } from './transitions.js';

export type ModificationStep =
  | {
    readonly kind: 'start';
    /**
     * the element the token enters (of a multi-instance activity, one more inner instance; with `body`, the
     * whole activity), or the flow it takes into its target
     */
    readonly at: { readonly elementId: string; readonly body?: boolean } | { readonly flowId: string };
    readonly variables: ReadonlyMap<string, TypedValue>;
    /** the activity instance of the sub-process to start in, where the element's sub-process runs more than once */
    readonly ancestorActivityInstanceId?: string;
  }
  | { readonly kind: 'cancel'; readonly target: { readonly elementId: string } | { readonly activityInstanceId: string } };

export function modify(t: Transitions, steps: readonly ModificationStep[], reason: string): void {
  const emptied: ExecutionRow[] = [];
  steps.forEach((step, index) => {
    const where = `Instruction ${index + 1}`;
    if (step.kind === 'cancel') {
      for (const execution of cancelled(t, step.target, where)) {
        const scope = t.tree.parent(execution);
        t.cancel(execution);
        if (scope) emptied.push(scope);
      }
      return;
    }
    start(t, step, where);
    t.run();
  });
  for (const scope of emptied) collapse(t, scope, reason);
}

function start(t: Transitions, step: Extract<ModificationStep, { kind: 'start' }>, where: string): void {
  const { model } = t.state;
  const flow = 'flowId' in step.at ? model.flows.get(step.at.flowId) : undefined;
  if ('flowId' in step.at && !flow) throw invalid(`${where}: the process has no sequence flow '${step.at.flowId}'`);
  const named = flow ? flow.sourceRef : (step.at as { elementId: string }).elementId;
  const found = model.elements.get(named);
  if (!found) throw invalid(`${where}: the process has no element '${named}'`);
  if (!flow && found.kind === 'boundaryEvent') {
    throw invalid(`${where}: a token cannot start before '${found.id}' (a boundary event); start after it instead, or before what it leads to`);
  }
  if (!flow && 'body' in step.at && step.at.body && !found.multiInstance) throw invalid(`${where}: '${named}' is no multi-instance activity`);
  const ancestor = step.ancestorActivityInstanceId;
  // as in Camunda 7, a start before an event sub-process runs it from its start event, whatever that waits for
  const node = !flow && found.triggeredByEvent ? startEventOf(t, found.id) : found;
  if (!flow && node.multiInstance && !('body' in step.at && step.at.body)) {
    const inner = innerInstance(t, node, ancestor, where, (body, locals) => t.startInner(body, locals));
    for (const [name, value] of step.variables) t.variables.set(inner.id, name, value);
    return;
  }
  const token = t.tree.create(scopeOf(t, node.scopeId, ancestor, where).id, null);
  for (const [name, value] of step.variables) t.variables.set(token.id, name, value);
  if (flow) t.enter(token, flow.targetRef, flow.id);
  else t.enter(token, node.id);
}

function startEventOf(t: Transitions, eventSubProcessId: string): FlowNode {
  const { model } = t.state;
  const startId = model.scopes.get(eventSubProcessId)!.children.find((id) => model.elements.get(id)!.kind === 'startEvent');
  if (startId === undefined) throw new Error(`event sub-process ${eventSubProcessId} has no start event: the validator should have refused it`);
  return model.elements.get(startId)!;
}

/**
 * The scope execution that runs the elements of `scopeId`: the root for the process, else its one active
 * instance (within the ancestor activity instance, when one is named). A sub-process with no such instance is
 * opened, inside its own scope found the same way, as Camunda 7 instantiates the missing ancestors.
 */
function scopeOf(t: Transitions, scopeId: string, ancestorActivityInstanceId: string | undefined, where: string): ExecutionRow {
  const { state } = t;
  if (scopeId === state.model.id) {
    const root = t.tree.get(state.instance.id)!;
    if (ancestorActivityInstanceId !== undefined && !within(t, root, ancestorActivityInstanceId)) {
      throw invalid(`${where}: '${ancestorActivityInstanceId}' is no active activity instance of the instance`);
    }
    return root;
  }
  const running = state.executions.filter((e) => e.state === 'scope' && e.activity_id === scopeId && t.tree.contentScope(e) === scopeId
    && (ancestorActivityInstanceId === undefined || within(t, e, ancestorActivityInstanceId)));
  if (running.length === 1) return running[0]!;
  if (running.length === 0) return opened(t, scopeId, ancestorActivityInstanceId, where);
  throw invalid(`${where}: '${scopeId}' runs ${running.length} times: name the one to start in by its activity instance id (ancestor_activity_instance_id)`);
}

/** the execution is the activity instance, or runs inside it */
function within(t: Transitions, execution: ExecutionRow, activityInstanceId: string): boolean {
  for (let e: ExecutionRow | undefined = execution; e; e = t.tree.parent(e)) if (e.activity_instance_id === activityInstanceId) return true;
  return false;
}

/** a new instance of the sub-process (of a multi-instance one, a new inner instance), open with nothing in it yet */
function opened(t: Transitions, scopeId: string, ancestorActivityInstanceId: string | undefined, where: string): ExecutionRow {
  const node = t.state.model.elements.get(scopeId)!;
  if (node.standardLoop) {
    throw invalid(`${where}: '${scopeId}', which holds the element, has no active instance, and a modification does not start a loop around it: start before '${scopeId}' first`);
  }
  const open = (token: ExecutionRow): ExecutionRow => {
    t.openScope(token, node);
    if (token.state !== 'scope') throw invalid(`${where}: '${scopeId}', which holds the element, could not be started: its input mappings failed`);
    return token;
  };
  if (!node.multiInstance) return open(t.tree.create(scopeOf(t, node.scopeId, ancestorActivityInstanceId, where).id, null));
  return innerInstance(t, node, ancestorActivityInstanceId, where, (body, locals) => {
    const inner = t.tree.create(body.id, null);
    for (const [name, value] of locals) t.variables.setLocal(inner.id, name, value);
    return open(inner);
  });
}

/**
 * One more inner instance of the multi-instance activity, as Camunda 7 starts one: in its running body, else
 * in a body opened for it alone. A sequential body runs one instance at a time.
 */
function innerInstance(t: Transitions, node: FlowNode, ancestorActivityInstanceId: string | undefined, where: string,
  begin: (body: ExecutionRow, locals: ReadonlyMap<string, TypedValue>) => ExecutionRow): ExecutionRow {
  const bodies = t.state.executions.filter((e) => e.state === 'scope' && e.activity_id === node.id && t.tree.loopRole(e, node) === 'body'
    && (ancestorActivityInstanceId === undefined || within(t, e, ancestorActivityInstanceId)));
  if (bodies.length > 1) {
    throw invalid(`${where}: '${node.id}' runs ${bodies.length} times: name the one to start in by its activity instance id (ancestor_activity_instance_id)`);
  }
  let body = bodies[0];
  if (body && node.multiInstance!.sequential && t.tree.children(body.id).length > 0) {
    throw invalid(`${where}: '${node.id}' is sequential and one of its instances runs: a modification starts no other beside it`);
  }
  if (!body) {
    body = t.tree.create(scopeOf(t, node.scopeId, ancestorActivityInstanceId, where).id, null);
    t.openScope(body, node);
  }
  return begin(body, addedInstance(t, body));
}

/** the executions a cancellation ends: those at the element (a loop's body, not each of its inner instances), or of the activity instance */
function cancelled(t: Transitions, target: Extract<ModificationStep, { kind: 'cancel' }>['target'], where: string): ExecutionRow[] {
  const live = t.state.executions.filter((e) => e.state !== 'ended' && !t.tree.isRoot(e));
  const found = 'elementId' in target
    ? live.filter((e) => e.activity_id === target.elementId && t.tree.parent(e)?.activity_id !== target.elementId)
    : live.filter((e) => e.activity_instance_id === target.activityInstanceId && t.tree.parent(e)?.activity_instance_id !== target.activityInstanceId);
  if (found.length === 0) {
    throw invalid('elementId' in target
      ? `${where}: '${target.elementId}' has no active instance to cancel`
      : `${where}: '${target.activityInstanceId}' is no active activity instance of the instance`);
  }
  return found;
}

/** a scope with nothing left in it is cancelled, and its own scope looked at in turn; the process's ends the instance */
function collapse(t: Transitions, scope: ExecutionRow, reason: string): void {
  for (let current: ExecutionRow | undefined = scope; current && t.tree.has(current); ) {
    if (t.tree.children(current.id).length > 0) return;
    if (t.tree.isRoot(current)) return t.finishInstance('externally_terminated', reason);
    const parent = t.tree.parent(current);
    t.cancel(current);
    current = parent;
  }
}
