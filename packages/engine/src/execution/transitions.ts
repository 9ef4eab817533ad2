// The mechanism every element shares: the agenda, and the few transitions of a token's life (enter,
// activate, leave, end, cancel, interrupt) with what they mean for variable scopes, history and waiting
// work. What an element kind does at each of them is its behaviour's (behaviours/); this class is the
// context those behaviours act through.
import type { Behaviour, BehaviourContext, FlowSelection, IncidentKind, RetryPoint, Trigger } from '../behaviours/behaviour.js';
import { completedForCompensation } from '../behaviours/event-definitions/compensate.js';
import { fireConditions } from '../behaviours/event-definitions/conditional.js';
import { definitionOf } from '../behaviours/event-definitions/event-definition.js';
import { behaviourOf, processBehaviour } from '../behaviours/registry.js';
import { evaluateCondition, evaluateExpression, ExpressionError } from '../expressions/index.js';
import type { FlowNode } from '../model/index.js';
import { typedFromValue, type TypedValue } from '../variables/variable-codec.js';
import type { LoopRole } from './execution-tree.js';
import { NoFlowProblem, selectFlows } from './flow-selection.js';
import type { InstanceCalls } from './instance-calls.js';
import { InstanceContext, type InterpreterOptions } from './instance-context.js';
import type { ExecutionRow, IncidentRow, InstanceState, SubscriptionRow } from './instance-state.js';
import { removalTime } from './removal-time.js';
import type { StepLimit } from './step-limit.js';
import { retriesOf } from './work-items.js';

export type { InterpreterOptions } from './instance-context.js';

export class Transitions extends InstanceContext implements BehaviourContext {
  readonly #agenda: (() => void)[] = [];
  /** conditional subscriptions not evaluated yet */
  #freshConditions = new Set<string>();

  constructor(state: InstanceState, calls: InstanceCalls, options: InterpreterOptions, private readonly steps: StepLimit) {
    super(state, calls, options);
  }

  // ---- the agenda

  schedule(step: () => void): void {
    this.#agenda.push(step);
  }

  /**
   * until every token waits: the agenda, then whatever joins may go on once it is empty, then the
   * conditional events that the variables changed on the way (or their listening) let fire
   */
  run(): void {
    do {
      do {
        for (let step = this.#agenda.shift(); step; step = this.#agenda.shift()) step();
      } while (this.#settleJoins());
    } while (this.#fireConditions());
  }

  evaluateSoon(subscription: SubscriptionRow): void {
    this.#freshConditions.add(subscription.id);
  }

  /** every conditional event evaluates its condition at the next run (an instance activated again) */
  evaluateAllConditions(): void {
    for (const subscription of this.work.listening('conditional')) this.#freshConditions.add(subscription.id);
  }

  #fireConditions(): boolean {
    const fresh = this.#freshConditions;
    this.#freshConditions = new Set();
    return fireConditions(this, fresh, this.variables.takeChanges());
  }

  #settleJoins(): boolean {
    for (const token of this.state.executions.values()) {
      if (token.state !== 'joining' || !token.activity_id) continue;
      const node = this.node(token);
      if (behaviourOf(node.kind).settle?.(this, token, node)) return true;
    }
    return false;
  }

  // ---- transitions

  enter(token: ExecutionRow, elementId: string, flowId: string | null = null): void {
    this.schedule(() => this.#enter(token, elementId, flowId));
  }

  enterChild(scope: ExecutionRow, elementId: string): ExecutionRow {
    const child = this.tree.create(scope.id, null);
    this.enter(child, elementId);
    return child;
  }

  arriveChild(scope: ExecutionRow, elementId: string): ExecutionRow {
    const child = this.tree.create(scope.id, null);
    this.#arrive(child, this.model.elements.get(elementId)!, null);
    return child;
  }

  startInner(body: ExecutionRow, locals: ReadonlyMap<string, TypedValue>): ExecutionRow {
    const node = this.node(body);
    const inner = this.tree.create(body.id, null);
    this.#arrive(inner, node, body.transition_id);
    for (const [name, value] of locals) this.variables.setLocal(inner.id, name, value);
    this.schedule(() => {
      if (!this.tree.has(inner) || !this.#step(inner, node)) return;
      return node.multiInstance?.asyncBefore ? this.#continueLater(inner, node, 'async-before') : this.activate(inner, node);
    });
    return inner;
  }

  goTo(token: ExecutionRow, elementId: string): void {
    if (!this.#complete(token, this.node(token), 'inclusive', undefined)) return;
    this.variables.deleteLocals(token.id);
    this.enter(token, elementId);
  }

  passThrough(token: ExecutionRow, elementId: string, flowId: string | null): void {
    this.work.cancel(token);
    this.history.endActivity(token.activity_instance_id, 'completed');
    this.#arrive(token, this.model.elements.get(elementId)!, flowId);
    this.schedule(() => this.leave(token));
  }

  #enter(token: ExecutionRow, elementId: string, flowId: string | null): void {
    if (!this.tree.has(token)) return; // cancelled while the step was queued
    const node = this.model.elements.get(elementId);
    if (!node) throw new Error(`element ${elementId} is not in the model`);
    this.#arrive(token, node, flowId);
    if (!this.#step(token, node)) return;
    if (node.asyncBefore) return this.#continueLater(token, node, 'async-before');
    this.activate(token, node);
  }

  /** counts an element entered; false when the command has entered too many (step-limit.ts) */
  #step(token: ExecutionRow, node: FlowNode): boolean {
    const refused = this.steps.enter(token);
    if (refused === undefined) return true;
    this.fail(token, 'failedInstruction', `The instance ${refused}; stopped at '${node.id}'`);
    return false;
  }

  /** the token is at the element: a new activity instance starts (a loop body's is no step of the path) */
  #arrive(token: ExecutionRow, node: FlowNode, transitionId: string | null): void {
    token.activity_id = node.id;
    token.transition_id = transitionId;
    token.state = 'active';
    const parent = this.tree.parent(token);
    const body = this.tree.loopRole(token, node) === 'body';
    token.activity_instance_id = this.history.startActivity(token, node, transitionId, parent?.activity_instance_id ?? null,
      body ? (node.multiInstance ? 'multiInstanceBody' : 'standardLoopBody') : undefined).id;
  }

  /** an async continuation: the command ends here for this token and a job goes on with it */
  #continueLater(token: ExecutionRow, node: FlowNode, handler: 'async-before' | 'async-after', payload: string | null = null): void {
    this.work.createJob(token, node.id, { type: 'async', handler, due_at: this.now(), retries: retriesOf(node), payload });
    this.wait(token);
  }

  /**
   * The element is carried out: its input mappings (an inner instance's, not its loop body's) and
   * boundary events (the body's, not an inner instance's), then its behaviour.
   */
  activate(token: ExecutionRow, node: FlowNode): void {
    this.#carryOut(token, node, (behaviour) => behaviour.activate(this, token, node));
  }

  /**
   * A modification starts a token inside the element, which has no instance: the token arrives at it and
   * opens it (its behaviour's `open`) with its input mappings and boundary events, its start event not run.
   */
  openScope(token: ExecutionRow, node: FlowNode): void {
    this.#arrive(token, node, null);
    const behaviour = this.behaviourAt(token);
    if (!behaviour.open) throw new Error(`${node.kind} ${node.id} cannot be opened as a scope`);
    this.#carryOut(token, node, () => behaviour.open!(this, token, node));
  }

  #carryOut(token: ExecutionRow, node: FlowNode, run: (behaviour: Behaviour) => void): void {
    const role = this.tree.loopRole(token, node);
    try {
      if (role !== 'body') {
        // an inner instance's mappings see its loop counter and element; others read the scope around them
        const visible = this.variables.visible(role === 'inner' ? token.id : token.parent_id ?? token.id);
        for (const mapping of node.inputs) this.variables.setLocal(token.id, mapping.target, typedFromValue(evaluateExpression(mapping.source, visible)));
      }
      if (role !== 'inner') this.listenAtBoundaries(token, node);
      run(this.behaviourAt(token));
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      this.fail(token, 'failedInstruction', `'${node.id}' could not be carried out: ${e.message}`);
    }
  }

  /**
   * timer, message and signal boundary events (those of `only`, when given) listen while the activity runs;
   * only what is missing is armed, so a retry or a migration adds what is not there
   */
  listenAtBoundaries(token: ExecutionRow, node: FlowNode, only?: ReadonlySet<string>): void {
    for (const boundaryId of node.boundaryEvents.filter((id) => !only || only.has(id))) {
      const boundary = this.model.elements.get(boundaryId)!;
      const armed = (x: { execution_id: string | null; activity_id: string }) => x.execution_id === token.id && x.activity_id === boundaryId;
      if (!this.state.jobs.find(armed) && !this.state.subscriptions.find(armed)) definitionOf(boundary).listen?.(this, token, boundary);
    }
  }

  resume(token: ExecutionRow, trigger: Trigger): void {
    const behaviour = this.behaviourAt(token);
    if (behaviour.trigger) behaviour.trigger(this, token, this.node(token), trigger);
    else this.leave(token);
  }

  wait(token: ExecutionRow): void {
    token.state = 'waiting';
    const activity = this.history.activity(token.activity_instance_id);
    // an async-after continuation waits after its activity has ended, which stays completed
    if (activity && !activity.end_time) activity.status = 'waiting';
  }

  join(token: ExecutionRow): void {
    this.wait(token);
    token.state = 'joining';
  }

  merge(tokens: ExecutionRow[], selection: FlowSelection): void {
    const survivor = tokens[tokens.length - 1]!;
    for (const t of tokens) {
      if (t === survivor) continue;
      this.history.endActivity(t.activity_instance_id, 'completed');
      this.tree.remove(t);
    }
    survivor.state = 'active';
    this.leave(survivor, selection);
  }

  beginScope(token: ExecutionRow): void {
    token.is_scope = true;
    token.state = 'scope';
  }

  /**
   * The token completes its element and takes the flows the selection allows; an inner instance of a
   * loop returns to its body instead. `completed`: the element had completed before an async-after job.
   */
  leave(token: ExecutionRow, selection: FlowSelection = 'inclusive', completed = false): void {
    const node = this.node(token);
    const role = this.tree.loopRole(token, node);
    let flows: string[] = [];
    if (role !== 'inner') {
      try {
        flows = selectFlows(this.model, node, selection, (c) => evaluateCondition(c, this.variables.visible(token.id)));
      } catch (e) {
        if (!(e instanceof NoFlowProblem) && !(e instanceof ExpressionError)) throw e;
        const text = e instanceof ExpressionError ? `A condition of a flow leaving '${node.id}' cannot be evaluated: ${e.message}` : e.message;
        return this.fail(token, 'conditionError', text, { retry: 'leave', selection, completed });
      }
    }
    if (!completed && !this.#complete(token, node, selection, role)) return;
    if (role === 'inner') return node.multiInstance?.asyncAfter && !completed ? this.#continueAfter(token, node, []) : this.end(token);
    this.variables.deleteLocals(token.id);
    // as in Camunda 7, the flows are chosen before an async-after continuation, which takes them later
    if (node.asyncAfter && !completed) return this.#continueAfter(token, node, flows);
    this.take(token, flows);
  }

  /**
   * As in Camunda 7, a token of its own and an async-after job for each flow taken, so that the job of
   * one flow failing holds up no other; with no flow to take, one job still ends the token.
   */
  #continueAfter(token: ExecutionRow, node: FlowNode, flows: string[]): void {
    const ways = flows.length ? flows.map((flowId) => [flowId]) : [[]];
    this.#branches(token, ways.length).forEach((branch, i) =>
      this.#continueLater(branch, node, 'async-after', JSON.stringify({ flows: ways[i] })));
  }

  /** the token leaves its element by these flows, a token of its own on each */
  take(token: ExecutionRow, flows: string[]): void {
    if (flows.length === 0) return this.end(token);
    this.#branches(token, flows.length).forEach((next, i) => {
      const flowId = flows[i]!;
      next.state = 'active';
      this.enter(next, this.model.flows.get(flowId)!.targetRef, flowId);
    });
  }

  /** the token and `count - 1` new ones beside it, from the same activity instance */
  #branches(token: ExecutionRow, count: number): ExecutionRow[] {
    return Array.from({ length: count }, (_, i) => {
      if (i === 0) return token;
      const branch = this.tree.create(token.parent_id, token.activity_id, { activity_instance_id: token.activity_instance_id });
      this.steps.fork(token, branch);
      return branch;
    });
  }

  /** the activity is done: outputs mapped (by each inner instance of a loop, not its body), work withdrawn; false when an output failed */
  #complete(token: ExecutionRow, node: FlowNode, selection: FlowSelection, role: LoopRole | undefined): boolean {
    if (role !== 'body' && node.outputs.length && !this.#applyOutputs(token, node, selection)) return false;
    completedForCompensation(this, token, node, role);
    this.work.cancel(token);
    this.history.endActivity(token.activity_instance_id, 'completed');
    return true;
  }

  /** output mappings read the activity's scope and write to the enclosing one */
  #applyOutputs(token: ExecutionRow, node: FlowNode, selection: FlowSelection): boolean {
    try {
      const visible = this.variables.visible(token.id);
      const values = node.outputs.map((m) => [m.target, evaluateExpression(m.source, visible)] as const);
      for (const [target, value] of values) this.variables.set(token.parent_id ?? token.id, target, typedFromValue(value));
      return true;
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      this.fail(token, 'failedInstruction', `An output mapping of '${node.id}' cannot be evaluated: ${e.message}`, { retry: 'leave', selection });
      return false;
    }
  }

  end(token: ExecutionRow): void {
    this.history.endActivity(token.activity_instance_id, 'completed');
    this.tree.markEnded(token);
    const scope = this.tree.parent(token);
    try {
      if (scope) this.#scopeBehaviour(scope).childCompleted?.(this, scope, scope.activity_id ? this.node(scope) : undefined, token);
    } catch (e) {
      // a loop's completion condition or output that cannot be evaluated: the inner instance completes again on retry,
      // and until then has not completed, as its loop has not taken it
      if (!(e instanceof ExpressionError)) throw e;
      this.history.reopenActivity(token.activity_instance_id);
      return this.fail(token, 'failedInstruction', `'${token.activity_id}' could not complete: ${e.message}`, { retry: 'leave', completed: true });
    }
    this.variables.deleteLocals(token.id);
    this.tree.remove(token);
  }

  #scopeBehaviour(scope: ExecutionRow): Pick<Behaviour, 'childCompleted'> {
    return this.tree.isRoot(scope) ? processBehaviour : this.behaviourAt(scope);
  }

  completeScope(scope: ExecutionRow): void {
    this.schedule(() => {
      if (!this.tree.has(scope)) return;
      scope.is_scope = false;
      scope.state = 'active';
      this.leave(scope);
    });
  }

  finishInstance(status: 'completed' | 'externally_terminated' | 'terminated', reason: string | null): void {
    const instance = this.instance;
    const end = this.now();
    for (const e of [...this.state.executions.values()]) {
      this.work.cancel(e);
      this.history.endActivity(e.activity_instance_id, 'cancelled');
      this.tree.remove(e);
    }
    instance.status = status;
    instance.end_time = end;
    instance.duration = end.getTime() - new Date(instance.start_time).getTime();
    instance.delete_reason = reason;
    // called instances go with their root (Camunda 7's removal-time strategy "end"), which ends after them
    if (!instance.super_instance_id) instance.removal_time = removalTime(end, this.model.historyTimeToLiveDays ?? this.options.historyTimeToLiveDays);
    this.#agenda.length = 0;
    this.history.event(status === 'completed' ? 'process_manager.instance.completed' : 'process_manager.instance.terminated', {
      instance_id: instance.id, process_definition_key: this.state.definition.key,
      business_key: instance.business_key ?? undefined, duration: instance.duration, end_state: status,
      ...(status === 'completed' ? {} : { reason: reason ?? undefined }),
    });
    if (instance.super_execution_id) this.calls.ended(instance, status, this.variables.typedIn(instance.id));
  }

  cancel(execution: ExecutionRow): void {
    for (const child of this.tree.children(execution.id)) this.cancel(child);
    this.#withdraw(execution);
    this.tree.remove(execution);
  }

  interrupt(execution: ExecutionRow): void {
    for (const child of this.tree.children(execution.id)) this.cancel(child);
    this.#withdraw(execution);
    execution.is_scope = false;
    execution.state = 'active';
    execution.data = null;
  }

  /** what the execution was doing ends, cancelled: its behaviour's own work, its waiting work, its locals */
  #withdraw(execution: ExecutionRow): void {
    if (execution.activity_id && !this.tree.isRoot(execution) && this.history.activity(execution.activity_instance_id)) {
      this.behaviourAt(execution).terminate?.(this, execution, this.node(execution));
    }
    this.work.cancel(execution);
    this.history.endActivity(execution.activity_instance_id, 'cancelled');
    this.variables.deleteLocals(execution.id);
  }

  fail(token: ExecutionRow, type: IncidentKind, message: string, point: RetryPoint = { retry: 'execute' }): void {
    token.state = 'failed';
    token.data = JSON.stringify(point);
    this.openIncident(token, type, message);
  }

  openIncident(token: ExecutionRow, type: IncidentKind, message: string, configuration: string | null = null): IncidentRow {
    const activity = this.history.activity(token.activity_instance_id);
    if (activity) activity.status = 'failed';
    return this.work.openIncident(token, this.node(token), type, this.redacted(token.id, message), configuration);
  }
}
