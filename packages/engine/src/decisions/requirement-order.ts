import type { Decision } from './decision-model.js';

/**
 * The decisions `starts` require, directly or not, and `starts` themselves, each once and each after
 * those it requires: the order in which Camunda 7 evaluates required decisions (depth first, in the
 * order they are listed). Iterative, since a file may chain thousands of decisions. A requirement
 * that closes a cycle is passed to `onCycle` (the ids around it) and not followed; one that names no
 * decision is skipped.
 */
export function requirementOrder(
  starts: readonly Decision[],
  byId: ReadonlyMap<string, Decision>,
  onCycle: (cycle: readonly string[]) => void = () => undefined,
): Decision[] {
  const order: Decision[] = [];
  const state = new Map<string, 'open' | 'done'>();
  for (const start of starts) {
    if (state.has(start.id)) continue;
    state.set(start.id, 'open');
    const path: { decision: Decision; next: number }[] = [{ decision: start, next: 0 }];
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const requiredId = top.decision.required[top.next++];
      if (requiredId === undefined) {
        state.set(top.decision.id, 'done');
        order.push(top.decision);
        path.pop();
        continue;
      }
      const required = byId.get(requiredId);
      if (required === undefined || state.get(requiredId) === 'done') continue;
      if (state.get(requiredId) === 'open') {
        const from = path.findIndex((step) => step.decision.id === requiredId);
        onCycle([...path.slice(from).map((step) => step.decision.id), requiredId]);
        continue;
      }
      state.set(requiredId, 'open');
      path.push({ decision: required, next: 0 });
    }
  }
  return order;
}
