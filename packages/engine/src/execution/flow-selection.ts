// Which outgoing sequence flows a token takes when it leaves an element.
import type { Expression } from '../expressions/index.js';
import type { FlowSelection } from '../behaviours/behaviour.js';
import type { FlowNode, ProcessModel } from '../model/index.js';

/** No flow can be taken: a problem of the model, which becomes a conditionError incident. */
export class NoFlowProblem extends Error {}

export function selectFlows(
  model: ProcessModel,
  node: FlowNode,
  selection: FlowSelection,
  holds: (condition: Expression) => boolean,
): string[] {
  if (node.outgoing.length === 0) return [];
  if (selection === 'all') return [...node.outgoing];
  const taken: string[] = [];
  for (const flowId of node.outgoing) {
    if (flowId === node.defaultFlow) continue;
    const condition = model.flows.get(flowId)?.condition;
    if (condition === undefined || holds(condition)) {
      taken.push(flowId);
      // an exclusive gateway takes the first flow that holds, in document order
      if (selection === 'exclusive') return taken;
    }
  }
  if (taken.length) return taken;
  if (node.defaultFlow) return [node.defaultFlow];
  throw new NoFlowProblem(`No outgoing sequence flow of '${node.id}' can be taken: no condition holds and there is no default flow`);
}

/**
 * The flows an async-after job takes, chosen before it was created: one, or none to end the token. A job
 * of an older version may hold several (they were one job), or only a selection, chosen when it runs.
 */
export function chosenFlows(payload: string | null): string[] | undefined {
  return payload?.startsWith('{') ? (JSON.parse(payload) as { flows: string[] }).flows : undefined;
}
