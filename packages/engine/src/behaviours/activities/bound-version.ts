// What a call activity or a business rule task names of the version it takes (the key, a version tag, a
// tenant), as its expressions evaluate. Camunda 7 lets those expressions read the calling execution
// (`execution.processBusinessKey`).
import type { VersionBinding } from '../../definitions/version-binding.js';
import { evaluateExpression, ExpressionError, type Expression } from '../../expressions/index.js';
import type { ExecutionRow } from '../../execution/instance-state.js';
import { storableText } from '../../execution/storable-values.js';
import type { CALLING_EXECUTION } from '../../model/index.js';
import type { BehaviourContext } from '../behaviour.js';

export interface BindingSpec {
  readonly binding: VersionBinding['binding'];
  readonly version?: number;
  readonly versionTag?: Expression;
  readonly tenantId?: Expression;
}

/** evaluates the element's expressions with the variables the token sees, and the calling execution */
export function expressionValues(ctx: BehaviourContext, token: ExecutionRow, elementId: string) {
  const instance = ctx.instance;
  const execution: Record<(typeof CALLING_EXECUTION)[number], unknown> = {
    processBusinessKey: instance.business_key, processInstanceId: instance.id, id: token.id, activityId: token.activity_id,
  };
  const variables = { execution, ...ctx.variables.visible(token.id) };
  /** the value as text, undefined when it is nothing */
  const text = (expression: Expression): string | undefined => {
    const value = evaluateExpression(expression, variables);
    return value === null || value === undefined || value === '' ? undefined : String(value);
  };
  /** a value that must be there, as it fits the column it is looked up in */
  const required = (expression: Expression, what: string): string => {
    const value = text(expression);
    if (value === undefined) throw new ExpressionError(`The ${what} of '${elementId}' evaluated to nothing`, { expression: expression.source });
    return storableText(value, `the ${what} of '${elementId}'`, expression);
  };
  /** as in Camunda 7, a tenant id that evaluates to nothing is no tenant */
  const tenant = (expression: Expression, what: string): string | null => {
    const value = text(expression);
    return value === undefined ? null : storableText(value, `the ${what} of '${elementId}'`, expression);
  };
  return { text, required, tenant };
}

export type ExpressionValues = ReturnType<typeof expressionValues>;

/** the binding as the element's expressions evaluate; `names` of its version tag and tenant id, for errors */
export function boundVersionOf(values: ReturnType<typeof expressionValues>, spec: BindingSpec, names: { versionTag: string; tenantId: string }): VersionBinding {
  return {
    binding: spec.binding,
    version: spec.version,
    versionTag: spec.versionTag && values.required(spec.versionTag, names.versionTag),
    tenantId: spec.tenantId && values.tenant(spec.tenantId, names.tenantId),
  };
}
