import { frozenSet } from './deep-freeze.js';
import { linkTargets } from './link-targets.js';
import type { FlowNode, SequenceFlow } from './process-model.js';

/**
 * Scope.reachable: for each flow node of a scope, the nodes it can reach by sequence flows or through
 * its boundary events. Computed per node on first use and kept, because the full table is quadratic in
 * the size of the scope while the inclusive join asks about a few nodes of it.
 */
export function reachability(
  nodes: readonly string[],
  successors: ReadonlyMap<string, readonly string[]>,
): ReadonlyMap<string, ReadonlySet<string>> {
  return new LazyReachability(nodes, successors);
}

/** Scope.reachable of the flow nodes `ids` of one scope, by their flows, boundary events and links. */
export function scopeReachability(
  ids: readonly string[],
  elements: ReadonlyMap<string, FlowNode>,
  flows: ReadonlyMap<string, SequenceFlow>,
): ReadonlyMap<string, ReadonlySet<string>> {
  const successors = new Map(
    ids.map((id) => {
      const node = elements.get(id)!;
      return [id, [...node.outgoing.map((flowId) => flows.get(flowId)!.targetRef), ...node.boundaryEvents, ...linkTargets(node, ids, elements)]];
    }),
  );
  return reachability(ids, successors);
}

class LazyReachability implements ReadonlyMap<string, ReadonlySet<string>> {
  readonly #nodes: readonly string[];
  readonly #members: ReadonlySet<string>;
  readonly #successors: ReadonlyMap<string, readonly string[]>;
  readonly #known = new Map<string, ReadonlySet<string>>();

  constructor(nodes: readonly string[], successors: ReadonlyMap<string, readonly string[]>) {
    this.#nodes = nodes;
    this.#members = new Set(nodes);
    this.#successors = successors;
    Object.freeze(this);
  }

  get size(): number {
    return this.#members.size;
  }

  has(id: string): boolean {
    return this.#members.has(id);
  }

  get(id: string): ReadonlySet<string> | undefined {
    if (!this.#members.has(id)) return undefined;
    let reached = this.#known.get(id);
    if (reached === undefined) {
      reached = this.#search(id);
      this.#known.set(id, reached);
    }
    return reached;
  }

  forEach(callback: (value: ReadonlySet<string>, key: string, map: ReadonlyMap<string, ReadonlySet<string>>) => void, thisArg?: unknown): void {
    for (const [id, reached] of this.#all()) callback.call(thisArg, reached, id, this);
  }

  entries(): MapIterator<[string, ReadonlySet<string>]> {
    return this.#all().entries();
  }

  keys(): MapIterator<string> {
    return this.#all().keys();
  }

  values(): MapIterator<ReadonlySet<string>> {
    return this.#all().values();
  }

  [Symbol.iterator](): MapIterator<[string, ReadonlySet<string>]> {
    return this.entries();
  }

  /** every entry, in the scope's document order */
  #all(): Map<string, ReadonlySet<string>> {
    return new Map(this.#nodes.map((id) => [id, this.get(id)!]));
  }

  /** breadth-first from the node's successors, so the node itself is included only on a cycle */
  #search(start: string): ReadonlySet<string> {
    const reached = new Set<string>();
    const queue = [...(this.#successors.get(start) ?? [])];
    for (let index = 0; index < queue.length; index++) {
      const next = queue[index]!;
      if (reached.has(next) || !this.#members.has(next)) continue;
      reached.add(next);
      queue.push(...(this.#successors.get(next) ?? []));
    }
    return frozenSet(reached);
  }
}
