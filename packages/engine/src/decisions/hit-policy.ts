// A table's result from its matching rules, by its hit policy. UNIQUE, FIRST, ANY, RULE ORDER, COLLECT
// and its aggregations follow Camunda 7's hit policy handlers. Camunda 7 has no PRIORITY and OUTPUT
// ORDER; they follow the DMN specification: rules are ranked by their outputs' values in the order the
// outputs' output values list them, the first output first.
import { isDeepStrictEqual } from 'node:util';
import { numericText } from './convert-type.js';
import { DecisionError } from './decision-error.js';
import type { DecisionResult, DecisionTable } from './decision-model.js';
import type { MatchedRule } from './evaluate-table.js';

/**
 * The result, and the rules it comes from: those the hit policy keeps, in the order it gives them (with an
 * aggregation, every matching rule, whose values it combines).
 */
export interface HitPolicyOutcome {
  readonly result: DecisionResult;
  readonly rules: readonly MatchedRule[];
}

export function applyHitPolicy(decisionId: string, table: DecisionTable, matched: readonly MatchedRule[]): HitPolicyOutcome {
  const fail = (message: string): never => {
    throw new DecisionError(`Decision '${decisionId}' (hit policy ${table.hitPolicy}): ${message}`, { decisionId, ruleIds: matched.map((match) => match.rule.id) });
  };
  const kept = (rules: readonly MatchedRule[]): HitPolicyOutcome => ({ result: rules.map((match) => match.entry), rules });
  switch (table.hitPolicy) {
    case 'UNIQUE':
      return matched.length > 1 ? fail(`only one rule may match, but ${matched.length} do: ${ruleList(matched)}`) : kept(matched);
    case 'FIRST':
      return kept(matched.slice(0, 1));
    case 'ANY':
      return matched.every((match) => isDeepStrictEqual(match.entry, matched[0]!.entry)) ? kept(matched.slice(0, 1)) : fail(`the matching rules ${ruleList(matched)} give different outputs`);
    case 'PRIORITY':
      return kept(byPriority(decisionId, table, matched).slice(0, 1));
    case 'OUTPUT ORDER':
      return kept(byPriority(decisionId, table, matched));
    case 'RULE ORDER':
      return kept(matched);
    case 'COLLECT': {
      if (table.aggregation === undefined) return kept(matched);
      const entry = aggregated(table, matched.map((match) => match.entry), fail);
      return { result: entry === undefined ? [] : [entry], rules: matched };
    }
  }
}

/**
 * COLLECT with an aggregation: one entry under the output's name. A rule whose output entry is empty
 * adds no value. With no value, COUNT is 0 and the others give no entry at all, as in Camunda 7 (whose
 * COUNT entry then has no name; here it has the output's). Values must be numbers, or, for an output
 * without typeRef, numeric text, as Camunda 7 reads them.
 */
function aggregated(table: DecisionTable, entries: DecisionResult, fail: (message: string) => never): Record<string, unknown> | undefined {
  const output = table.outputs[0]!;
  const values = entries.filter((entry) => Object.hasOwn(entry, output.name)).map((entry) => entry[output.name]);
  if (table.aggregation === 'COUNT') return Object.fromEntries([[output.name, values.length]]);
  if (values.length === 0) return undefined;
  const numbers = values.map((value) => {
    const number = typeof value === 'number' ? value : typeof value === 'string' && output.typeRef === undefined ? numericText(value) : undefined;
    return number ?? fail(`${table.aggregation} aggregates numbers, but a rule gives ${JSON.stringify(value)} for the output '${output.name}'`);
  });
  const combine = { SUM: (a: number, b: number) => a + b, MIN: Math.min, MAX: Math.max }[table.aggregation!];
  return Object.fromEntries([[output.name, numbers.reduce((a, b) => combine(a, b))]]);
}

/** The matched rules, highest priority first; equal ones in rule order. */
function byPriority(decisionId: string, table: DecisionTable, matched: readonly MatchedRule[]): MatchedRule[] {
  const ranked = matched.map((match) => ({ match, rank: rankOf(decisionId, table, match) }));
  ranked.sort((a, b) => {
    const differs = a.rank.findIndex((rank, i) => rank !== b.rank[i]);
    return differs < 0 ? 0 : a.rank[differs]! - b.rank[differs]!;
  });
  return ranked.map(({ match }) => match);
}

/** A rule's place in each prioritised output's output values; a value not among them is an error. */
function rankOf(decisionId: string, table: DecisionTable, { rule, entry }: MatchedRule): number[] {
  return table.outputs.flatMap((output) => {
    if (output.priorities === undefined) return [];
    const value = Object.hasOwn(entry, output.name) ? entry[output.name] : null;
    const rank = output.priorities.findIndex((priority) => isDeepStrictEqual(priority, value));
    if (rank >= 0) return [rank];
    throw new DecisionError(
      `Decision '${decisionId}' (hit policy ${table.hitPolicy}), rule '${rule.id}': its output '${output.name}' is ${JSON.stringify(value)}, which is not among the output's values, by which rules are ranked`,
      { decisionId, ruleIds: [rule.id] },
    );
  });
}

function ruleList(matched: readonly MatchedRule[]): string {
  return matched.map((match) => `'${match.rule.id}'`).join(', ');
}
