// The executions of one instance: its tokens, and the scope executions of the process (whose id is the
// instance's), of sub-processes and of loop bodies. A loop (multi-instance or standard) runs as a body
// execution at the element, whose children are the inner instances, at the same element.
import type { FlowNode } from '../model/index.js';
import { newId } from '../util/ids.js';
import type { ExecutionRow, InstanceState } from './instance-state.js';

/** a token that has reached its end: still in the tree while its scope learns of it, then removed */
const ENDED = 'ended';

export type LoopRole = 'body' | 'inner';

export class ExecutionTree {
  constructor(private readonly state: InstanceState) {}

  get(id: string): ExecutionRow | undefined {
    return this.state.executions.get(id);
  }

  has(execution: ExecutionRow): boolean {
    return this.state.executions.has(execution.id);
  }

  isRoot(execution: ExecutionRow): boolean {
    return execution.id === this.state.instance.id;
  }

  parent(execution: ExecutionRow): ExecutionRow | undefined {
    return execution.parent_id ? this.state.executions.get(execution.parent_id) : undefined;
  }

  /** the live executions directly beneath the scope (or the root's, for null) */
  children(scopeId: string | null): ExecutionRow[] {
    return this.state.executions.filter((e) => e.parent_id === scopeId && e.id !== scopeId && e.state !== ENDED);
  }

  node(execution: ExecutionRow): FlowNode {
    const node = execution.activity_id ? this.state.model.elements.get(execution.activity_id) : undefined;
    if (!node) throw new Error(`execution ${execution.id} is at no element of the model`);
    return node;
  }

  create(parentId: string | null, activityId: string | null, fields: Partial<ExecutionRow> = {}): ExecutionRow {
    return this.state.executions.add({
      id: newId(), process_instance_id: this.state.instance.id, parent_id: parentId, activity_id: activityId,
      activity_instance_id: null, transition_id: null, state: 'active', is_scope: false, data: null, ...fields,
    });
  }

  markEnded(execution: ExecutionRow): void {
    execution.state = ENDED;
  }

  remove(execution: ExecutionRow): void {
    this.state.executions.delete(execution.id);
  }

  /**
   * An execution at an element with loop characteristics is the loop's body, or one of its inner
   * instances: those have the body, at the same element, as their parent.
   */
  loopRole(execution: ExecutionRow, node: FlowNode): LoopRole | undefined {
    if (!node.multiInstance && !node.standardLoop) return undefined;
    return this.parent(execution)?.activity_id === node.id ? 'inner' : 'body';
  }

  /**
   * The scope (process or sub-process id) whose elements the scope execution runs: the process for the
   * root, its element for a sub-process; none for a loop body, whose children are its inner instances.
   */
  contentScope(scope: ExecutionRow): string | undefined {
    if (this.isRoot(scope)) return this.state.model.id;
    const node = this.node(scope);
    return this.loopRole(scope, node) === 'body' ? undefined : node.id;
  }
}
