import type { FlowNode } from './process-model.js';

/** a link throw event goes on at the link catch events of its name in its scope */
export function linkTargets(node: FlowNode, scopeIds: readonly string[], elements: ReadonlyMap<string, FlowNode>): string[] {
  const link = node.eventDefinition;
  if (node.kind !== 'intermediateThrowEvent' || link.kind !== 'link') return [];
  return scopeIds.filter((id) => {
    const other = elements.get(id)!;
    return other.kind === 'intermediateCatchEvent' && other.eventDefinition.kind === 'link' && other.eventDefinition.linkName === link.linkName;
  });
}
