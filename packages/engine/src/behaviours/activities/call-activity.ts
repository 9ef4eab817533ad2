// A call activity starts an instance of another process and waits until it ends, as in Camunda 7:
// camunda:in passes variables (and the business key) to it, camunda:out passes its variables back;
// Zeebe passes everything both ways unless told otherwise, or what its I/O mappings name. The called
// instance is started, ended with it, and heard from through instance-calls.ts.
import { evaluateExpression, ExpressionError, type Expression } from '../../expressions/index.js';
import { boundVersionOf, expressionValues, type ExpressionValues } from './bound-version.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import { storableText } from '../../execution/storable-values.js';
import type { FlowNode, PassAll, PassedIn, VariablePassing } from '../../model/index.js';
import { typedFromValue, type TypedValue } from '../../variables/variable-codec.js';
import type { Behaviour, BehaviourContext } from '../behaviour.js';

export const callActivity: Behaviour = {
  activate(ctx, token, node) {
    const spec = node.calledElement!;
    const values = expressionValues(ctx, token, node.id);
    ctx.calls.callProcess(token, {
      processKey: values.required(spec.processKey, 'called element'),
      ...boundVersionOf(values, spec, { versionTag: 'called version tag', tenantId: 'called element tenant id' }),
      ...handedOn(ctx, token, spec, values, node.id),
    });
    ctx.wait(token);
  },

  /** the called instance completed: its variables come back as the model says, then the token leaves */
  trigger(ctx, token, node, { called }) {
    const failure = called && passBack(ctx, token, node, called);
    if (failure) return ctx.fail(token, 'failedInstruction', failure, { retry: 'leave' });
    ctx.leave(token);
  },

  /** the called instance was terminated on its own: the call activity holds an incident, and a retry calls again */
  childTerminated(ctx, token, node) {
    const calledId = ctx.history.activity(token.activity_instance_id)?.called_process_instance_id;
    ctx.fail(token, 'failedInstruction', `The instance '${calledId}' that '${node.id}' called was terminated before it completed`);
  },

  terminate(ctx, token) {
    const calledId = ctx.history.activity(token.activity_instance_id)?.called_process_instance_id;
    if (calledId) ctx.calls.terminate(calledId);
  },
};

/**
 * The called instance's variables come back to the call activity's token as the model says; answers why
 * not when they cannot be evaluated, and then sets none.
 */
export function passBack(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode, called: ReadonlyMap<string, TypedValue>): string | undefined {
  const spec = node.calledElement!;
  let values: Map<string, TypedValue>;
  try {
    values = passed(spec.outputAll, spec.outputs, called, called);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    return `The variables the instance called by '${node.id}' passes back cannot be evaluated: ${e.message}`;
  }
  const locals = new Set([...spec.outputs.filter((o) => o.local).map((o) => o.target), ...(spec.outputAll === 'local' ? called.keys() : [])]);
  for (const [name, value] of values) {
    if (locals.has(name)) ctx.variables.setLocal(token.id, name, value);
    else ctx.variables.set(token.id, name, value);
  }
  return undefined;
}

/**
 * What camunda:in hands on from the token (to a called instance, or with a thrown signal): its variables,
 * and a business key, which, as in Camunda 7, is none where it evaluates to nothing.
 */
export function handedOn(
  ctx: BehaviourContext, token: ExecutionRow, passing: PassedIn, values: ExpressionValues, elementId: string,
): { variables: Map<string, TypedValue>; businessKey?: string } {
  const variables = passed(passing.inputAll, passing.inputs, ctx.variables.visibleTyped(token.id), ctx.variables.typedIn(token.id));
  const key = passing.businessKey && values.text(passing.businessKey);
  return key === undefined ? { variables } : { variables, businessKey: storableText(key, `the business key of '${elementId}'`, passing.businessKey!) };
}

/**
 * The variables that pass one way: wholesale (every one, or the local ones only), then each passing
 * named, whose `source` variable keeps its type and whose expression is evaluated where the variables
 * come from.
 */
function passed(all: PassAll, passings: readonly VariablePassing[], visible: ReadonlyMap<string, TypedValue>, local: ReadonlyMap<string, TypedValue>): Map<string, TypedValue> {
  const values = new Map(all === 'all' ? visible : all === 'local' ? local : []);
  const plain = new Map<ReadonlyMap<string, TypedValue>, Record<string, unknown>>();
  for (const passing of passings) {
    const from = passing.local ? local : visible;
    if (passing.variable !== undefined) values.set(passing.target, from.get(passing.variable) ?? typedFromValue(null));
    else {
      if (!plain.has(from)) plain.set(from, Object.fromEntries([...from].map(([name, v]) => [name, v.value])));
      values.set(passing.target, typedFromValue(evaluateExpression(passing.expression!, plain.get(from)!)));
    }
  }
  return values;
}
