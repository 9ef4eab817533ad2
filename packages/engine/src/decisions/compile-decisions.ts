import { invalidDmn, type Problem } from '../errors.js';
import type { Expression } from '../expressions/index.js';
import { prepareTimeLimitedEvaluation } from '../expressions/time-limit.js';
import { deepFreeze } from '../model/deep-freeze.js';
import { parseHistoryTimeToLive } from '../model/history-time-to-live.js';
import { child, children, idOf, isA, text, type ModdleElement } from '../model/moddle-access.js';
import type { Decision, DecisionsDocument, LiteralExpression } from './decision-model.js';
import { compileExpressionElement, createSite, report, type CompileSite } from './compile-site.js';
import { compileTable } from './compile-table.js';
import { readDmn } from './read-dmn.js';
import { requirementOrder } from './requirement-order.js';

/** what Camunda 7 cannot evaluate either, named for the problem */
const OTHER_LOGIC: Readonly<Record<string, string>> = {
  'dmn:Context': 'a boxed context',
  'dmn:Invocation': 'an invocation of a business knowledge model',
  'dmn:FunctionDefinition': 'a function definition',
  'dmn:List': 'a boxed list',
  'dmn:Relation': 'a relation',
};

/**
 * Compiles a DMN file into its decisions, ready to evaluate. Everything wrong with it is reported at
 * once, as one INVALID_DMN error listing every problem; input data, knowledge sources, annotations and
 * the diagram are ignored, as Camunda 7 ignores them.
 */
export async function compileDecisions(xml: string | Uint8Array, options: { readonly maxBytes?: number } = {}): Promise<DecisionsDocument> {
  const { definitions, problems: readProblems } = await readDmn(xml, options);
  const problems: Problem[] = [...readProblems];
  const id = idOf(definitions);
  if (id === undefined) problems.push({ element_id: null, message: 'The definitions have no id, which identifies their decisions together' });
  const elements = children(definitions, 'drgElement').filter((element) => isA(element, 'dmn:Decision'));
  if (elements.length === 0) problems.push({ element_id: id ?? null, message: 'The document holds no decision' });
  const decisions = elements.flatMap((element) => compileDecision(element, definitions, problems) ?? []);
  checkRequirements(decisions, new Set(elements.flatMap((element) => idOf(element) ?? [])), problems);
  if (problems.length > 0) throw invalidDmn(problems);
  if (decisions.some((decision) => expressionsOf(decision).some((expression) => expression.openEnded))) prepareTimeLimitedEvaluation();
  const name = text(definitions, 'name');
  const namespace = text(definitions, 'namespace');
  return deepFreeze({
    id: id!,
    ...(name === undefined ? {} : { name: name.trim() }),
    ...(namespace === undefined ? {} : { namespace: namespace.trim() }),
    decisions,
  });
}

function compileDecision(element: ModdleElement, definitions: ModdleElement, problems: Problem[]): Decision | undefined {
  const id = idOf(element);
  const name = text(element, 'name')?.trim();
  if (id === undefined) {
    problems.push({ element_id: null, message: `A decision${name === undefined ? '' : ` named '${name}'`} has no id, which is its key` });
    return undefined;
  }
  const site = createSite(definitions, id, problems);
  const before = problems.length;
  const versionTag = site.camunda(element, 'versionTag');
  const ttlText = site.camunda(element, 'historyTimeToLive');
  const historyTimeToLive = ttlText === undefined ? undefined : parseHistoryTimeToLive(ttlText);
  if (typeof historyTimeToLive === 'string') report(site, element, '', historyTimeToLive);
  const logic = decisionLogic(element, site);
  if (logic === undefined || problems.length > before) return undefined;
  return {
    id,
    ...(name === undefined ? {} : { name }),
    ...(versionTag === undefined ? {} : { versionTag }),
    ...(historyTimeToLive === undefined ? {} : { historyTimeToLive: historyTimeToLive as number }),
    logic,
    required: children(element, 'informationRequirement').flatMap((requirement) => {
      const reference = child(requirement, 'requiredDecision');
      const href = reference === undefined ? undefined : text(reference, 'href')?.trim();
      return href === undefined ? [] : [href.replace(/^#/, '')];
    }),
  };
}

function decisionLogic(element: ModdleElement, site: CompileSite): Decision['logic'] | undefined {
  const logic = child(element, 'decisionLogic');
  if (logic === undefined) {
    report(site, element, '', 'it has no decision logic; a decision table or a literal expression is needed');
    return undefined;
  }
  if (isA(logic, 'dmn:DecisionTable')) return compileTable(logic, site);
  if (isA(logic, 'dmn:LiteralExpression')) return compileLiteral(element, logic, site);
  const kind = OTHER_LOGIC[logic.$type] ?? `a ${logic.$type}`;
  report(site, element, '', `its logic is ${kind}; only decision tables and literal expressions can be evaluated`);
  return undefined;
}

function compileLiteral(element: ModdleElement, logic: ModdleElement, site: CompileSite): LiteralExpression | undefined {
  const variable = child(element, 'variable');
  const name = variable === undefined ? undefined : text(variable, 'name')?.trim();
  if (name === undefined) report(site, element, '', 'its literal expression has no variable with a name, under which its value is given');
  const expression = compileExpressionElement(site, logic, element, '', 'its literal expression');
  if (name === undefined || expression === undefined) return undefined;
  const typeRef = text(variable!, 'typeRef')?.trim();
  return { kind: 'literal', variable: { name, ...(typeRef === undefined ? {} : { typeRef }) }, expression };
}

/**
 * Every required decision must be in the file (`inFile`: those refused for problems of their own count,
 * so as not to report them twice), and none may require itself, directly or not.
 */
function checkRequirements(decisions: readonly Decision[], inFile: ReadonlySet<string>, problems: Problem[]): void {
  const byId = new Map(decisions.map((decision) => [decision.id, decision]));
  for (const decision of decisions) {
    for (const required of decision.required.filter((id) => !inFile.has(id))) {
      problems.push({ element_id: decision.id, message: `Decision '${decision.id}' requires the decision '${required}', which this file does not hold` });
    }
  }
  requirementOrder(decisions, byId, (cycle) => {
    const path = cycle.map((id) => `'${id}'`).join(' → ');
    problems.push({ element_id: cycle[0]!, message: `Decision '${cycle[0]}' requires itself through the cycle ${path}` });
  });
}

function expressionsOf({ logic }: Decision): Expression[] {
  if (logic.kind === 'literal') return [logic.expression];
  const entries = logic.rules.flatMap((rule) => [
    ...rule.outputEntries.flatMap((entry) => entry ?? []),
    ...rule.inputEntries.flatMap((entry) => (entry?.kind === 'condition' ? [entry.condition] : [])),
  ]);
  return [...logic.inputs.map((input) => input.expression), ...entries];
}
