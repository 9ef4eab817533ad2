// Inline DMN documents for the decision tests, a builder for small decision tables, and shortcuts to
// their compiled, evaluated or refused forms.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { compileDecisions, DecisionError, evaluateDecision, type DecisionResult, type DecisionsDocument } from '../../src/decisions/index.js';
import { isEngineError, type Problem } from '../../src/errors.js';

const NAMESPACES = 'xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn"';

/** A DMN 1.3 definitions document around `content` (decisions, input data…). */
export function dmn(content: string, attributes = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<definitions ${NAMESPACES} id="definitions_1" name="Tests" namespace="http://camunda.org/schema/1.0/dmn"${attributes}>\n${content}\n</definitions>`;
}

export type InputSpec = string | { expression: string; label?: string; typeRef?: string; inputVariable?: string; language?: string };
export type OutputSpec = string | { name?: string; label?: string; typeRef?: string; values?: string };

export interface TableSpec {
  hitPolicy?: string;
  aggregation?: string;
  inputs?: readonly InputSpec[];
  outputs?: readonly OutputSpec[];
  /** each rule's input entries, then its output entries; rules are r1, r2… in the decision 'd', else <id>_r1… */
  rules: readonly (readonly string[])[];
  /** inside <decision>, before the table */
  requirements?: readonly string[];
}

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A decision `id` holding a decision table; inputs are i1, i2…, outputs o1, o2… */
export function tableDecision(id: string, spec: TableSpec): string {
  const inputs = (spec.inputs ?? []).map((input, i) => {
    const { expression, label, typeRef, inputVariable, language } = typeof input === 'string' ? { expression: input } : input;
    return `<input id="${id}_i${i + 1}"${label ? ` label="${label}"` : ''}${inputVariable ? ` camunda:inputVariable="${inputVariable}"` : ''}>`
      + `<inputExpression id="${id}_ie${i + 1}"${typeRef ? ` typeRef="${typeRef}"` : ''}${language ? ` expressionLanguage="${language}"` : ''}><text>${escaped(expression)}</text></inputExpression></input>`;
  });
  const outputs = (spec.outputs ?? ['result']).map((output, i) => {
    const { name, label, typeRef, values } = typeof output === 'string' ? { name: output } : output;
    const valuesXml = values === undefined ? '' : `<outputValues id="${id}_ov${i + 1}"><text>${escaped(values)}</text></outputValues>`;
    return `<output id="${id}_o${i + 1}"${name ? ` name="${name}"` : ''}${label ? ` label="${label}"` : ''}${typeRef ? ` typeRef="${typeRef}"` : ''}>${valuesXml}</output>`;
  });
  const inputCount = (spec.inputs ?? []).length;
  const rules = spec.rules.map((entries, r) => {
    const cells = entries.map((entry, c) => {
      const kind = c < inputCount ? 'inputEntry' : 'outputEntry';
      return `<${kind} id="${id}_r${r + 1}_${c + 1}"><text>${escaped(entry)}</text></${kind}>`;
    });
    return `<rule id="${id === 'd' ? '' : `${id}_`}r${r + 1}">${cells.join('')}</rule>`;
  });
  const attributes = `${spec.hitPolicy ? ` hitPolicy="${spec.hitPolicy}"` : ''}${spec.aggregation ? ` aggregation="${spec.aggregation}"` : ''}`;
  const requirements = (spec.requirements ?? []).map((required) => `<informationRequirement id="${id}_requires_${required}"><requiredDecision href="#${required}" /></informationRequirement>`);
  return `<decision id="${id}" name="${id}">${requirements.join('')}<decisionTable id="${id}_table"${attributes}>${[...inputs, ...outputs, ...rules].join('')}</decisionTable></decision>`;
}

/** A decision `id` holding a literal expression whose value is `variable`. */
export function literalDecision(id: string, expression: string, variable: { name: string; typeRef?: string }, requirements: readonly string[] = []): string {
  const required = requirements.map((r) => `<informationRequirement id="${id}_requires_${r}"><requiredDecision href="#${r}" /></informationRequirement>`);
  return `<decision id="${id}" name="${id}">${required.join('')}<variable id="${id}_var" name="${variable.name}"${variable.typeRef ? ` typeRef="${variable.typeRef}"` : ''} />`
    + `<literalExpression id="${id}_expr"><text>${escaped(expression)}</text></literalExpression></decision>`;
}

/** The result of the table `spec` (decision 'd') for `variables`. */
export async function evaluateTable(spec: TableSpec, variables: Record<string, unknown> = {}): Promise<DecisionResult> {
  return evaluateDecision(await compileDecisions(dmn(tableDecision('d', spec))), 'd', variables);
}

/** The DecisionError `run` ends with; any other end fails the test. */
export function decisionErrorOf(run: () => unknown): DecisionError {
  let thrown: unknown = new Error('it ended without a DecisionError');
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof DecisionError)) throw thrown;
  return thrown;
}

/** The DecisionError that evaluating `decisionId` ends with. */
export function decisionError(document: DecisionsDocument, decisionId: string, variables: Record<string, unknown>): DecisionError {
  return decisionErrorOf(() => evaluateDecision(document, decisionId, variables));
}

/** The problems of a document that must be refused. */
export async function problemsOf(xml: string | Uint8Array): Promise<Problem[]> {
  const refusal = await compileDecisions(xml).then(() => new Error('the document was accepted'), (error: unknown) => error);
  if (!isEngineError(refusal) || refusal.code !== 'INVALID_DMN') throw refusal;
  return refusal.details!.problems as Problem[];
}

/** The one problem of a document that must be refused for one reason. */
export async function problemOf(xml: string | Uint8Array): Promise<Problem> {
  const problems = await problemsOf(xml);
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

/**
 * Camunda's dinner example as Camunda Modeler 5 writes it for Camunda 7 (DMN 1.3): a `dish` table
 * (season and guest count) and a `beverages` table requiring it, with COLLECT.
 */
export const DINNER_DMN_13 = readFileSync(new URL('./fixtures/dinner-1.3.dmn', import.meta.url), 'utf8');
/** Part of the same decisions as Camunda Modeler 3 wrote them (DMN 1.1, layout in biodi extension elements). */
export const DINNER_DMN_11 = readFileSync(new URL('./fixtures/dinner-1.1.dmn', import.meta.url), 'utf8');
