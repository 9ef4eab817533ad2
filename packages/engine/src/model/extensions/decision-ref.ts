// The decision a business rule task evaluates, as Camunda 7 (camunda:decisionRef) and Camunda 8
// (zeebe:calledDecision) declare it. The decision itself is looked up when the task is reached, as both
// do: a model may be deployed before the decisions it uses.
import type { CompileContext } from '../compile-context.js';
import { describe, localType, text, type ModdleElement } from '../moddle-access.js';
import { CALLING_EXECUTION, type DecisionRefSpec } from '../process-model.js';
import { camundaBinding } from './camunda-binding.js';
import type { Implementation } from './implementation.js';

const MAPPINGS = ['singleEntry', 'singleResult', 'collectEntries', 'resultList'] as const;

/** camunda:decisionRef on a business rule task; on any other element Camunda 7 does not read it */
export function camundaDecisionRef(element: ModdleElement, decisionRef: string, ctx: CompileContext): Implementation {
  if (localType(element) !== 'businessRuleTask') return notABusinessRuleTask(element, `camunda:decisionRef="${decisionRef}"`, 'camunda:decisionRef');
  const decisionKey = ctx.expression(element, 'camunda:decisionRef', decisionRef, 'literal', CALLING_EXECUTION);
  const { binding, version, versionTag } = camundaBinding(element, 'camunda:decisionRef', ctx, CALLING_EXECUTION);
  const tenantId = ctx.expression(element, 'camunda:decisionRefTenantId', text(element, 'camunda:decisionRefTenantId'), 'literal', CALLING_EXECUTION);
  const mapping = text(element, 'camunda:mapDecisionResult') ?? 'resultList';
  if (!(MAPPINGS as readonly string[]).includes(mapping)) {
    ctx.report(element, `The camunda:mapDecisionResult '${mapping}' of ${describe(element)} is not one of ${MAPPINGS.join(', ')}`);
  }
  if (decisionKey === undefined) return { kind: 'invalid' };
  const spec: DecisionRefSpec = {
    decisionKey, binding, version, versionTag, tenantId,
    resultVariable: text(element, 'camunda:resultVariable'),
    mapping: (MAPPINGS as readonly string[]).includes(mapping) ? mapping as DecisionRefSpec['mapping'] : 'resultList',
  };
  return { kind: 'decision', spec };
}

/** zeebe:calledDecision: the latest version of the decision, its output in the result variable */
export function zeebeCalledDecision(element: ModdleElement, called: ModdleElement, ctx: CompileContext): Implementation {
  const decisionId = text(called, 'decisionId');
  if (localType(element) !== 'businessRuleTask') return notABusinessRuleTask(element, `zeebe:calledDecision decisionId="${decisionId ?? ''}"`, 'zeebe:calledDecision');
  const resultVariable = text(called, 'resultVariable');
  if (decisionId === undefined) ctx.report(element, `The zeebe:calledDecision of ${describe(element)} has no decisionId`);
  if (resultVariable === undefined) ctx.report(element, `The zeebe:calledDecision of ${describe(element)} has no resultVariable`);
  const decisionKey = ctx.expression(element, 'zeebe:calledDecision decisionId', decisionId, 'literal');
  if (decisionKey === undefined || resultVariable === undefined) return { kind: 'invalid' };
  return { kind: 'decision', spec: { decisionKey, binding: 'latest', resultVariable, mapping: 'output' } };
}

function notABusinessRuleTask(element: ModdleElement, declared: string, key: string): Implementation {
  return { kind: 'other', key, description: `${declared} on ${describe(element)}`, hint: 'only a businessRuleTask evaluates a decision' };
}
