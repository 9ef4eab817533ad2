import { describe, expect, it } from 'vitest';
import { compileDecisions, evaluateDecision } from '../../src/decisions/index.js';
import { decisionError, DINNER_DMN_11, DINNER_DMN_13, dmn, evaluateTable, literalDecision, tableDecision, type TableSpec } from './dmn-documents.js';

const literal = async (expression: string, typeRef: string | undefined, variables: Record<string, unknown> = {}) =>
  compileDecisions(dmn(literalDecision('lit', expression, { name: 'value', ...(typeRef === undefined ? {} : { typeRef }) }))).then((document) => ({ document, variables }));

describe("Camunda's dinner decisions", () => {
  it.each([
    ['Fall', 4, false, 'Spareribs', ['Aecht Schlenkerla Rauchbier', 'Water']],
    ['Winter', 8, true, 'Roastbeef', ['Bordeaux', 'Apple Juice', 'Water']],
    ['Spring', 6, false, 'Steak', ['Pinot Noir', 'Water']],
    ['Winter', 12, false, 'Stew', ['Guiness', 'Water']],
    ['Summer', 30, true, 'Light Salad and a nice Steak', ['Pinot Noir', 'Apple Juice', 'Water']],
  ])('in %s for %i guests (children: %s): %s with %j', async (season, guestCount, guestsWithChildren, dish, beverages) => {
    const document = await compileDecisions(DINNER_DMN_13);
    const variables = { season, guestCount, guestsWithChildren };
    expect(evaluateDecision(document, 'dish', variables)).toEqual([{ desiredDish: dish }]);
    expect(evaluateDecision(document, 'beverages', variables)).toEqual(beverages.map((beverage) => ({ beverages: beverage })));
  });

  it('evaluates the DMN 1.1 file the same way', async () => {
    const document = await compileDecisions(DINNER_DMN_11);
    expect(evaluateDecision(document, 'beverages', { season: 'Fall', guestCount: 12 })).toEqual([{ beverages: 'Guiness' }, { beverages: 'Water' }]);
  });

  it('gives the one dish a season and guest count match, and none for an unknown season', async () => {
    const document = await compileDecisions(DINNER_DMN_13);
    expect(evaluateDecision(document, 'dish', { season: 'Spring', guestCount: 12 })).toEqual([{ desiredDish: 'Stew' }]);
    expect(evaluateDecision(document, 'dish', { season: 'Monsoon', guestCount: 3 })).toEqual([]);
  });
});

describe('inputs and their entries', () => {
  it('fails on an input variable that is missing, naming the decision and the input', async () => {
    const document = await compileDecisions(DINNER_DMN_13);
    const error = decisionError(document, 'dish', { guestCount: 4 });
    expect(error.message).toMatch(/^Decision 'dish', input 'Season': .*Variable 'season' not found/);
    expect(error.decisionId).toBe('dish');
  });

  it('tests entries against the input value as ?, and as cellInput or the input variable', async () => {
    const spec = (entry: string, inputVariable?: string): TableSpec => ({ inputs: [{ expression: 'amount', inputVariable }], rules: [[entry, '"match"']] });
    for (const [entry, inputVariable] of [['? > 5', undefined], ['cellInput > 5', undefined], ['total > 5', 'total'], ['> 5', undefined]] as const) {
      expect(await evaluateTable(spec(entry, inputVariable), { amount: 6 })).toEqual([{ result: 'match' }]);
      expect(await evaluateTable(spec(entry, inputVariable), { amount: 5 })).toEqual([]);
    }
  });

  it('lets entries compare with other variables', async () => {
    const spec: TableSpec = { inputs: ['amount'], rules: [['<= limit', '"within"'], ['> limit', '"over"']] };
    expect(await evaluateTable(spec, { amount: 6, limit: 10 })).toEqual([{ result: 'within' }]);
    expect(await evaluateTable(spec, { amount: 16, limit: 10 })).toEqual([{ result: 'over' }]);
  });

  it('fails on an entry that refers to a missing variable, naming the rule, instead of not matching', async () => {
    for (const entry of ['<= limit', 'not(limit)']) {
      const document = await compileDecisions(dmn(tableDecision('d', { inputs: [{ expression: 'amount', label: 'Amount' }], rules: [[entry, '"x"']] })));
      const error = decisionError(document, 'd', { amount: 6 });
      expect(error.message).toBe(`Decision 'd', rule 'r1', input 'Amount': the entry '${entry}' cannot be tested: Variable 'limit' not found`);
      expect(error.ruleIds).toEqual(['r1']);
    }
  });

  it('evaluates the entries of rules still in play only, input after input', async () => {
    const spec: TableSpec = { inputs: ['kind', 'amount'], rules: [['"a"', '< limit', '"a"'], ['"b"', '-', '"b"']] };
    expect(await evaluateTable(spec, { kind: 'b', amount: 1 })).toEqual([{ result: 'b' }]);
  });

  it('evaluates JUEL entries as conditions with cellInput', async () => {
    const xml = dmn(tableDecision('d', { inputs: ['amount'], rules: [['cellInput > 100', '"big"'], ['-', '"any"']], hitPolicy: 'FIRST' }))
      .replace('<inputEntry id="d_r1_1">', '<inputEntry id="d_r1_1" expressionLanguage="juel">');
    const document = await compileDecisions(xml);
    expect(evaluateDecision(document, 'd', { amount: 150 })).toEqual([{ result: 'big' }]);
    expect(evaluateDecision(document, 'd', { amount: 50 })).toEqual([{ result: 'any' }]);
  });

  it('converts an input by its typeRef before testing it', async () => {
    const spec: TableSpec = { inputs: [{ expression: 'count', typeRef: 'integer' }], rules: [['< 10', '"few"']] };
    expect(await evaluateTable(spec, { count: '7' })).toEqual([{ result: 'few' }]);
    const document = await compileDecisions(dmn(tableDecision('d', { inputs: [{ expression: 'count', typeRef: 'integer', label: 'Count' }], rules: [['< 10', '"few"']] })));
    expect(decisionError(document, 'd', { count: 'seven' }).message).toBe("Decision 'd', input 'Count': \"seven\" is not a value of the type 'integer'");
  });

  it('compares date inputs as FEEL dates and times', async () => {
    const spec: TableSpec = {
      inputs: [{ expression: 'dueDate', typeRef: 'date' }],
      rules: [['< date and time("2024-01-01T00:00:00")', '"last year"'], ['[date and time("2024-01-01T00:00:00")..date and time("2024-12-31T23:59:59")]', '"this year"']],
    };
    expect(await evaluateTable(spec, { dueDate: '2023-06-30T12:00:00' })).toEqual([{ result: 'last year' }]);
    expect(await evaluateTable(spec, { dueDate: '2024-06-30T12:00:00' })).toEqual([{ result: 'this year' }]);
  });

  it('leaves the output of an empty output entry out, as Camunda 7 does by default', async () => {
    const spec: TableSpec = { inputs: ['a'], outputs: ['first', 'second'], rules: [['-', '1', '']] };
    expect(await evaluateTable(spec, { a: 1 })).toEqual([{ first: 1 }]);
  });

  it('fails on an output entry that cannot be evaluated or converted, naming the rule and the output', async () => {
    const spec = { inputs: ['a'], outputs: [{ name: 'total', label: 'Total', typeRef: 'integer' }], rules: [['1', 'a * rate'], ['2', 'a / 4']] };
    const document = await compileDecisions(dmn(tableDecision('d', spec)));
    expect(decisionError(document, 'd', { a: 1 }).message).toMatch(/^Decision 'd', rule 'r1', output 'Total': .*Variable 'rate' not found/);
    const error = decisionError(document, 'd', { a: 2 });
    expect(error.message).toBe("Decision 'd', rule 'r2', output 'Total': 0.5 is not a value of the type 'integer'");
    expect(error.ruleIds).toEqual(['r2']);
  });

  it('stops an open-ended output entry that runs too long', async () => {
    const document = await compileDecisions(dmn(tableDecision('d', { inputs: ['a'], rules: [['-', 'count(for i in 1..100000000 return i)']] })));
    expect(decisionError(document, 'd', { a: 1 }).message).toMatch(/^Decision 'd', rule 'r1', output 'd_o1': .*was stopped: it ran longer than/);
  });

  it('refuses a decision the document does not hold', async () => {
    const document = await compileDecisions(DINNER_DMN_13);
    expect(decisionError(document, 'dessert', {}).message).toBe("The DMN file 'dinnerDecisions' holds no decision 'dessert'");
  });
});

describe('typeRef conversions', () => {
  it.each([
    ['integer', '"42"', 42],
    ['integer', '4.0', 4],
    ['Integer', '-7', -7],
    ['long', '"9007199254740991"', 9007199254740991],
    ['double', '"2.5"', 2.5],
    ['double', '3', 3],
    ['number', '" 1e3 "', 1000],
    ['string', '5', '5'],
    ['string', 'true', 'true'],
    ['boolean', '"TRUE"', true],
    ['boolean', 'false', false],
    ['date', '"2024-05-31T12:00:00"', '2024-05-31T12:00:00'],
    ['date', 'date and time("2024-05-31T12:00:00Z")', '2024-05-31T12:00:00Z'],
    ['money', '{amount: 5}', { amount: 5 }],
    [undefined, '"as it is"', 'as it is'],
    ['integer', 'null', null],
  ])('%s converts %s to %j', async (typeRef, expression, expected) => {
    const { document } = await literal(expression, typeRef);
    expect(evaluateDecision(document, 'lit', {})).toEqual([{ value: expected }]);
  });

  it.each([
    ['integer', '4.5'],
    ['integer', '"4.5"'],
    ['integer', '2147483648'],
    ['long', '9007199254740993'],
    ['long', '"12abc"'],
    ['double', '"two"'],
    ['boolean', '"yes"'],
    ['boolean', '1'],
    ['date', '"2024-05-31"'],
    ['date', '20240531'],
  ])('%s refuses %s', async (typeRef, expression) => {
    const { document } = await literal(expression, typeRef);
    expect(decisionError(document, 'lit', {}).message).toMatch(new RegExp(`^Decision 'lit': .* is not a value of the type '${typeRef}'`));
  });
});

describe('literal expressions', () => {
  it('give one entry under their variable name', async () => {
    const document = await compileDecisions(dmn(literalDecision('discount', 'if vip then 0.1 else 0', { name: 'rate', typeRef: 'double' })));
    expect(evaluateDecision(document, 'discount', { vip: true })).toEqual([{ rate: 0.1 }]);
  });

  it('fail on a missing variable', async () => {
    const document = await compileDecisions(dmn(literalDecision('discount', 'price * rate', { name: 'discount' })));
    expect(decisionError(document, 'discount', { price: 10 }).message).toMatch(/^Decision 'discount': .*Variable 'rate' not found/);
  });
});

describe('required decisions', () => {
  const season = tableDecision('season', { hitPolicy: 'FIRST', inputs: ['month'], outputs: ['season'], rules: [['12, 1, 2', '"Winter"'], ['-', '"Summer"']] });
  const dish = tableDecision('dish', { inputs: ['season'], outputs: ['dish'], rules: [['"Winter"', '"Stew"'], ['"Summer"', '"Salad"']], requirements: ['season'] });
  const drink = tableDecision('drink', { inputs: ['dish'], outputs: ['drink'], rules: [['"Stew"', '"Beer"'], ['-', '"Water"']], hitPolicy: 'FIRST', requirements: ['dish'] });

  it('are evaluated first, a chain of them, each result a variable of the next', async () => {
    const document = await compileDecisions(dmn(season + dish + drink));
    expect(evaluateDecision(document, 'drink', { month: 1 })).toEqual([{ drink: 'Beer' }]);
    expect(evaluateDecision(document, 'drink', { month: 7 })).toEqual([{ drink: 'Water' }]);
  });

  it('give a single result as its values, and COLLECT or RULE ORDER results as lists of values, as Camunda 7 does', async () => {
    const show = literalDecision('show', '{ single: single, collected: collected, ordered: ordered }', { name: 'shown' }, ['single', 'collected', 'ordered']);
    const single = tableDecision('single', { inputs: ['x'], outputs: ['single'], rules: [['-', '"one"']] });
    const collected = tableDecision('collected', { hitPolicy: 'COLLECT', inputs: ['x'], outputs: ['collected'], rules: [['-', '"only"']] });
    const ordered = tableDecision('ordered', { hitPolicy: 'RULE ORDER', inputs: ['x'], outputs: ['ordered'], rules: [['-', '1'], ['-', '2']] });
    const document = await compileDecisions(dmn(show + single + collected + ordered));
    expect(evaluateDecision(document, 'show', { x: 0 })).toEqual([{ shown: { single: 'one', collected: ['only'], ordered: [1, 2] } }]);
  });

  it('give the values of COLLECT with an aggregation as they are, and nothing without a match', async () => {
    const total = tableDecision('total', { hitPolicy: 'COLLECT', aggregation: 'SUM', inputs: ['x'], outputs: ['total'], rules: [['> 0', '2'], ['> 1', '3']] });
    const report = literalDecision('report', 'total', { name: 'report' }, ['total']);
    const document = await compileDecisions(dmn(total + report));
    expect(evaluateDecision(document, 'report', { x: 5 })).toEqual([{ report: 5 }]);
    expect(decisionError(document, 'report', { x: 0 }).message).toMatch(/^Decision 'report': .*Variable 'total' not found/);
  });

  it('override variables of the same name, and see the variables themselves', async () => {
    const document = await compileDecisions(dmn(season + dish));
    expect(evaluateDecision(document, 'dish', { month: 12, season: 'Summer' })).toEqual([{ dish: 'Stew' }]);
  });

  it('serve each decision that requires them, where several do', async () => {
    const both = literalDecision('both', 'dish + " with " + drink', { name: 'menu' }, ['dish', 'drink']);
    const document = await compileDecisions(dmn(season + dish + drink + both));
    expect(evaluateDecision(document, 'both', { month: 2 })).toEqual([{ menu: 'Stew with Beer' }]);
  });

  it('fail as themselves, naming the required decision', async () => {
    const document = await compileDecisions(dmn(season + dish + drink));
    const error = decisionError(document, 'drink', {});
    expect(error.decisionId).toBe('season');
    expect(error.message).toMatch(/^Decision 'season', input 'season_i1': .*Variable 'month' not found/);
  });
});
