import { describe, expect, it } from 'vitest';
import { compileDecisions, type DecisionTable } from '../../src/decisions/index.js';
import { isEngineError } from '../../src/errors.js';
import { dmn, DINNER_DMN_11, DINNER_DMN_13, literalDecision, problemOf, problemsOf, tableDecision } from './dmn-documents.js';

const simple = (rules: string[][] = [['-', '"x"']]) => tableDecision('d', { inputs: ['amount'], rules });

describe('reading DMN files', () => {
  it('compiles a DMN 1.3 file as Camunda Modeler writes it, ignoring input data, knowledge sources, annotations and the diagram', async () => {
    const document = await compileDecisions(DINNER_DMN_13);
    expect(document).toMatchObject({ id: 'dinnerDecisions', name: 'Dinner Decisions', namespace: 'http://camunda.org/schema/1.0/dmn' });
    expect(document.decisions.map((decision) => decision.id)).toEqual(['dish', 'beverages']);
    const [dish, beverages] = document.decisions;
    expect(dish).toMatchObject({ id: 'dish', name: 'Dish', versionTag: 'v2', historyTimeToLive: 30, required: [] });
    expect(beverages!.required).toEqual(['dish']);
    const table = dish!.logic as DecisionTable;
    expect(table.hitPolicy).toBe('UNIQUE');
    expect(table.inputs.map(({ id, label, typeRef, inputVariable, expression }) => ({ id, label, typeRef, inputVariable, source: expression.source }))).toEqual([
      { id: 'InputClause_0bbq1z8', label: 'Season', typeRef: 'string', inputVariable: 'cellInput', source: 'season' },
      { id: 'InputClause_0pcbpc9', label: 'How many guests', typeRef: 'integer', inputVariable: 'cellInput', source: 'guestCount' },
    ]);
    expect(table.outputs).toEqual([{ id: 'OutputClause_0lfar1z', name: 'desiredDish', label: 'Dish', typeRef: 'string' }]);
    expect(table.rules).toHaveLength(6);
    expect(table.rules[5]!.inputEntries[1]).toBeNull();
    expect((beverages!.logic as DecisionTable).hitPolicy).toBe('COLLECT');
    expect((beverages!.logic as DecisionTable).inputs[1]!.inputVariable).toBe('withChildren');
  });

  it('reads DMN 1.1 files of older Camunda Modelers as DMN 1.3', async () => {
    const document = await compileDecisions(DINNER_DMN_11);
    expect(document.decisions.map((decision) => [decision.id, decision.versionTag, decision.required])).toEqual([
      ['dish', 'v1', []],
      ['beverages', undefined, ['dish']],
    ]);
    expect((document.decisions[0]!.logic as DecisionTable).rules.map((rule) => rule.id)).toEqual(['row-950612891-1', 'row-950612891-5']);
  });

  it('reads DMN 1.2 files, diagram included', async () => {
    const xml = `<definitions xmlns="http://www.omg.org/spec/DMN/20180521/MODEL/" xmlns:dmndi="http://www.omg.org/spec/DMN/20180521/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="d12" name="D" namespace="http://camunda.org/schema/1.0/dmn">
      ${literalDecision('answer', '6 * 7', { name: 'answer', typeRef: 'integer' })}
      <dmndi:DMNDI><dmndi:DMNDiagram id="diagram"><dmndi:DMNShape id="shape" dmnElementRef="answer"><dc:Bounds height="80" width="180" x="160" y="100" /></dmndi:DMNShape></dmndi:DMNDiagram></dmndi:DMNDI>
    </definitions>`;
    const document = await compileDecisions(xml);
    expect(document.decisions[0]!.logic).toMatchObject({ kind: 'literal', variable: { name: 'answer', typeRef: 'integer' } });
  });

  it('reads Camunda attributes whatever prefix the file gives their namespace', async () => {
    const xml = dmn(literalDecision('d', '1', { name: 'one' })).replace('xmlns:camunda=', 'xmlns:c7=').replace('<decision id="d"', '<decision id="d" c7:versionTag="3.1"');
    expect((await compileDecisions(xml)).decisions[0]!.versionTag).toBe('3.1');
  });

  it('reads bytes in the encoding their declaration names', async () => {
    const xml = dmn(tableDecision('d', { inputs: ['x'], outputs: [{ name: 'result', label: 'Größe' }], rules: [['-', '"groß"']] })).replace('UTF-8', 'ISO-8859-1');
    const bytes = Uint8Array.from([...xml].map((char) => char.charCodeAt(0)));
    const document = await compileDecisions(bytes);
    expect((document.decisions[0]!.logic as DecisionTable).outputs[0]!.label).toBe('Größe');
  });

  it('gives an immutable document', async () => {
    const document = await compileDecisions(dmn(simple()));
    expect(() => (document.decisions as unknown[]).push({})).toThrow(TypeError);
  });

  it.each([
    ['a DOCTYPE', dmn(simple()).replace('<definitions', '<!DOCTYPE definitions>\n<definitions'), /DOCTYPE or ENTITY declaration/],
    ['an external entity', dmn(simple()).replace('<definitions', '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<definitions'), /DOCTYPE or ENTITY declaration/],
    ['malformed XML', dmn('<decision id="d">'), /not well-formed XML/],
    ['a BPMN file', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="x" />', /not DMN: its root element must be <definitions>/],
    ['a NUL character', dmn(simple()).replace('"x"', '"&#0;"'), /NUL character/],
  ])('refuses %s', async (_title, xml, message) => {
    expect(await problemOf(xml)).toEqual({ element_id: null, message: expect.stringMatching(message) });
  });

  it('refuses a document over the size limit with PAYLOAD_TOO_LARGE', async () => {
    const xml = dmn(simple());
    await expect(compileDecisions(xml, { maxBytes: 100 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(compileDecisions(xml, { maxBytes: xml.length })).resolves.toBeDefined();
    const error = await compileDecisions(dmn(`${simple()}<!-- ${'x'.repeat(5 * 1024 * 1024)} -->`)).catch((e: unknown) => e);
    expect(isEngineError(error) && error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('refusing decisions', () => {
  it('refuses a file without decisions', async () => {
    expect(await problemOf(dmn('<inputData id="season" name="Season" />'))).toEqual({ element_id: 'definitions_1', message: 'The document holds no decision' });
  });

  it('refuses a decision without logic', async () => {
    expect(await problemOf(dmn('<decision id="empty" name="Empty" />'))).toEqual({
      element_id: 'empty',
      message: expect.stringMatching(/^Decision 'empty': it has no decision logic; a decision table or a literal expression is needed/),
    });
  });

  it.each([
    ['a business knowledge model invocation', '<invocation id="call"><literalExpression id="fn"><text>price</text></literalExpression></invocation>', /its logic is an invocation of a business knowledge model/],
    ['a boxed context', '<context id="ctx" />', /its logic is a boxed context/],
  ])('refuses a decision whose logic is %s, naming it', async (_title, logic, message) => {
    const xml = dmn(`<decision id="priced">${logic}</decision><businessKnowledgeModel id="bkm" name="Pricing" />`);
    expect(await problemOf(xml)).toEqual({ element_id: 'priced', message: expect.stringMatching(message) });
  });

  it('refuses a rule with more or fewer entries than the table has inputs and outputs', async () => {
    const xml = dmn(tableDecision('d', { inputs: ['a', 'b'], rules: [['1', '2', '"x"'], ['1', '2', '"x"']] }))
      .replace('<inputEntry id="d_r1_2"><text>2</text></inputEntry>', '')
      .replace('<outputEntry id="d_r2_3"><text>"x"</text></outputEntry>', '<outputEntry id="d_r2_3"><text>"x"</text></outputEntry><outputEntry id="d_r2_4"><text>"y"</text></outputEntry>');
    expect(await problemsOf(xml)).toEqual([
      { element_id: 'r1', message: "Decision 'd', rule 'r1': the rule has 1 input entries for the table's 2 inputs" },
      { element_id: 'r2', message: "Decision 'd', rule 'r2': the rule has 2 output entries for the table's 1 outputs" },
    ]);
  });

  it('refuses an input entry that is not FEEL unary tests, naming the rule and the column', async () => {
    const xml = dmn(tableDecision('d', { inputs: [{ expression: 'season', label: 'Season' }], rules: [['"Fall', '"x"']] }));
    expect(await problemOf(xml)).toEqual({
      element_id: 'r1',
      message: expect.stringMatching(/^Decision 'd', rule 'r1', input 'Season' \(d_i1\): the entry '"Fall' cannot be used: it is not valid FEEL unary tests/),
    });
  });

  it('refuses an input expression that is not FEEL, naming the input', async () => {
    const xml = dmn(tableDecision('d', { inputs: ['amount +'], rules: [['-', '"x"']] }));
    expect(await problemOf(xml)).toEqual({
      element_id: 'd_i1',
      message: expect.stringMatching(/^Decision 'd', input 'd_i1': its expression 'amount \+' cannot be used: it is not valid FEEL/),
    });
  });

  it('refuses an output entry that is not FEEL, naming the rule and the output', async () => {
    const xml = dmn(tableDecision('d', { inputs: ['a'], outputs: [{ name: 'result', label: 'Result' }], rules: [['-', '"unclosed']] }));
    expect(await problemOf(xml)).toEqual({
      element_id: 'r1',
      message: expect.stringMatching(/^Decision 'd', rule 'r1', output 'Result' \(d_o1\): the entry '"unclosed' cannot be used: it is not valid FEEL/),
    });
  });

  it('refuses input entries whose time would have no bound, and says where to put that logic', async () => {
    const xml = dmn(tableDecision('d', { inputs: ['name'], rules: [['matches(?, "^(a+)+$")', '"x"'], ['some n in 1..100000000 satisfies n = ?', '"y"']] }));
    expect(await problemsOf(xml)).toEqual([
      { element_id: 'r1', message: expect.stringMatching(/rule 'r1', input 'd_i1': .* it calls matches\(\), .* call it in the input expression/) },
      { element_id: 'r2', message: expect.stringMatching(/rule 'r2', input 'd_i1': .* it uses a quantified expression, .* compute it in the input expression/) },
    ]);
  });

  it.each([
    ['javascript', 'on an input entry', (xml: string) => xml.replace('<inputEntry id="d_r1_1">', '<inputEntry id="d_r1_1" expressionLanguage="javascript">'), 'r1'],
    ['groovy', 'on an output entry', (xml: string) => xml.replace('<outputEntry id="d_r1_2">', '<outputEntry id="d_r1_2" expressionLanguage="groovy">'), 'r1'],
    ['python', 'on an input expression', (xml: string) => xml.replace('<inputExpression id="d_ie1"', '<inputExpression id="d_ie1" expressionLanguage="python"'), 'd_i1'],
  ])('refuses the expression language %s %s', async (language, _where, edit, elementId) => {
    const problem = await problemOf(edit(dmn(simple())));
    expect(problem).toEqual({ element_id: elementId, message: expect.stringContaining(`its expression language '${language}' is not supported`) });
  });

  it('refuses a script language set for the whole file, at each expression', async () => {
    const problems = await problemsOf(dmn(simple(), ' expressionLanguage="javascript"'));
    expect(problems.map((problem) => problem.element_id)).toEqual(['d_i1', 'r1', 'r1']);
    expect(problems.every((problem) => problem.message.includes("its expression language 'javascript' is not supported"))).toBe(true);
  });

  it('accepts the FEEL namespaces of every DMN version', async () => {
    for (const uri of ['http://www.omg.org/spec/FEEL/20140401', 'https://www.omg.org/spec/DMN/20191111/FEEL/', 'FEEL']) {
      await expect(compileDecisions(dmn(simple(), ` expressionLanguage="${uri}"`))).resolves.toBeDefined();
    }
  });

  it('refuses a required decision the file does not hold', async () => {
    const xml = dmn(literalDecision('total', 'price * 2', { name: 'total' }, ['price']));
    expect(await problemOf(xml)).toEqual({ element_id: 'total', message: "Decision 'total' requires the decision 'price', which this file does not hold" });
  });

  it('does not report a required decision refused for its own problems as missing', async () => {
    const xml = dmn(literalDecision('total', 'price * 2', { name: 'total' }, ['price']) + '<decision id="price" />');
    expect(await problemOf(xml)).toMatchObject({ element_id: 'price', message: expect.stringMatching(/^Decision 'price': it has no decision logic/) });
  });

  it('refuses decisions that require each other in a cycle', async () => {
    const xml = dmn(literalDecision('a', 'b', { name: 'a' }, ['b']) + literalDecision('b', 'c', { name: 'b' }, ['c']) + literalDecision('c', 'a', { name: 'c' }, ['a']));
    expect(await problemOf(xml)).toEqual({ element_id: 'a', message: "Decision 'a' requires itself through the cycle 'a' → 'b' → 'c' → 'a'" });
  });

  it('refuses an aggregation without the hit policy COLLECT', async () => {
    const xml = dmn(tableDecision('d', { hitPolicy: 'FIRST', aggregation: 'SUM', inputs: ['a'], rules: [['-', '1']] }));
    expect(await problemOf(xml)).toEqual({ element_id: 'd', message: "Decision 'd': the aggregation SUM needs the hit policy COLLECT, not FIRST" });
  });

  it('refuses COLLECT with an aggregation over several outputs', async () => {
    const xml = dmn(tableDecision('d', { hitPolicy: 'COLLECT', aggregation: 'MAX', inputs: ['a'], outputs: ['low', 'high'], rules: [['-', '1', '2']] }));
    expect(await problemOf(xml)).toEqual({ element_id: 'd', message: "Decision 'd': COLLECT MAX aggregates one output, but the table has 2" });
  });

  it('refuses an unknown hit policy or aggregation', async () => {
    const xml = dmn(tableDecision('d', { hitPolicy: 'COLLECT', aggregation: 'AVERAGE', inputs: ['a'], rules: [['-', '1']] }));
    expect((await problemOf(xml)).message).toMatch(/^Decision 'd': the aggregation 'AVERAGE' is not one of SUM, MIN, MAX, COUNT/);
    const other = dmn(tableDecision('d', { hitPolicy: 'RANDOM', inputs: ['a'], rules: [['-', '1']] }));
    expect((await problemOf(other)).message).toMatch(/^Decision 'd': the hit policy 'RANDOM' is not one of UNIQUE, FIRST/);
  });

  it('refuses two outputs with the same name', async () => {
    const xml = dmn(tableDecision('d', { inputs: ['a'], outputs: ['result', 'result'], rules: [['-', '1', '2']] }));
    expect(await problemOf(xml)).toEqual({ element_id: 'd_o2', message: "Decision 'd', output 'd_o2': another output has the name 'result' already" });
  });

  it('refuses an output without name in a table of several outputs, and names a single one by its id', async () => {
    const xml = dmn(tableDecision('d', { inputs: ['a'], outputs: ['result', { label: 'Reason' }], rules: [['-', '1', '2']] }));
    expect(await problemOf(xml)).toEqual({
      element_id: 'd_o2',
      message: "Decision 'd', output 'Reason' (d_o2): the output has no name; each output of a table with 2 outputs needs one",
    });
    const single = await compileDecisions(dmn(tableDecision('d', { inputs: ['a'], outputs: [{ label: 'Result' }], rules: [['-', '1']] })));
    expect((single.decisions[0]!.logic as DecisionTable).outputs[0]!.name).toBe('d_o1');
  });

  it.each(['PRIORITY', 'OUTPUT ORDER'])('refuses %s over outputs that declare no output values', async (hitPolicy) => {
    const xml = dmn(tableDecision('d', { hitPolicy, inputs: ['a'], rules: [['-', '"high"']] }));
    expect(await problemOf(xml)).toEqual({
      element_id: 'd',
      message: `Decision 'd': the hit policy ${hitPolicy} orders rules by their outputs' output values, but no output declares any`,
    });
  });

  it('refuses output values that are not a list of values', async () => {
    const xml = dmn(tableDecision('d', { hitPolicy: 'PRIORITY', inputs: ['a'], outputs: [{ name: 'level', values: '[1..3]' }], rules: [['-', '1']] }));
    expect(await problemOf(xml)).toEqual({
      element_id: 'd_o1',
      message: "Decision 'd', output 'd_o1': its output values '[1..3]' are not a comma-separated list of values",
    });
  });

  it('refuses a literal expression decision without a variable to name its value', async () => {
    const xml = dmn('<decision id="lit"><literalExpression id="e"><text>1</text></literalExpression></decision>');
    expect(await problemOf(xml)).toEqual({ element_id: 'lit', message: expect.stringMatching(/^Decision 'lit': its literal expression has no variable with a name/) });
  });

  it('refuses a history time to live that is no number of days', async () => {
    const xml = dmn(simple()).replace('<decision id="d"', '<decision id="d" camunda:historyTimeToLive="soon"');
    expect(await problemOf(xml)).toEqual({ element_id: 'd', message: expect.stringMatching(/^Decision 'd': camunda:historyTimeToLive 'soon' is not a number of days/) });
  });

  it('refuses an id used twice', async () => {
    const xml = dmn(literalDecision('same', '1', { name: 'a' }) + literalDecision('same', '2', { name: 'b' }));
    expect((await problemsOf(xml))[0]).toEqual({ element_id: 'same', message: expect.stringMatching(/^The id 'same' is used by more than one element/) });
  });

  it('refuses DMN content it cannot place, and ignores other vocabularies', async () => {
    const misplaced = dmn(simple().replace('<decisionTable', '<ruleSet id="x" /><decisionTable'));
    expect(await problemOf(misplaced)).toEqual({ element_id: null, message: expect.stringMatching(/^The element <ruleSet.* is not DMN or not allowed there/) });
    const foreign = dmn(simple().replace('<decisionTable', '<foo:layout xmlns:foo="http://example.com/layout" x="1" /><decisionTable'));
    await expect(compileDecisions(foreign)).resolves.toBeDefined();
  });

  it('reports every problem of a file at once', async () => {
    const xml = dmn(
      tableDecision('a', { inputs: ['x +'], rules: [['"open', '"x"']] })
      + tableDecision('b', { hitPolicy: 'ANY', aggregation: 'COUNT', inputs: ['y'], rules: [['-', '1']] })
      + literalDecision('c', '1', { name: 'c' }, ['missing']),
    );
    expect((await problemsOf(xml)).map((problem) => problem.element_id)).toEqual(['a_i1', 'a_r1', 'b', 'c']);
  });
});

describe('Camunda 7 expression languages', () => {
  it('translates JUEL input expressions, entries and outputs, wrapping bare text in ${…}', async () => {
    const xml = dmn(tableDecision('d', { inputs: [{ expression: 'amount', language: 'juel' }], rules: [['cellInput > 100', '"big"']] }))
      .replace('<inputEntry id="d_r1_1">', '<inputEntry id="d_r1_1" expressionLanguage="juel">')
      .replace('<outputEntry id="d_r1_2">', '<outputEntry id="d_r1_2" expressionLanguage="JUEL">');
    const table = (await compileDecisions(xml)).decisions[0]!.logic as DecisionTable;
    expect(table.inputs[0]!.expression.feel).toBe('amount');
    expect(table.rules[0]!.inputEntries[0]).toEqual({ kind: 'condition', source: 'cellInput > 100', condition: expect.objectContaining({ feel: 'if cellInput = null then false else cellInput > 100' }) });
    expect(table.rules[0]!.outputEntries[0]!.feel).toBe('"big"');
  });

  it('refuses JUEL it cannot translate', async () => {
    const xml = dmn(tableDecision('d', { inputs: [{ expression: 'bean.compute(amount)', language: 'juel' }], rules: [['-', '1']] }));
    expect(await problemOf(xml)).toEqual({ element_id: 'd_i1', message: expect.stringMatching(/^Decision 'd', input 'd_i1': its expression 'bean.compute\(amount\)' cannot be used/) });
  });
});
