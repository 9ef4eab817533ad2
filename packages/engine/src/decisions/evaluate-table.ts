// The rules of a decision table that match, with their outputs, as Camunda 7's
// DecisionTableEvaluationHandler finds them: inputs one after the other, each narrowing the rules
// still in play, then the output entries of every rule left, before any hit policy applies.
import { dateAndTime, unaryTest } from 'feelin';
import { evaluateExpression, type Expression } from '../expressions/index.js';
import { convertToType } from './convert-type.js';
import { DecisionError } from './decision-error.js';
import type { DecisionInput, DecisionOutput, DecisionResultEntry, DecisionRule, DecisionTable, TypeRef, UnaryTests } from './decision-model.js';

export interface MatchedRule {
  readonly rule: DecisionRule;
  /** its outputs by name; an output whose entry is empty is left out, as Camunda 7 does by default */
  readonly entry: DecisionResultEntry;
}

type Variables = Readonly<Record<string, unknown>>;

/** Warnings that mean an entry refers to something that is not there: its test means nothing. */
const MISSING = new Set(['NO_VARIABLE_FOUND', 'NO_FUNCTION_FOUND']);

/** the value of each input, in the table's order, and the rules that match with their outputs */
export interface TableMatch {
  readonly inputValues: readonly unknown[];
  readonly matched: readonly MatchedRule[];
}

export function matchRules(decisionId: string, table: DecisionTable, variables: Variables): TableMatch {
  let candidates = table.rules;
  const inputValues: unknown[] = [];
  for (const [index, input] of table.inputs.entries()) {
    const where = `Decision '${decisionId}', input ${columnName(input)}`;
    const value = typed(evaluated(input.expression, variables, where, decisionId), input.typeRef, where, decisionId);
    inputValues.push(value);
    // The input's value is the entries' `?`, and is also a variable under the input variable's name.
    const local = withEntries(variables, [[input.inputVariable, value]]);
    // Camunda 7 holds a date input as a date, so entries compare it with `date and time(…)`, not as text.
    const feelValue = input.typeRef?.trim().toLowerCase() === 'date' && typeof value === 'string' ? (dateAndTime(value) ?? value) : value;
    const testContext = withEntries(variables, [[input.inputVariable, feelValue], ['?', feelValue]]);
    candidates = candidates.filter((rule) => {
      const entry = rule.inputEntries[index]!;
      return entry === null || matches(entry, local, testContext, `Decision '${decisionId}', rule '${rule.id}', input ${columnName(input)}`, decisionId, rule.id);
    });
  }
  return { inputValues, matched: candidates.map((rule) => ({ rule, entry: outputsOf(decisionId, rule, table.outputs, variables) })) };
}

function matches(entry: UnaryTests, local: Variables, testContext: Variables, where: string, decisionId: string, ruleId: string): boolean {
  if (entry.kind === 'condition') return evaluated(entry.condition, local, where, decisionId, ruleId) === true;
  let result: ReturnType<typeof unaryTest>;
  try {
    result = unaryTest(entry.feel, testContext);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DecisionError(`${where}: the entry '${entry.source}' failed: ${reason}`, { decisionId, ruleIds: [ruleId], cause });
  }
  const missing = result.warnings.filter((warning) => MISSING.has(warning.type) || result.value === null);
  if (missing.length > 0) {
    const reasons = [...new Set(missing.map((warning) => warning.message))].join('; ');
    throw new DecisionError(`${where}: the entry '${entry.source}' cannot be tested: ${reasons}`, { decisionId, ruleIds: [ruleId] });
  }
  return result.value === true;
}

function outputsOf(decisionId: string, rule: DecisionRule, outputs: readonly DecisionOutput[], variables: Variables): DecisionResultEntry {
  const entries: [string, unknown][] = [];
  for (const [index, output] of outputs.entries()) {
    const expression = rule.outputEntries[index];
    if (expression === null || expression === undefined) continue;
    const where = `Decision '${decisionId}', rule '${rule.id}', output ${columnName(output)}`;
    entries.push([output.name, typed(evaluated(expression, variables, where, decisionId, rule.id), output.typeRef, where, decisionId, rule.id)]);
  }
  return Object.fromEntries(entries);
}

/** An expression's value; its failure is the decision's, saying where it happened. */
export function evaluated(expression: Expression, variables: Variables, where: string, decisionId: string, ruleId?: string): unknown {
  try {
    return evaluateExpression(expression, variables);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DecisionError(`${where}: ${reason}`, { decisionId, ...(ruleId === undefined ? {} : { ruleIds: [ruleId] }), cause });
  }
}

/** A value converted to its typeRef, or the decision's error saying why it cannot be. */
export function typed(value: unknown, typeRef: TypeRef | undefined, where: string, decisionId: string, ruleId?: string): unknown {
  const conversion = convertToType(value, typeRef);
  if ('error' in conversion) throw new DecisionError(`${where}: ${conversion.error}`, { decisionId, ...(ruleId === undefined ? {} : { ruleIds: [ruleId] }) });
  return conversion.value;
}

/** Variables with more entries; built anew, so that no name (not even __proto__) reaches a prototype. */
export function withEntries(variables: Variables, entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  return Object.fromEntries([...Object.entries(variables), ...entries]);
}

/** "'Season'" (its label), else its id */
function columnName(column: DecisionInput | DecisionOutput): string {
  return column.label === undefined ? `'${column.id}'` : `'${column.label}'`;
}
