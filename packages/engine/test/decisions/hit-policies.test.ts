import { describe, expect, it } from 'vitest';
import { compileDecisions, DecisionError } from '../../src/decisions/index.js';
import { decisionError, dmn, evaluateTable, tableDecision, type TableSpec } from './dmn-documents.js';

/** rules over `amount`: each matches from its threshold on */
const over = (hitPolicy: string, rules: (readonly string[])[], extra: Partial<TableSpec> = {}): TableSpec => ({ hitPolicy, inputs: ['amount'], rules, ...extra });

async function failure(spec: TableSpec, variables: Record<string, unknown>): Promise<DecisionError> {
  return decisionError(await compileDecisions(dmn(tableDecision('d', spec))), 'd', variables);
}

describe('UNIQUE', () => {
  const spec: TableSpec = { inputs: ['amount'], rules: [['< 10', '"small"'], ['>= 10', '"big"'], ['> 100', '"huge"']] };

  it('is the default, and gives the one matching rule, or nothing', async () => {
    expect(await evaluateTable(spec, { amount: 5 })).toEqual([{ result: 'small' }]);
    expect(await evaluateTable({ ...spec, rules: spec.rules.slice(0, 1) }, { amount: 50 })).toEqual([]);
  });

  it('refuses two matching rules, naming them', async () => {
    const error = await failure(spec, { amount: 500 });
    expect(error.message).toBe("Decision 'd' (hit policy UNIQUE): only one rule may match, but 2 do: 'r2', 'r3'");
    expect(error).toMatchObject({ decisionId: 'd', ruleIds: ['r2', 'r3'] });
  });
});

describe('FIRST', () => {
  it('gives the first matching rule in rule order', async () => {
    const spec = over('FIRST', [['> 100', '"huge"'], ['> 10', '"big"'], ['-', '"any"']]);
    expect(await evaluateTable(spec, { amount: 50 })).toEqual([{ result: 'big' }]);
    expect(await evaluateTable(spec, { amount: 500 })).toEqual([{ result: 'huge' }]);
  });
});

describe('ANY', () => {
  const spec = over('ANY', [['> 10', '"approve"'], ['> 100', '"approve"'], ['> 1000', '"review"']]);

  it('gives the output the matching rules agree on', async () => {
    expect(await evaluateTable(spec, { amount: 500 })).toEqual([{ result: 'approve' }]);
    expect(await evaluateTable(spec, { amount: 5 })).toEqual([]);
  });

  it('refuses matching rules with different outputs', async () => {
    const error = await failure(spec, { amount: 5000 });
    expect(error.message).toBe("Decision 'd' (hit policy ANY): the matching rules 'r1', 'r2', 'r3' give different outputs");
  });
});

describe('PRIORITY and OUTPUT ORDER', () => {
  const outputs = [{ name: 'level', values: '"high","medium","low"' }, { name: 'reason' }];
  const rules = [['> 10', '"low"', '"r1"'], ['> 100', '"high"', '"r2"'], ['> 50', '"medium"', '"r3"'], ['> 75', '"high"', '"r4"']];

  it('PRIORITY gives the matching rule whose output comes first in the output values, the first such rule on ties', async () => {
    expect(await evaluateTable(over('PRIORITY', rules, { outputs }), { amount: 500 })).toEqual([{ level: 'high', reason: 'r2' }]);
    expect(await evaluateTable(over('PRIORITY', rules, { outputs }), { amount: 60 })).toEqual([{ level: 'medium', reason: 'r3' }]);
  });

  it('OUTPUT ORDER gives all matching rules by priority', async () => {
    expect(await evaluateTable(over('OUTPUT ORDER', rules, { outputs }), { amount: 500 })).toEqual([
      { level: 'high', reason: 'r2' },
      { level: 'high', reason: 'r4' },
      { level: 'medium', reason: 'r3' },
      { level: 'low', reason: 'r1' },
    ]);
  });

  it('ranks by the first output first, then by the next', async () => {
    const twoRanked = [{ name: 'level', values: '"high","low"' }, { name: 'score', values: '3,2,1' }];
    const spec = over('OUTPUT ORDER', [['-', '"low"', '3'], ['-', '"high"', '1'], ['-', '"high"', '2']], { outputs: twoRanked });
    expect(await evaluateTable(spec, { amount: 1 })).toEqual([{ level: 'high', score: 2 }, { level: 'high', score: 1 }, { level: 'low', score: 3 }]);
  });

  it('refuses a rule whose output is not among the output values', async () => {
    const error = await failure(over('PRIORITY', [['-', '"urgent"', '"x"']], { outputs }), { amount: 1 });
    expect(error.message).toBe("Decision 'd' (hit policy PRIORITY), rule 'r1': its output 'level' is \"urgent\", which is not among the output's values, by which rules are ranked");
    expect(error.ruleIds).toEqual(['r1']);
  });
});

describe('RULE ORDER and COLLECT', () => {
  const rules = [['> 100', '"manager"'], ['> 10', '"clerk"'], ['> 1000', '"board"']];

  it.each(['RULE ORDER', 'COLLECT'])('%s gives every matching rule in rule order', async (hitPolicy) => {
    expect(await evaluateTable(over(hitPolicy, rules), { amount: 5000 })).toEqual([{ result: 'manager' }, { result: 'clerk' }, { result: 'board' }]);
    expect(await evaluateTable(over(hitPolicy, rules), { amount: 1 })).toEqual([]);
  });
});

describe('COLLECT with an aggregation', () => {
  const rules = [['> 10', '5'], ['> 100', '20'], ['> 1000', '-2.5'], ['> 1000', '']];
  const collect = (aggregation: string, extra: Partial<TableSpec> = {}) => over('COLLECT', rules, { aggregation, outputs: ['points'], ...extra });

  it.each([
    ['SUM', 22.5],
    ['MIN', -2.5],
    ['MAX', 20],
    ['COUNT', 3],
  ])('%s gives one entry under the output name, counting no empty entry', async (aggregation, value) => {
    expect(await evaluateTable(collect(aggregation), { amount: 5000 })).toEqual([{ points: value }]);
  });

  it('SUM, MIN and MAX give no entry when no rule matched, COUNT gives 0', async () => {
    for (const aggregation of ['SUM', 'MIN', 'MAX']) expect(await evaluateTable(collect(aggregation), { amount: 1 })).toEqual([]);
    expect(await evaluateTable(collect('COUNT'), { amount: 1 })).toEqual([{ points: 0 }]);
  });

  it('reads numeric text of an untyped output as numbers, as Camunda 7 does', async () => {
    const spec = over('COLLECT', [['-', '"1.5"'], ['-', '2']], { aggregation: 'SUM', outputs: ['points'] });
    expect(await evaluateTable(spec, { amount: 1 })).toEqual([{ points: 3.5 }]);
  });

  it('refuses values that are no numbers', async () => {
    const untyped = over('COLLECT', [['-', '"many"'], ['-', '2']], { aggregation: 'SUM', outputs: ['points'] });
    expect((await failure(untyped, { amount: 1 })).message).toBe("Decision 'd' (hit policy COLLECT): SUM aggregates numbers, but a rule gives \"many\" for the output 'points'");
    const typedText = over('COLLECT', [['-', '"3"']], { aggregation: 'MAX', outputs: [{ name: 'points', typeRef: 'string' }] });
    expect((await failure(typedText, { amount: 1 })).message).toMatch(/MAX aggregates numbers, but a rule gives "3"/);
    const nulls = over('COLLECT', [['-', 'null']], { aggregation: 'MIN', outputs: ['points'] });
    expect((await failure(nulls, { amount: 1 })).message).toMatch(/MIN aggregates numbers, but a rule gives null/);
  });
});
