import { describe, expect, it } from 'vitest';
import { compileDecisions, decisionOutput, mapDecisionResult, type Decision, type DecisionResult, type DecisionResultMapping } from '../../src/decisions/index.js';
import { decisionErrorOf, dmn, literalDecision, tableDecision, type TableSpec } from './dmn-documents.js';

const misfit = (result: DecisionResult, mapping: DecisionResultMapping) => decisionErrorOf(() => mapDecisionResult(result, mapping));

describe('mapDecisionResult', () => {
  it('singleEntry gives the one value of the one entry, null for no entry or an empty one', () => {
    expect(mapDecisionResult([{ dish: 'Stew' }], 'singleEntry')).toBe('Stew');
    expect(mapDecisionResult([], 'singleEntry')).toBeNull();
    expect(mapDecisionResult([{}], 'singleEntry')).toBeNull();
    expect(mapDecisionResult([{ dish: null }], 'singleEntry')).toBeNull();
  });

  it('singleEntry refuses several entries or several values', () => {
    expect(misfit([{ dish: 'Stew' }, { dish: 'Salad' }], 'singleEntry').message).toBe(
      'The decision result does not fit the mapping singleEntry: 2 rules matched, and it takes the result of one',
    );
    expect(misfit([{ dish: 'Stew', drink: 'Beer' }], 'singleEntry').message).toBe(
      'The decision result does not fit the mapping singleEntry: the result has 2 outputs (dish, drink), and it takes one',
    );
  });

  it('singleResult gives the one entry, null for none, and refuses several', () => {
    expect(mapDecisionResult([{ dish: 'Stew', drink: 'Beer' }], 'singleResult')).toEqual({ dish: 'Stew', drink: 'Beer' });
    expect(mapDecisionResult([], 'singleResult')).toBeNull();
    expect(misfit([{ dish: 'Stew' }, { dish: 'Salad' }], 'singleResult').message).toBe(
      'The decision result does not fit the mapping singleResult: 2 rules matched, and it takes the result of one',
    );
  });

  it('collectEntries gives the values of the one output, and refuses several outputs', () => {
    expect(mapDecisionResult([{ drink: 'Beer' }, { drink: 'Water' }], 'collectEntries')).toEqual(['Beer', 'Water']);
    expect(mapDecisionResult([{ drink: 'Beer' }, {}], 'collectEntries')).toEqual(['Beer']);
    expect(mapDecisionResult([], 'collectEntries')).toEqual([]);
    expect(misfit([{ drink: 'Beer', size: 'large' }], 'collectEntries').message).toBe(
      'The decision result does not fit the mapping collectEntries: the result has the outputs drink, size, and it collects the values of one',
    );
  });

  it('resultList gives the entries, copied', () => {
    const result = [{ dish: 'Stew', drink: 'Beer' }, { dish: 'Salad' }];
    const mapped = mapDecisionResult(result, 'resultList') as unknown[];
    expect(mapped).toEqual(result);
    expect(mapped[0]).not.toBe(result[0]);
    expect(mapDecisionResult([], 'resultList')).toEqual([]);
  });
});

describe('decisionOutput (Zeebe)', () => {
  const table = async (spec: TableSpec): Promise<Decision> => (await compileDecisions(dmn(tableDecision('d', spec)))).decisions[0]!;

  it('gives a literal expression its value', async () => {
    const decision = (await compileDecisions(dmn(literalDecision('lit', '1', { name: 'answer' })))).decisions[0]!;
    expect(decisionOutput([{ answer: 42 }], decision)).toBe(42);
  });

  it.each(['UNIQUE', 'FIRST', 'ANY', 'PRIORITY'])('gives %s with one output the value, null without match', async (hitPolicy) => {
    const decision = await table({ hitPolicy, inputs: ['a'], outputs: [{ name: 'dish', values: '"Stew"' }], rules: [['-', '"Stew"']] });
    expect(decisionOutput([{ dish: 'Stew' }], decision)).toBe('Stew');
    expect(decisionOutput([], decision)).toBeNull();
  });

  it('gives a single result of several outputs as an object, an output left empty as null', async () => {
    const decision = await table({ inputs: ['a'], outputs: ['dish', 'drink'], rules: [['-', '"Stew"', '']] });
    expect(decisionOutput([{ dish: 'Stew' }], decision)).toEqual({ dish: 'Stew', drink: null });
  });

  it('gives COLLECT with an aggregation the aggregated value, null when SUM had nothing', async () => {
    const sum = await table({ hitPolicy: 'COLLECT', aggregation: 'SUM', inputs: ['a'], outputs: ['points'], rules: [['-', '1']] });
    expect(decisionOutput([{ points: 7 }], sum)).toBe(7);
    expect(decisionOutput([], sum)).toBeNull();
    const count = await table({ hitPolicy: 'COLLECT', aggregation: 'COUNT', inputs: ['a'], outputs: ['points'], rules: [['-', '1']] });
    expect(decisionOutput([{ points: 0 }], count)).toBe(0);
  });

  it.each(['COLLECT', 'RULE ORDER'])('gives %s the list of values, or of objects for several outputs', async (hitPolicy) => {
    const single = await table({ hitPolicy, inputs: ['a'], outputs: ['drink'], rules: [['-', '"Beer"']] });
    expect(decisionOutput([{ drink: 'Beer' }, { drink: 'Water' }], single)).toEqual(['Beer', 'Water']);
    expect(decisionOutput([], single)).toEqual([]);
    const several = await table({ hitPolicy, inputs: ['a'], outputs: ['drink', 'size'], rules: [['-', '"Beer"', '1']] });
    expect(decisionOutput([{ drink: 'Beer', size: 1 }, { drink: 'Water' }], several)).toEqual([{ drink: 'Beer', size: 1 }, { drink: 'Water', size: null }]);
  });

  it('gives OUTPUT ORDER the list, in the order of the result', async () => {
    const decision = await table({ hitPolicy: 'OUTPUT ORDER', inputs: ['a'], outputs: [{ name: 'level', values: '"high","low"' }], rules: [['-', '"low"']] });
    expect(decisionOutput([{ level: 'high' }, { level: 'low' }], decision)).toEqual(['high', 'low']);
  });
});
