import { DecisionError } from './decision-error.js';
import type { Decision, DecisionResult, DecisionResultEntry, DecisionRule, DecisionsDocument } from './decision-model.js';
import { evaluated, matchRules, typed, withEntries } from './evaluate-table.js';
import { applyHitPolicy } from './hit-policy.js';
import { requirementOrder } from './requirement-order.js';

/**
 * What one decision of an evaluation saw and gave, for its history: the value of each input of a table,
 * the rules behind its result (as the hit policy kept them) with their outputs, and the result.
 */
export interface EvaluatedDecision {
  readonly decision: Decision;
  readonly inputValues: readonly unknown[];
  readonly rules: readonly { readonly rule: DecisionRule; readonly entry: DecisionResultEntry }[];
  readonly result: DecisionResult;
}

/**
 * Evaluates a decision of a compiled document against plain JSON variables, as Camunda 7's
 * DefaultDmnDecisionContext does: the decisions it requires first, each once, each adding its result to
 * the variables the later ones see. Every problem (a missing variable, a value its type cannot hold,
 * matches the hit policy forbids) is a DecisionError naming the decision and, where it lies in rules,
 * the rules. `evaluations`, when given, receives what each decision saw and gave, the required ones first.
 */
export function evaluateDecision(
  document: DecisionsDocument, decisionId: string, variables: Readonly<Record<string, unknown>>, evaluations?: EvaluatedDecision[],
): DecisionResult {
  const byId = new Map(document.decisions.map((decision) => [decision.id, decision]));
  const decision = byId.get(decisionId);
  if (decision === undefined) throw new DecisionError(`The DMN file '${document.id}' holds no decision '${decisionId}'`, { decisionId });
  let context: Readonly<Record<string, unknown>> = variables;
  let result: DecisionResult = [];
  for (const current of requirementOrder([decision], byId)) {
    const evaluation = evaluateLogic(current, context);
    evaluations?.push(evaluation);
    result = evaluation.result;
    if (current !== decision) context = withRequiredResult(context, current, result);
  }
  return result;
}

function evaluateLogic(decision: Decision, variables: Readonly<Record<string, unknown>>): EvaluatedDecision {
  const { id, logic } = decision;
  if (logic.kind === 'table') {
    const { inputValues, matched } = matchRules(id, logic, variables);
    return { decision, inputValues, ...applyHitPolicy(id, logic, matched) };
  }
  const where = `Decision '${id}'`;
  const value = typed(evaluated(logic.expression, variables, where, id), logic.variable.typeRef, where, id);
  return { decision, inputValues: [], rules: [], result: [Object.fromEntries([[logic.variable.name, value]])] };
}

/**
 * How a required decision's result becomes variables: one entry gives its outputs as they are, unless
 * the decision is a table collecting several (COLLECT without aggregation, RULE ORDER, and here OUTPUT
 * ORDER too); otherwise each output becomes the list of its values. No entry adds nothing.
 */
function withRequiredResult(variables: Readonly<Record<string, unknown>>, required: Decision, result: DecisionResult): Readonly<Record<string, unknown>> {
  const { logic } = required;
  const collects = logic.kind === 'table' && (logic.hitPolicy === 'RULE ORDER' || logic.hitPolicy === 'OUTPUT ORDER' || (logic.hitPolicy === 'COLLECT' && logic.aggregation === undefined));
  if (result.length === 1 && !collects) return withEntries(variables, Object.entries(result[0]!));
  const names = new Set(result.flatMap((entry) => Object.keys(entry)));
  return withEntries(variables, [...names].map((name) => [name, result.filter((entry) => Object.hasOwn(entry, name)).map((entry) => entry[name])]));
}
