// What a business rule task stores of a decision's result: Camunda 7's camunda:mapDecisionResult, or
// what Zeebe puts in the task's resultVariable.
import { DecisionError } from './decision-error.js';
import type { Decision, DecisionResult } from './decision-model.js';

export type DecisionResultMapping = 'singleEntry' | 'singleResult' | 'collectEntries' | 'resultList';

/**
 * As Camunda 7's result mappers: singleEntry, the one value of the one entry (null without entry);
 * singleResult, the one entry (null without); collectEntries, the values of the one output the entries
 * hold; resultList, the entries.
 */
export function mapDecisionResult(result: DecisionResult, mapping: DecisionResultMapping): unknown {
  const misfit = (why: string): never => {
    throw new DecisionError(`The decision result does not fit the mapping ${mapping}: ${why}`);
  };
  const single = () => (result.length > 1 ? misfit(`${result.length} rules matched, and it takes the result of one`) : result[0]);
  switch (mapping) {
    case 'singleEntry': {
      const values = Object.values(single() ?? {});
      return values.length > 1 ? misfit(`the result has ${values.length} outputs (${Object.keys(result[0]!).join(', ')}), and it takes one`) : (values[0] ?? null);
    }
    case 'singleResult': {
      const entry = single();
      return entry === undefined ? null : { ...entry };
    }
    case 'collectEntries': {
      const names = [...new Set(result.flatMap((entry) => Object.keys(entry)))];
      if (names.length > 1) misfit(`the result has the outputs ${names.join(', ')}, and it collects the values of one`);
      return result.flatMap((entry) => (names[0] !== undefined && Object.hasOwn(entry, names[0]) ? [entry[names[0]]] : []));
    }
    case 'resultList':
      return result.map((entry) => ({ ...entry }));
  }
}

/**
 * What Zeebe gives a business rule task's resultVariable: a literal expression's value; for a table
 * whose hit policy gives one result (UNIQUE, FIRST, ANY, PRIORITY, COLLECT with an aggregation) the
 * output's value, or an object of the outputs when there are several, null when no rule matched; for
 * the others (COLLECT, RULE ORDER, OUTPUT ORDER) the list of those. An output whose entry was empty is
 * null.
 */
export function decisionOutput(result: DecisionResult, decision: Decision): unknown {
  const { logic } = decision;
  if (logic.kind === 'literal') return result[0]?.[logic.variable.name] ?? null;
  const { outputs } = logic;
  const shaped = result.map((entry) => {
    const valueOf = (name: string) => (Object.hasOwn(entry, name) ? entry[name] : null);
    return outputs.length === 1 ? valueOf(outputs[0]!.name) : Object.fromEntries(outputs.map((output) => [output.name, valueOf(output.name)]));
  });
  const many = logic.aggregation === undefined && ['COLLECT', 'RULE ORDER', 'OUTPUT ORDER'].includes(logic.hitPolicy);
  return many ? shaped : (shaped[0] ?? null);
}
