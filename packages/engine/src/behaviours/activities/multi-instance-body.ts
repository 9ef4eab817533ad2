// Multi-instance (multiInstanceLoopCharacteristics): the body runs its element once per item of a
// collection, or loopCardinality times, all at once (parallel) or one after another (sequential), as
// Camunda 7 does. nrOfInstances, nrOfActiveInstances and nrOfCompletedInstances are local variables of
// the body; loopCounter and the element variable, of each inner instance. As each inner instance
// completes, the completion condition is evaluated in its scope, and ends the others when it holds.
// Zeebe's output collection gathers each instance's output element, in loopCounter order, into a list
// that is set beside the body when it completes.
import { evaluateCondition, ExpressionError } from '../../expressions/index.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import { MAX_INSTANCES, type FlowNode, type MultiInstanceSpec } from '../../model/index.js';
import { typedFromValue, type TypedValue } from '../../variables/variable-codec.js';
import type { Behaviour, BehaviourContext } from '../behaviour.js';

export const multiInstanceBody: Behaviour = {
  activate(ctx, body, node) {
    const spec = node.multiInstance!;
    const { count, items } = instancesOf(ctx, body, node);
    ctx.beginScope(body);
    setLocals(ctx, body, {
      nrOfInstances: count, nrOfCompletedInstances: 0, nrOfActiveInstances: spec.sequential ? Math.min(count, 1) : count,
      ...(spec.outputCollection ? { [spec.outputCollection]: new Array(count).fill(null) } : {}),
    });
    if (count === 0) return finish(ctx, body, spec);
    for (let i = 0; i < (spec.sequential ? 1 : count); i++) ctx.startInner(body, innerLocals(spec, i, items));
  },

  // a modification opens the body with no inner instance, then adds those it starts (addedInstance)
  open(ctx, body, node) {
    ctx.beginScope(body);
    const outputCollection = node.multiInstance!.outputCollection;
    setLocals(ctx, body, { nrOfInstances: 0, nrOfCompletedInstances: 0, nrOfActiveInstances: 0, ...(outputCollection ? { [outputCollection]: [] } : {}) });
  },

  childCompleted(ctx, body, node, inner) {
    const spec = node!.multiInstance!;
    const locals = ctx.variables.typedIn(body.id);
    const count = Number(locals.get('nrOfInstances')?.value);
    const completed = Number(locals.get('nrOfCompletedInstances')?.value) + 1;
    const active = spec.sequential ? 1 : Number(locals.get('nrOfActiveInstances')?.value) - 1;
    const counters = { nrOfCompletedInstances: completed, nrOfActiveInstances: active };
    // everything that may fail is evaluated before anything changes: a failure leaves the inner instance to retry
    const output = spec.outputCollection ? withOutput(ctx, inner, spec, locals.get(spec.outputCollection)?.value) : undefined;
    // as in Camunda 7, the condition sees the counters with this instance counted; Zeebe names them otherwise
    const zeebeCounters = { numberOfInstances: count, numberOfCompletedInstances: completed, numberOfActiveInstances: active };
    const done = completed >= count || (spec.completionCondition !== undefined
      && evaluateCondition(spec.completionCondition, { ...ctx.variables.visible(inner.id), ...zeebeCounters, ...counters }));
    // as in Camunda 7, a sequential instance takes its element from the collection evaluated anew
    const next = !done && spec.sequential ? innerLocals(spec, completed, spec.collection ? collectionOf(ctx, body, node!) : undefined) : undefined;
    setLocals(ctx, body, {
      ...counters,
      ...(done && spec.sequential ? { nrOfActiveInstances: 0 } : {}),
      ...(spec.outputCollection ? { [spec.outputCollection]: output } : {}),
    });
    if (done) {
      for (const other of ctx.children(body)) ctx.cancel(other);
      finish(ctx, body, spec);
    } else if (next) {
      ctx.startInner(body, next);
    }
  },
};

/**
 * One more inner instance of the running body, as a modification adds it in Camunda 7: counted in
 * nrOfInstances and nrOfActiveInstances, with the next loopCounter and no element of the collection.
 * Answers the locals of the new instance.
 */
export function addedInstance(ctx: BehaviourContext, body: ExecutionRow): Map<string, TypedValue> {
  const locals = ctx.variables.typedIn(body.id);
  const count = Number(locals.get('nrOfInstances')?.value);
  setLocals(ctx, body, { nrOfInstances: count + 1, nrOfActiveInstances: Number(locals.get('nrOfActiveInstances')?.value) + 1 });
  return new Map([['loopCounter', typedFromValue(count)]]);
}

/** how many inner instances, and the collection's items when there is one */
function instancesOf(ctx: BehaviourContext, body: ExecutionRow, node: FlowNode): { count: number; items?: unknown[] } {
  const spec = node.multiInstance!;
  const items = spec.collection ? collectionOf(ctx, body, node) : undefined;
  let count: number;
  if (spec.loopCardinality) {
    const value = ctx.evaluate(body, spec.loopCardinality);
    count = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(count) || count < 0) {
      throw new ExpressionError(`The loop cardinality of '${node.id}' is ${JSON.stringify(value)}, not a whole number of instances`, { expression: spec.loopCardinality.source });
    }
  } else {
    count = items!.length;
  }
  if (count > MAX_INSTANCES) {
    throw new ExpressionError(`'${node.id}' would run ${count} instances; a multi-instance activity runs ${MAX_INSTANCES} at most`, {
      expression: (spec.loopCardinality ?? spec.collection)!.source,
    });
  }
  return { count, items };
}

function collectionOf(ctx: BehaviourContext, body: ExecutionRow, node: FlowNode): unknown[] {
  const collection = node.multiInstance!.collection;
  if (!collection) throw new Error(`multi-instance '${node.id}' has neither cardinality nor collection: the compiler should have refused it`);
  const value = ctx.evaluate(body, collection);
  if (!Array.isArray(value)) {
    throw new ExpressionError(`The multi-instance collection of '${node.id}' is ${JSON.stringify(value)}, not a list`, { expression: collection.source });
  }
  return value;
}

function innerLocals(spec: MultiInstanceSpec, index: number, items: readonly unknown[] | undefined): Map<string, TypedValue> {
  const locals = new Map([['loopCounter', typedFromValue(index)]]);
  if (spec.elementVariable && items) locals.set(spec.elementVariable, typedFromValue(items[index] ?? null));
  // as in Zeebe: what the instance's work sets under that name stays its own, not set where the others would overwrite it
  const output = spec.outputElement?.feel === undefined ? undefined : VARIABLE_PATH.exec(spec.outputElement.feel.trim())?.[1];
  if (output && !locals.has(output)) locals.set(output, typedFromValue(null));
  return locals;
}

/** an output element that reads a variable, or a path into one (a literal is none): the variable is the first name */
const VARIABLE_PATH = /^(?!(?:true|false|null)\b)([A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*$/;

/** the output collection with the inner instance's output element at its loopCounter */
function withOutput(ctx: BehaviourContext, inner: ExecutionRow, spec: MultiInstanceSpec, collection: unknown): unknown[] {
  const list = Array.isArray(collection) ? [...collection] : [];
  list[Number(ctx.variables.typedIn(inner.id).get('loopCounter')?.value)] = spec.outputElement ? ctx.evaluate(inner, spec.outputElement) : null;
  return list;
}

/** the body completes; Zeebe's output collection goes to the scope around it */
function finish(ctx: BehaviourContext, body: ExecutionRow, spec: MultiInstanceSpec): void {
  if (spec.outputCollection) {
    const collection = ctx.variables.typedIn(body.id).get(spec.outputCollection);
    if (collection) ctx.variables.set(body.parent_id ?? body.id, spec.outputCollection, collection);
  }
  ctx.completeScope(body);
}

function setLocals(ctx: BehaviourContext, execution: ExecutionRow, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) ctx.variables.setLocal(execution.id, name, typedFromValue(value));
}
