// A business rule task evaluates a deployed DMN decision in the command that reaches it, as Camunda 7
// and 8 do: the decision is looked up in the store (instance-calls.ts), and its result goes to the result
// variable, shaped by camunda:mapDecisionResult or as Zeebe gives it. Without a decision it is worked
// as a service task is (an external task, or an HTTP call).
import { DecisionError, decisionOutput, mapDecisionResult } from '../../decisions/index.js';
import { typedFromValue } from '../../variables/variable-codec.js';
import type { Behaviour } from '../behaviour.js';
import { boundVersionOf, expressionValues } from './bound-version.js';
import { serviceTask } from './service-task.js';

export const businessRuleTask: Behaviour = {
  activate(ctx, token, node) {
    const spec = node.decision;
    if (!spec) return serviceTask.activate(ctx, token, node);
    const values = expressionValues(ctx, token, node.id);
    ctx.calls.decide(token, {
      decisionKey: values.required(spec.decisionKey, 'decision ref'),
      ...boundVersionOf(values, spec, { versionTag: 'decision ref version tag', tenantId: 'decision ref tenant id' }),
      variables: ctx.variables.visible(token.id),
    });
    ctx.wait(token);
  },

  /** the decision gave its result (or a worker completed the task) */
  trigger(ctx, token, node, { decided }) {
    const spec = node.decision;
    if (spec && decided) {
      let value: unknown;
      try {
        value = spec.mapping === 'output' ? decisionOutput(decided.result, decided.decision) : mapDecisionResult(decided.result, spec.mapping);
      } catch (e) {
        if (!(e instanceof DecisionError)) throw e;
        return ctx.fail(token, 'failedInstruction', `The result of the decision '${decided.decision.id}' cannot be mapped by ${spec.mapping}: ${e.message}`);
      }
      if (spec.resultVariable) ctx.variables.set(token.id, spec.resultVariable, typedFromValue(value));
    }
    ctx.leave(token);
  },
};
