import { compileExpression, evaluateExpression, type Expression } from '../expressions/index.js';
import { child, children, idOf, text, type ModdleElement } from '../model/moddle-access.js';
import type { Aggregation, DecisionInput, DecisionOutput, DecisionRule, DecisionTable, HitPolicy, UnaryTests } from './decision-model.js';
import { compileInputEntry } from './dmn-expressions.js';
import { clauseName, compileExpressionElement, languageAt, report, type CompileSite } from './compile-site.js';

const HIT_POLICIES: readonly HitPolicy[] = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];
/** hit policies that order matches by the outputs' output values */
const BY_PRIORITY: readonly HitPolicy[] = ['PRIORITY', 'OUTPUT ORDER'];

/** A decision table, or undefined when it has problems (all reported). */
export function compileTable(table: ModdleElement, site: CompileSite): DecisionTable | undefined {
  const before = site.problems.length;
  const hitPolicy = (text(table, 'hitPolicy') ?? 'UNIQUE').trim() as HitPolicy;
  const aggregation = text(table, 'aggregation')?.trim() as Aggregation | undefined;
  const outputElements = children(table, 'output');
  if (!HIT_POLICIES.includes(hitPolicy)) report(site, undefined, '', `the hit policy '${hitPolicy}' is not one of ${HIT_POLICIES.join(', ')}`);
  if (aggregation !== undefined) {
    if (!AGGREGATIONS.includes(aggregation)) report(site, undefined, '', `the aggregation '${aggregation}' is not one of ${AGGREGATIONS.join(', ')}`);
    if (hitPolicy !== 'COLLECT') report(site, undefined, '', `the aggregation ${aggregation} needs the hit policy COLLECT, not ${hitPolicy}`);
    else if (outputElements.length > 1) report(site, undefined, '', `COLLECT ${aggregation} aggregates one output, but the table has ${outputElements.length}`);
  }
  const inputElements = children(table, 'input');
  const inputs = inputElements.map((input, index) => compileInput(input, index, site));
  const outputs = compileOutputs(outputElements, hitPolicy, site);
  const rules = children(table, 'rule').map((rule, index) => compileRule(rule, index, inputElements, outputElements, site));
  if (site.problems.length > before) return undefined;
  return {
    kind: 'table',
    hitPolicy,
    ...(aggregation === undefined ? {} : { aggregation }),
    inputs: inputs as DecisionInput[],
    outputs: outputs as DecisionOutput[],
    rules: rules as DecisionRule[],
  };
}

function compileInput(input: ModdleElement, index: number, site: CompileSite): DecisionInput | undefined {
  const where = `, input ${clauseName(input, index)}`;
  const id = idOf(input);
  if (id === undefined) report(site, undefined, where, 'the input has no id');
  const element = child(input, 'inputExpression');
  if (element === undefined) {
    report(site, input, where, 'the input has no input expression');
    return undefined;
  }
  const expression = compileExpressionElement(site, element, input, where, 'its expression');
  if (id === undefined || expression === undefined) return undefined;
  const label = text(input, 'label');
  const typeRef = text(element, 'typeRef');
  return {
    id,
    ...(label === undefined ? {} : { label: label.trim() }),
    expression,
    ...(typeRef === undefined ? {} : { typeRef: typeRef.trim() }),
    inputVariable: site.camunda(input, 'inputVariable') ?? 'cellInput',
  };
}

function compileOutputs(elements: readonly ModdleElement[], hitPolicy: HitPolicy, site: CompileSite): (DecisionOutput | undefined)[] {
  if (elements.length === 0) report(site, undefined, '', 'the decision table has no output');
  const names = new Set<string>();
  const outputs = elements.map((output, index) => {
    const where = `, output ${clauseName(output, index)}`;
    const id = idOf(output);
    if (id === undefined) report(site, undefined, where, 'the output has no id');
    const name = text(output, 'name')?.trim() ?? (elements.length === 1 ? id : undefined);
    if (name === undefined && id !== undefined) report(site, output, where, `the output has no name; each output of a table with ${elements.length} outputs needs one`);
    if (name !== undefined && names.has(name)) report(site, output, where, `another output has the name '${name}' already`);
    if (name !== undefined) names.add(name);
    const priorities = BY_PRIORITY.includes(hitPolicy) ? outputValues(output, site, where) : undefined;
    if (id === undefined || name === undefined) return undefined;
    const label = text(output, 'label');
    const typeRef = text(output, 'typeRef');
    return {
      id,
      name,
      ...(label === undefined ? {} : { label: label.trim() }),
      ...(typeRef === undefined ? {} : { typeRef: typeRef.trim() }),
      ...(priorities === undefined ? {} : { priorities }),
    };
  });
  if (BY_PRIORITY.includes(hitPolicy) && elements.length > 0 && elements.every((output) => child(output, 'outputValues') === undefined)) {
    report(site, undefined, '', `the hit policy ${hitPolicy} orders rules by their outputs' output values, but no output declares any`);
  }
  return outputs;
}

/** The output values ("high","medium","low"): literals, highest priority first. */
function outputValues(output: ModdleElement, site: CompileSite, where: string): readonly unknown[] | undefined {
  const element = child(output, 'outputValues');
  const source = element === undefined ? undefined : text(element, 'text');
  if (source === undefined) return undefined;
  const compiled = compileExpression(`[${source}]`, 'feel');
  try {
    if ('expression' in compiled && !compiled.expression.openEnded) {
      const values = evaluateExpression(compiled.expression, {});
      if (Array.isArray(values)) return values;
    }
  } catch {
    // reported below, as any text that is not a list of values
  }
  report(site, output, where, `its output values '${source.trim()}' are not a comma-separated list of values`);
  return undefined;
}

function compileRule(rule: ModdleElement, index: number, inputs: readonly ModdleElement[], outputs: readonly ModdleElement[], site: CompileSite): DecisionRule | undefined {
  const id = idOf(rule);
  const where = `, rule ${id === undefined ? `${index + 1}` : `'${id}'`}`;
  if (id === undefined) report(site, undefined, where, 'the rule has no id');
  const inputEntries = children(rule, 'inputEntry');
  const outputEntries = children(rule, 'outputEntry');
  if (inputEntries.length !== inputs.length) {
    report(site, rule, where, `the rule has ${inputEntries.length} input entries for the table's ${inputs.length} inputs`);
  }
  if (outputEntries.length !== outputs.length) {
    report(site, rule, where, `the rule has ${outputEntries.length} output entries for the table's ${outputs.length} outputs`);
  }
  if (id === undefined || inputEntries.length !== inputs.length || outputEntries.length !== outputs.length) return undefined;
  const tests = inputEntries.map((entry, i) => inputEntry(entry, `${where}, input ${clauseName(inputs[i]!, i)}`, rule, site));
  const conclusions = outputEntries.map((entry, i): Expression | null | undefined =>
    (text(entry, 'text') ?? '').trim() === '' ? null : compileExpressionElement(site, entry, rule, `${where}, output ${clauseName(outputs[i]!, i)}`, 'the entry'));
  if (tests.includes(undefined) || conclusions.includes(undefined)) return undefined;
  return { id, inputEntries: tests as (UnaryTests | null)[], outputEntries: conclusions as (Expression | null)[] };
}

function inputEntry(entry: ModdleElement, where: string, rule: ModdleElement, site: CompileSite): UnaryTests | null | undefined {
  const language = languageAt(site, entry, rule, where, 'the entry');
  if (language === undefined) return undefined;
  const source = text(entry, 'text') ?? '';
  const compiled = compileInputEntry(source, language);
  if ('error' in compiled) {
    report(site, rule, where, `the entry '${source.trim()}' cannot be used: ${compiled.error}`);
    return undefined;
  }
  return compiled.entry;
}
