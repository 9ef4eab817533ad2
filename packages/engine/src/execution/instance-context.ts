// What a behaviour reads through its context: the instance's services (variables, history, waiting
// work, the other instances of its tree) and its execution tree, read only. The transitions that change
// the tree are transitions.ts's, which builds on this.
import type { HistoryLevel } from '../api/engine.js';
import type { Behaviour } from '../behaviours/behaviour.js';
import { behaviourOf, loopBehaviourOf } from '../behaviours/registry.js';
import { evaluateExpression, type Expression } from '../expressions/index.js';
import type { FlowNode } from '../model/index.js';
import type { ValueMasking } from '../protection/mask.js';
import { ExecutionTree, type LoopRole } from './execution-tree.js';
import { History } from './history.js';
import type { InstanceCalls } from './instance-calls.js';
import type { ExecutionRow, InstanceState } from './instance-state.js';
import { Variables } from './variables.js';
import { WorkItems } from './work-items.js';

export interface InterpreterOptions {
  now: () => Date;
  historyLevel: HistoryLevel;
  /** elements one command may enter before it stops with a failedInstruction incident */
  maxSteps: number;
  /** protected values hidden in events and error texts; absent when none is protected */
  masking?: ValueMasking;
  /** days an ended instance is kept when its process names no camunda:historyTimeToLive; absent: for ever */
  historyTimeToLiveDays?: number;
  /** a process_manager.analytics.performance event as each activity instance ends */
  performanceEvents?: boolean;
}

export class InstanceContext {
  readonly tree: ExecutionTree;
  readonly variables: Variables;
  readonly history: History;
  readonly work: WorkItems;

  constructor(
    readonly state: InstanceState,
    readonly calls: InstanceCalls,
    protected readonly options: InterpreterOptions,
  ) {
    this.tree = new ExecutionTree(state);
    this.variables = new Variables(state, options.now);
    this.history = new History(state, options);
    this.work = new WorkItems(state, this.history, this.variables, options.now);
  }

  get model() {
    return this.state.model;
  }

  get instance() {
    return this.state.instance;
  }

  now(): Date {
    return this.options.now();
  }

  /** an error text to store beside the execution, the protected values it sees masked in it */
  redacted(executionId: string, text: string): string {
    return this.options.masking ? this.options.masking.redact(text, this.variables.visibleTyped(executionId)) : text;
  }

  evaluate(execution: ExecutionRow, expression: Expression): unknown {
    return evaluateExpression(expression, this.variables.visible(execution.id));
  }

  // ---- the tree, as behaviours see it

  execution(id: string): ExecutionRow | undefined {
    return this.tree.get(id);
  }

  node(execution: ExecutionRow): FlowNode {
    return this.tree.node(execution);
  }

  parent(execution: ExecutionRow): ExecutionRow | undefined {
    return this.tree.parent(execution);
  }

  children(scope: ExecutionRow): ExecutionRow[] {
    return this.tree.children(scope.id);
  }

  alive(execution: ExecutionRow): boolean {
    return this.tree.has(execution);
  }

  loopRole(execution: ExecutionRow): LoopRole | undefined {
    return execution.activity_id === null || this.tree.isRoot(execution) ? undefined : this.tree.loopRole(execution, this.node(execution));
  }

  contentScope(scope: ExecutionRow): string | undefined {
    return this.tree.contentScope(scope);
  }

  joining(scopeId: string | null, gatewayId: string): ExecutionRow[] {
    return this.tree.children(scopeId)
      .filter((t) => t.state === 'joining' && t.activity_id === gatewayId)
      .sort((a, b) => (this.history.activity(a.activity_instance_id)?.seq ?? 0) - (this.history.activity(b.activity_instance_id)?.seq ?? 0));
  }

  /** the behaviour of the element the execution is at: a loop's body has the loop's */
  behaviourAt(execution: ExecutionRow): Behaviour {
    const node = this.node(execution);
    return this.tree.loopRole(execution, node) === 'body' ? loopBehaviourOf(node) : behaviourOf(node.kind);
  }

}
