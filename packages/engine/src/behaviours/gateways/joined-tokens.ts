import type { ExecutionRow } from '../../execution/instance-state.js';

/** the first token to arrive by each flow, keyed by the flow */
export function onePerFlow(joining: readonly ExecutionRow[]): Map<string, ExecutionRow> {
  const chosen = new Map<string, ExecutionRow>();
  for (const t of joining) if (!chosen.has(t.transition_id ?? '')) chosen.set(t.transition_id ?? '', t);
  return chosen;
}
