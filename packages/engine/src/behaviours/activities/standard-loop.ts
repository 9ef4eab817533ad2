// A standard loop (standardLoopCharacteristics), as the BPMN specification runs it: the element runs
// again and again, one iteration at a time, while its loopCondition holds, at most loopMaximum times.
// With testBefore the condition is tested before each iteration (the element may not run at all),
// otherwise after each. Each iteration is an inner instance of the loop's body; loopCounter, a local
// variable of the body, counts the iterations completed (so it is 0 during the first).
import { evaluateCondition } from '../../expressions/index.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import type { StandardLoopSpec } from '../../model/index.js';
import { typedFromValue } from '../../variables/variable-codec.js';
import type { Behaviour, BehaviourContext } from '../behaviour.js';

export const standardLoop: Behaviour = {
  activate(ctx, body, node) {
    ctx.beginScope(body);
    ctx.variables.setLocal(body.id, 'loopCounter', typedFromValue(0));
    iterate(ctx, body, goesOn(ctx, node.standardLoop!, 0, body));
  },
  childCompleted(ctx, body, node, inner) {
    const done = Number(ctx.variables.typedIn(body.id).get('loopCounter')?.value) + 1;
    // the condition is read before the counter changes: a condition that fails leaves the iteration to retry
    const again = goesOn(ctx, node!.standardLoop!, done, inner);
    ctx.variables.setLocal(body.id, 'loopCounter', typedFromValue(done));
    iterate(ctx, body, again);
  },
};

function iterate(ctx: BehaviourContext, body: ExecutionRow, again: boolean): void {
  if (again) ctx.startInner(body, new Map());
  else ctx.completeScope(body);
}

/**
 * Under the maximum, and the condition holds in the scope given, with loopCounter the iterations done;
 * the first iteration of a loop that tests after each always runs.
 */
function goesOn(ctx: BehaviourContext, spec: StandardLoopSpec, done: number, scope: ExecutionRow): boolean {
  if (spec.maximum !== undefined && done >= spec.maximum) return false;
  if ((!spec.testBefore && done === 0) || spec.condition === undefined) return true;
  return evaluateCondition(spec.condition, { ...ctx.variables.visible(scope.id), loopCounter: done });
}
