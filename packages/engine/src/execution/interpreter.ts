// The token-flow interpreter. It drains an agenda of "token enters element" steps (never recursing,
// so loops and long chains do not grow the stack) until every token waits, then reports nothing: the
// command that drove it writes the changed state. Model problems become incidents on the token.
import type { HistoryLevel } from '../api/engine.js';
import type { Activation, FlowSelection } from '../behaviours/behaviour.js';
import { behaviourOf } from '../behaviours/registry.js';
import { evaluateCondition, evaluateExpression, ExpressionError, type Expression } from '../expressions/index.js';
import { linkTargets, type FlowNode } from '../model/index.js';
import type { JobHandler } from '../persistence/database.js';
import { buildHttpRequest } from '../connectors/index.js';
import { invalid } from '../errors.js';
import { scheduleTimer, TimerValueError, type TimerKind } from '../timers/index.js';
import { newId } from '../util/ids.js';
import { typedFromValue, type TypedValue } from '../variables/variable-codec.js';
import { selectFlows, NoFlowProblem } from './flow-selection.js';
import { History } from './history.js';
import type { ExecutionRow, IncidentRow, InstanceState, SubscriptionRow } from './instance-state.js';
import { Variables } from './variables.js';
import { retriesOf, WorkItems } from './work-items.js';

export interface InterpreterOptions {
  now: () => Date;
  historyLevel: HistoryLevel;
  /** elements one command may enter before it stops with a failedInstruction incident */
  maxSteps: number;
}

/** where a failed token resumes when its incident is retried */
interface RetryPoint {
  retry: 'execute' | 'leave';
  selection?: FlowSelection;
  /** the activity had already completed (an async-after continuation was choosing its flows) */
  completed?: boolean;
}

export type IncidentKind = 'conditionError' | 'unhandledBpmnError' | 'failedInstruction' | 'failedExternalTask' | 'failedJob';

export class Interpreter implements Activation {
  readonly variables: Variables;
  readonly history: History;
  readonly work: WorkItems;
  readonly #agenda: (() => void)[] = [];
  #steps = 0;

  constructor(readonly state: InstanceState, private readonly options: InterpreterOptions) {
    this.variables = new Variables(state, options.now);
    this.history = new History(state, options.historyLevel, options.now);
    this.work = new WorkItems(state, this.history, options.now);
  }

  now(): Date {
    return this.options.now();
  }

  // ---- entry points for commands

  /** a new instance: the root execution holds the variables, a token enters the start event */
  start(startEventId: string, variables: Map<string, TypedValue>): void {
    const root = this.#newExecution(null, null, { id: this.state.instance.id, is_scope: true, state: 'scope' });
    for (const [name, value] of variables) this.variables.setLocal(root.id, name, value);
    try {
      this.#armEventSubProcesses(root, this.state.model.id);
    } catch (e) {
      // no token holds the process scope yet, where an incident could wait: the start is refused
      if (!(e instanceof ExpressionError)) throw e;
      throw invalid(`The instance cannot start: an event sub-process of process '${this.state.model.id}' cannot listen: ${e.message}`);
    }
    const token = this.#newExecution(root.id, null);
    this.#schedule(() => this.#enter(token, startEventId, null));
    this.run();
  }

  /** a waiting token's work is done (task completed, message received, worker finished) */
  complete(token: ExecutionRow, variables: Map<string, TypedValue> = new Map()): void {
    for (const [name, value] of variables) this.variables.set(token.id, name, value);
    const node = this.#node(token);
    if (node.kind === 'endEvent') this.#endToken(token);
    else this.#leave(token, 'inclusive');
    this.run();
  }

  /** resume a token held by an incident where it failed */
  retry(token: ExecutionRow): void {
    const point: RetryPoint = token.data ? JSON.parse(token.data) : { retry: 'execute' };
    token.state = 'active';
    token.data = null;
    const activity = this.history.activity(token.activity_instance_id);
    if (activity) activity.status = 'active';
    if (point.retry === 'leave') this.#leave(token, point.selection ?? 'inclusive', point.completed);
    else this.#execute(token, this.#node(token));
    this.run();
  }

  /** an async continuation's job runs: the element is carried out, or its outgoing flows taken */
  continueAsync(token: ExecutionRow, handler: 'async-before' | 'async-after', payload: string | null): void {
    token.state = 'active';
    const activity = this.history.activity(token.activity_instance_id);
    if (activity && !activity.end_time) activity.status = 'active';
    if (handler === 'async-before') this.#execute(token, this.#node(token));
    else {
      const flows = chosenFlows(payload);
      if (flows) this.#take(token, flows);
      else this.#leave(token, (payload as FlowSelection | null) ?? 'inclusive', true);
    }
    this.run();
  }

  /**
   * An event the token waits for has occurred: its own catch event or receive task, a boundary event
   * of its activity, one of the events after its event-based gateway, or, when the token is a scope's
   * execution, the start event of an event sub-process of that scope.
   */
  trigger(token: ExecutionRow, eventId: string, variables: Map<string, TypedValue> = new Map()): void {
    const event = this.state.model.elements.get(eventId);
    if (!event) throw new Error(`element ${eventId} is not in the model`);
    if (token.activity_id === eventId) return this.complete(token, variables);
    for (const [name, value] of variables) this.variables.set(token.id, name, value);
    if (event.kind === 'startEvent' || event.kind === 'boundaryEvent') this.#catch({ execution: token, event }, interrupts(event));
    else {
      // the event-based gateway's race is decided: the other events stop waiting
      const gateway = this.#node(token);
      this.work.cancel(token);
      this.history.endActivity(token.activity_instance_id, 'completed');
      const flowId = gateway.outgoing.find((id) => this.state.model.flows.get(id)!.targetRef === eventId) ?? null;
      this.#arrive(token, event, flowId);
      this.#schedule(() => this.#leave(token, 'inclusive'));
    }
    this.run();
  }

  /**
   * A message or signal reached the event its subscription waits at; the audit log records it under
   * `operation`. The subscription is used up, but a non-interrupting boundary or event sub-process start
   * event's, which goes on listening while its activity or scope runs (Camunda 7). False when the
   * subscription's execution is gone (an earlier event of the same delivery ended it).
   */
  deliver(subscription: SubscriptionRow, variables: Map<string, TypedValue>, operation: 'CorrelateMessage' | 'SignalEvent'): boolean {
    const token = subscription.execution_id ? this.state.executions.get(subscription.execution_id) : undefined;
    if (!token) return false;
    this.history.audit({ operation, activity_id: subscription.activity_id, execution_id: token.id, new_value: subscription.event_name });
    const event = this.state.model.elements.get(subscription.activity_id);
    if (!event || interrupts(event)) this.state.subscriptions.delete(subscription.id);
    this.trigger(token, subscription.activity_id, variables);
    return true;
  }

  /** leave the element as if it had completed (incident resolved with skip) */
  skip(token: ExecutionRow): void {
    token.state = 'active';
    token.data = null;
    this.work.cancel(token);
    this.complete(token);
  }

  /** the business error reaches the token's element (a worker's bpmn-error) */
  throwFrom(token: ExecutionRow, errorCode: string, message?: string): void {
    this.throwError(token, errorCode, message);
    this.run();
  }

  /** every token ends and the instance stops with the given status */
  terminateInstance(status: 'externally_terminated' | 'terminated', reason: string | null): void {
    for (const child of this.#children(this.state.instance.id)) this.#cancelTree(child);
    this.#finishInstance(status, reason);
  }

  /** the token's work failed in a way a retry may cure (a service call's result that cannot be mapped) */
  failAt(token: ExecutionRow, message: string): void {
    this.#fail(token, 'failedInstruction', message, { retry: 'execute' });
  }

  openIncident(token: ExecutionRow, type: IncidentKind, message: string, configuration: string | null = null): IncidentRow {
    const activity = this.history.activity(token.activity_instance_id);
    if (activity) activity.status = 'failed';
    return this.work.openIncident(token, this.#node(token), type, message, configuration);
  }

  run(): void {
    do {
      for (let op = this.#agenda.shift(); op; op = this.#agenda.shift()) op();
    } while (this.#fireInclusiveJoin());
  }

  // ---- Activation: what behaviours may do

  evaluate(token: ExecutionRow, expression: Expression): unknown {
    return evaluateExpression(expression, this.variables.visible(token.id));
  }

  setVariable(token: ExecutionRow, name: string, value: unknown): void {
    this.variables.set(token.id, name, typedFromValue(value));
  }

  leave(token: ExecutionRow, selection: FlowSelection): void {
    this.#leave(token, selection);
  }

  end(token: ExecutionRow): void {
    this.#endToken(token);
  }

  wait(token: ExecutionRow): void {
    token.state = 'waiting';
    const activity = this.history.activity(token.activity_instance_id);
    // an async-after continuation waits after its activity has ended, which stays completed
    if (activity && !activity.end_time) activity.status = 'waiting';
  }

  join(token: ExecutionRow, node: FlowNode, kind: 'parallel' | 'inclusive'): void {
    this.wait(token);
    token.state = 'joining';
    if (kind === 'inclusive') return; // decided once the agenda is empty: only then is it known what can still arrive
    const chosen = new Map<string, ExecutionRow>();
    for (const t of this.#joining(token.parent_id, node.id)) if (!chosen.has(t.transition_id ?? '')) chosen.set(t.transition_id ?? '', t);
    if (node.incoming.every((flowId) => chosen.has(flowId))) this.#fire(node, [...chosen.values()], 'all');
  }

  enterSubProcess(token: ExecutionRow, node: FlowNode): void {
    const start = this.state.model.scopes.get(node.id)?.noneStartEvent ?? node.noneStartEvent;
    if (!start) throw new Error(`sub-process ${node.id} has no none start event: the validator should have refused it`);
    token.is_scope = true;
    token.state = 'scope';
    this.#armEventSubProcesses(token, node.id);
    const child = this.#newExecution(token.id, token.activity_id);
    this.#schedule(() => this.#enter(child, start, null));
  }

  createUserTask(token: ExecutionRow, node: FlowNode): void {
    this.work.createUserTask(token, node, (e) => this.evaluate(token, e));
    this.wait(token);
  }

  createExternalTask(token: ExecutionRow, node: FlowNode): void {
    this.work.createExternalTask(token, node, (e) => this.evaluate(token, e));
    this.wait(token);
  }

  callService(token: ExecutionRow, node: FlowNode): void {
    const request = buildHttpRequest(node.httpConnector!, (e) => this.evaluate(token, e));
    this.work.createJob(token, node.id, { type: 'service', handler: 'service', due_at: this.now(), retries: retriesOf(node), payload: JSON.stringify(request) });
    this.wait(token);
  }

  /** the token waits at its catch event or receive task for the message, signal or timer it names */
  waitForEvent(token: ExecutionRow, node: FlowNode): void {
    if (!this.#listen(token, node, 'timer-catch')) throw new Error(`${node.id} waits for no message, signal or timer`);
    this.wait(token);
  }

  /** the signal goes out once this command commits, as a job of its own: the token does not wait for it */
  throwSignal(node: FlowNode, signalName: string): void {
    this.work.createSignalJob(node, signalName);
  }

  /** a link throw event: the token goes on at the link catch event of the same name in its scope */
  followLink(token: ExecutionRow, node: FlowNode): void {
    const [target] = linkTargets(node, this.state.model.scopes.get(node.scopeId)!.children, this.state.model.elements);
    if (!target) throw new Error(`link throw event ${node.id} has no link catch event: the validator should have refused it`);
    if (!this.#complete(token, node, 'inclusive')) return;
    this.#schedule(() => this.#enter(token, target, null));
  }

  waitForEvents(token: ExecutionRow, gateway: FlowNode): void {
    for (const flowId of gateway.outgoing) {
      const target = this.state.model.elements.get(this.state.model.flows.get(flowId)!.targetRef)!;
      if (!this.#listen(token, target, 'timer-catch')) {
        throw new Error(`event-based gateway ${gateway.id} leads to ${target.id}, which catches no message, signal or timer: the validator should have refused it`);
      }
    }
    this.wait(token);
  }

  /** a BPMN error is caught by the innermost catcher (see #catcher), which it always interrupts; uncaught, an incident */
  throwError(token: ExecutionRow, errorCode: string | undefined, message?: string): void {
    const caught = this.#catcher(token, 'error', errorCode);
    if (!caught) {
      const text = `BPMN error '${errorCode ?? ''}'${message ? ` (${message})` : ''} thrown at '${token.activity_id}' is not caught by any boundary event or event sub-process`;
      return this.#fail(token, 'unhandledBpmnError', text, { retry: 'execute' });
    }
    this.#catch(caught, true);
    this.#keepError(caught.execution, caught.event, errorCode, message);
  }

  /**
   * An escalation is caught as an error is, but a non-interrupting catcher lets the thrower go on, and one
   * nobody catches changes nothing. True when the thrower's token goes on.
   */
  throwEscalation(token: ExecutionRow, escalationCode: string | undefined): boolean {
    const caught = this.#catcher(token, 'escalation', escalationCode);
    if (caught) this.#catch(caught, interrupts(caught.event));
    return this.state.executions.has(token.id);
  }

  terminateScope(token: ExecutionRow): void {
    const scopeId = token.parent_id;
    this.#endToken(token, false);
    if (!scopeId) return;
    for (const sibling of this.#children(scopeId)) this.#cancelTree(sibling);
    this.#scopeMayComplete(scopeId);
  }

  // ---- mechanisms

  /**
   * Who catches an error or escalation thrown at the token: going up from it, at each level a boundary
   * event of the activity, then an event sub-process of the scope around it; the innermost wins. An event
   * sub-process does not catch what is thrown inside itself: that goes to the scope above.
   */
  #catcher(token: ExecutionRow, kind: 'error' | 'escalation', code: string | undefined): { execution: ExecutionRow; event: FlowNode } | undefined {
    for (let current: ExecutionRow | undefined = token; current;
      current = current.parent_id ? this.state.executions.get(current.parent_id) : undefined) {
      const node = current.activity_id ? this.state.model.elements.get(current.activity_id) : undefined;
      const boundaryId = current.id === this.state.instance.id ? undefined : this.#catchingBoundary(node, kind, code);
      if (boundaryId) return { execution: current, event: this.state.model.elements.get(boundaryId)! };
      const scope = current.parent_id ? this.state.executions.get(current.parent_id) : undefined;
      const start = scope && !node?.triggeredByEvent ? this.#catchingEventSubProcess(scope, kind, code) : undefined;
      if (scope && start) return { execution: scope, event: start };
    }
    return undefined;
  }

  /** the catcher's boundary event takes the token of its activity (interrupting) or a new one beside it; an event sub-process starts */
  #catch({ execution, event }: { execution: ExecutionRow; event: FlowNode }, interrupting: boolean): void {
    if (event.kind === 'startEvent') return this.#startEventSubProcess(execution, event);
    if (interrupting) {
      this.#interrupt(execution);
      this.#schedule(() => this.#enter(execution, event.id, null));
    } else {
      const branch = this.#newExecution(execution.parent_id, execution.activity_id);
      this.#schedule(() => this.#enter(branch, event.id, null));
    }
  }

  /** on one activity an error or escalation boundary naming the code wins over a catch-all one, wherever it stands */
  #catchingBoundary(node: FlowNode | undefined, kind: 'error' | 'escalation', code: string | undefined): string | undefined {
    const boundaries = (node?.boundaryEvents ?? []).map((id) => this.state.model.elements.get(id)!);
    return bestCatch(boundaries, kind, code)?.id;
  }

  /** the catching event's camunda:errorCodeVariable and errorMessageVariable receive the error's code and message */
  #keepError(execution: ExecutionRow, event: FlowNode, errorCode: string | undefined, message: string | undefined): void {
    const definition = event.eventDefinition;
    if (definition.kind !== 'error') return;
    if (definition.codeVariable) this.variables.set(execution.id, definition.codeVariable, typedFromValue(errorCode ?? null));
    if (definition.messageVariable) this.variables.set(execution.id, definition.messageVariable, typedFromValue(message ?? null));
  }

  /** the start event of an error or escalation event sub-process of the scope execution's scope, one naming the code first */
  #catchingEventSubProcess(scope: ExecutionRow, kind: 'error' | 'escalation', code: string | undefined): FlowNode | undefined {
    return bestCatch(this.#eventSubProcessStarts(scope), kind, code);
  }

  /** the start events of the event sub-processes directly inside the scope the execution runs */
  #eventSubProcessStarts(scope: ExecutionRow): FlowNode[] {
    const scopeId = scope.id === this.state.instance.id ? this.state.model.id : scope.activity_id;
    const model = this.state.model;
    return (model.scopes.get(scopeId ?? '')?.eventSubProcesses ?? []).flatMap((id) => model.scopes.get(id)!.children
      .map((child) => model.elements.get(child)!).filter((node) => node.kind === 'startEvent'));
  }

  /** while a scope runs, the message, signal and timer start events of its event sub-processes listen */
  #armEventSubProcesses(scope: ExecutionRow, scopeId: string): void {
    for (const espId of this.state.model.scopes.get(scopeId)?.eventSubProcesses ?? []) {
      for (const childId of this.state.model.scopes.get(espId)!.children) {
        const start = this.state.model.elements.get(childId)!;
        if (start.kind === 'startEvent') this.#listen(scope, start, 'timer-boundary');
      }
    }
  }

  /**
   * An event sub-process starts in the scope the execution runs. Interrupting, it first ends everything
   * else in the scope, and the other event sub-processes stop listening; the scope's own boundary events
   * stay. Either way it runs as a sub-process beside whatever else runs, and the scope completes once it
   * and everything else has.
   */
  #startEventSubProcess(scope: ExecutionRow, start: FlowNode): void {
    if (interrupts(start)) {
      for (const child of this.#children(scope.id)) this.#cancelTree(child);
      this.work.stopListening(scope, new Set(this.#eventSubProcessStarts(scope).map((s) => s.id)));
    }
    const body = this.#newExecution(scope.id, null);
    this.#arrive(body, this.state.model.elements.get(start.scopeId)!, null);
    body.is_scope = true;
    body.state = 'scope';
    this.#armEventSubProcesses(body, start.scopeId);
    const token = this.#newExecution(body.id, body.activity_id);
    this.#schedule(() => this.#enter(token, start.id, null));
  }

  #enter(token: ExecutionRow, elementId: string, transitionId: string | null): void {
    if (!this.state.executions.has(token.id)) return; // cancelled while the step was queued
    const node = this.state.model.elements.get(elementId);
    if (!node) throw new Error(`element ${elementId} is not in the model`);
    this.#arrive(token, node, transitionId);
    if (++this.#steps > this.options.maxSteps) {
      return this.#fail(token, 'failedInstruction',
        `The instance entered more than ${this.options.maxSteps} elements in one command without reaching a wait state (a loop with no wait?); stopped at '${elementId}'`,
        { retry: 'execute' });
    }
    if (node.asyncBefore) return this.#continueLater(token, node, 'async-before');
    this.#execute(token, node);
  }

  /** the token is at the element: a new activity instance starts */
  #arrive(token: ExecutionRow, node: FlowNode, transitionId: string | null): void {
    token.activity_id = node.id;
    token.transition_id = transitionId;
    token.state = 'active';
    const parent = token.parent_id ? this.state.executions.get(token.parent_id) : undefined;
    token.activity_instance_id = this.history.startActivity(token, node, transitionId, parent?.activity_instance_id ?? null).id;
  }

  /** an async continuation: the command ends here for this token and a job goes on with it */
  #continueLater(token: ExecutionRow, node: FlowNode, handler: 'async-before' | 'async-after', payload: string | null = null): void {
    this.work.createJob(token, node.id, { type: 'async', handler, due_at: this.now(), retries: retriesOf(node), payload });
    this.wait(token);
  }

  #execute(token: ExecutionRow, node: FlowNode): void {
    try {
      for (const mapping of node.inputs) {
        const value = evaluateExpression(mapping.source, this.variables.visible(token.parent_id ?? token.id));
        this.variables.setLocal(token.id, mapping.target, typedFromValue(value));
      }
      this.#armBoundaryEvents(token, node);
      behaviourOf(node.kind).execute(this, token, node);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      this.#fail(token, 'failedInstruction', `'${node.id}' could not be carried out: ${e.message}`, { retry: 'execute' });
    }
  }

  /** timer, message and signal boundary events listen while the activity runs; a retry re-arms only what is missing */
  #armBoundaryEvents(token: ExecutionRow, node: FlowNode): void {
    for (const boundaryId of node.boundaryEvents) {
      const boundary = this.state.model.elements.get(boundaryId)!;
      const armed = (x: { execution_id: string | null; activity_id: string }) => x.execution_id === token.id && x.activity_id === boundaryId;
      if (!this.state.jobs.find(armed) && !this.state.subscriptions.find(armed)) this.#listen(token, boundary, 'timer-boundary');
    }
  }

  /**
   * The execution waits, at the event, for the message, signal or timer the event names: a subscription or
   * a timer job of `handler`. False when the event names none of them (an error or escalation is caught
   * when it is thrown, nothing waits for it).
   */
  #listen(execution: ExecutionRow, event: FlowNode, handler: Extract<JobHandler, 'timer-catch' | 'timer-boundary'>): boolean {
    const definition = event.eventDefinition;
    if (definition.kind === 'timer') this.#timerJob(execution, event, handler);
    else if (definition.kind === 'signal') this.work.subscribe(execution, event, 'signal', definition.signalName);
    else if (definition.kind === 'message') this.work.subscribe(execution, event, 'message', String(this.evaluate(execution, definition.messageName)));
    else return false;
    return true;
  }

  /** the job of a timer event; its value is evaluated now, so a bad value is an incident here */
  #timerJob(token: ExecutionRow, event: FlowNode, handler: Extract<JobHandler, 'timer-catch' | 'timer-boundary'>): void {
    const definition = event.eventDefinition;
    if (definition.kind !== 'timer') throw new Error(`${event.id} is no timer event`);
    const [kind, expression] = timerValue(definition);
    const value = this.evaluate(token, expression);
    try {
      const firing = scheduleTimer(kind, value, this.now());
      this.work.createJob(token, event.id, { type: 'timer', handler, due_at: firing.due, repeat: firing.repeat ?? null, retries: retriesOf(event) });
    } catch (e) {
      if (!(e instanceof TimerValueError)) throw e;
      throw new ExpressionError(`the timer of '${event.id}': ${e.message}`, { expression: expression.source });
    }
  }

  #leave(token: ExecutionRow, selection: FlowSelection, completed = false): void {
    const node = this.#node(token);
    let flows: string[];
    try {
      flows = selectFlows(this.state.model, node, selection, (c) => evaluateCondition(c, this.variables.visible(token.id)));
    } catch (e) {
      if (!(e instanceof NoFlowProblem) && !(e instanceof ExpressionError)) throw e;
      const text = e instanceof ExpressionError ? `A condition of a flow leaving '${node.id}' cannot be evaluated: ${e.message}` : e.message;
      return this.#fail(token, 'conditionError', text, { retry: 'leave', selection, completed });
    }
    if (!completed && !this.#complete(token, node, selection)) return;
    // as in Camunda 7, the flows are chosen before an async-after continuation, which takes them later
    if (node.asyncAfter && !completed) return this.#continueAfter(token, node, flows);
    this.#take(token, flows);
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
  #take(token: ExecutionRow, flows: string[]): void {
    if (flows.length === 0) return this.#endToken(token);
    this.#branches(token, flows.length).forEach((next, i) => {
      const flowId = flows[i]!;
      next.state = 'active';
      const target = this.state.model.flows.get(flowId)!.targetRef;
      this.#schedule(() => this.#enter(next, target, flowId));
    });
  }

  /** the token and `count - 1` new ones beside it, from the same activity instance */
  #branches(token: ExecutionRow, count: number): ExecutionRow[] {
    return Array.from({ length: count }, (_, i) => (i === 0 ? token
      : this.#newExecution(token.parent_id, token.activity_id, { activity_instance_id: token.activity_instance_id })));
  }

  /** the activity is done: outputs mapped, locals and boundary events gone; false when an output failed */
  #complete(token: ExecutionRow, node: FlowNode, selection: FlowSelection): boolean {
    if (node.outputs.length && !this.#applyOutputs(token, node, selection)) return false;
    this.variables.deleteLocals(token.id);
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
      this.#fail(token, 'failedInstruction', `An output mapping of '${node.id}' cannot be evaluated: ${e.message}`, { retry: 'leave', selection });
      return false;
    }
  }

  #endToken(token: ExecutionRow, checkScope = true): void {
    this.history.endActivity(token.activity_instance_id, 'completed');
    this.variables.deleteLocals(token.id);
    this.state.executions.delete(token.id);
    if (checkScope && token.parent_id) this.#scopeMayComplete(token.parent_id);
  }

  #scopeMayComplete(scopeId: string): void {
    const scope = this.state.executions.get(scopeId);
    if (!scope || this.#children(scopeId).length) return;
    if (scope.id === this.state.instance.id) return this.#finishInstance('completed', null);
    // the sub-process is done: its scope execution becomes the token that leaves it
    scope.is_scope = false;
    scope.state = 'active';
    this.#schedule(() => this.#leave(scope, 'inclusive'));
  }

  #finishInstance(status: 'completed' | 'externally_terminated' | 'terminated', reason: string | null): void {
    const instance = this.state.instance;
    const end = this.now();
    for (const e of [...this.state.executions.values()]) {
      this.work.cancel(e);
      this.history.endActivity(e.activity_instance_id, 'cancelled');
      this.state.executions.delete(e.id);
    }
    instance.status = status;
    instance.end_time = end;
    instance.duration = end.getTime() - new Date(instance.start_time).getTime();
    instance.delete_reason = reason;
    this.#agenda.length = 0;
    if (status === 'completed') {
      this.history.event('process_manager.instance.completed', {
        instance_id: instance.id, process_definition_key: this.state.definition.key,
        business_key: instance.business_key ?? undefined, duration: instance.duration, end_state: status,
      });
    }
  }

  /** a cancelled execution and everything beneath it: work withdrawn, history marked cancelled */
  #cancelTree(execution: ExecutionRow): void {
    for (const child of this.#children(execution.id)) this.#cancelTree(child);
    this.work.cancel(execution);
    this.history.endActivity(execution.activity_instance_id, 'cancelled');
    this.variables.deleteLocals(execution.id);
    this.state.executions.delete(execution.id);
  }

  /** an interrupting event stops the activity the execution is at; the execution itself goes on */
  #interrupt(execution: ExecutionRow): void {
    for (const child of this.#children(execution.id)) this.#cancelTree(child);
    this.work.cancel(execution);
    this.history.endActivity(execution.activity_instance_id, 'cancelled');
    this.variables.deleteLocals(execution.id);
    execution.is_scope = false;
    execution.state = 'active';
    execution.data = null;
  }

  #fire(node: FlowNode, tokens: ExecutionRow[], selection: FlowSelection): void {
    const survivor = tokens[tokens.length - 1]!;
    for (const t of tokens) {
      if (t === survivor) continue;
      this.history.endActivity(t.activity_instance_id, 'completed');
      this.state.executions.delete(t.id);
    }
    survivor.state = 'active';
    this.#leave(survivor, selection);
  }

  /** fires one inclusive join that nothing else can reach any more; true if it did */
  #fireInclusiveJoin(): boolean {
    for (const token of this.state.executions.values()) {
      if (token.state !== 'joining' || !token.activity_id) continue;
      const node = this.#node(token);
      if (node.kind !== 'inclusiveGateway' || !this.#inclusiveMayFire(token.parent_id, node)) continue;
      const chosen = new Map<string, ExecutionRow>();
      for (const t of this.#joining(token.parent_id, node.id)) if (!chosen.has(t.transition_id ?? '')) chosen.set(t.transition_id ?? '', t);
      this.#fire(node, [...chosen.values()], 'inclusive');
      return true;
    }
    return false;
  }

  #inclusiveMayFire(scopeId: string | null, node: FlowNode): boolean {
    const reachable = this.state.model.scopes.get(node.scopeId)?.reachable;
    for (const e of this.#children(scopeId)) {
      if (e.state === 'joining' && e.activity_id === node.id) continue;
      if (e.activity_id && reachable?.get(e.activity_id)?.has(node.id)) return false;
    }
    return true;
  }

  #fail(token: ExecutionRow, type: IncidentKind, message: string, point: RetryPoint): void {
    token.state = 'failed';
    token.data = JSON.stringify(point);
    this.openIncident(token, type, message);
  }

  #joining(scopeId: string | null, gatewayId: string): ExecutionRow[] {
    return this.#children(scopeId)
      .filter((t) => t.state === 'joining' && t.activity_id === gatewayId)
      .sort((a, b) => (this.history.activity(a.activity_instance_id)?.seq ?? 0) - (this.history.activity(b.activity_instance_id)?.seq ?? 0));
  }

  #children(parentId: string | null): ExecutionRow[] {
    return this.state.executions.filter((e) => e.parent_id === parentId && e.id !== parentId);
  }

  #node(token: ExecutionRow): FlowNode {
    const node = token.activity_id ? this.state.model.elements.get(token.activity_id) : undefined;
    if (!node) throw new Error(`execution ${token.id} is at no element of the model`);
    return node;
  }

  #newExecution(parentId: string | null, activityId: string | null, fields: Partial<ExecutionRow> = {}): ExecutionRow {
    return this.state.executions.add({
      id: newId(), process_instance_id: this.state.instance.id, parent_id: parentId, activity_id: activityId,
      activity_instance_id: null, transition_id: null, state: 'active', is_scope: false, data: null, ...fields,
    });
  }

  #schedule(op: () => void): void {
    this.#agenda.push(op);
  }
}

/** among catching events, one of the kind naming the code, else one of the kind naming none */
function bestCatch(events: readonly FlowNode[], kind: 'error' | 'escalation', code: string | undefined): FlowNode | undefined {
  const codeOf = (event: FlowNode): string | undefined | null => {
    const definition = event.eventDefinition;
    if (definition.kind === 'error' && kind === 'error') return definition.errorCode;
    if (definition.kind === 'escalation' && kind === 'escalation') return definition.escalationCode;
    return null;
  };
  return events.find((event) => codeOf(event) !== null && codeOf(event) !== undefined && codeOf(event) === code)
    ?? events.find((event) => codeOf(event) === undefined);
}

/** an interrupting boundary event, or the start event of an interrupting event sub-process */
export const interrupts = (event: FlowNode): boolean =>
  event.kind === 'boundaryEvent' ? event.cancelActivity : event.kind === 'startEvent' ? event.isInterrupting : true;

/**
 * The flows an async-after job takes, chosen before it was created: one, or none to end the token. A job
 * of an older version may hold several (they were one job), or only a selection, chosen when it runs.
 */
function chosenFlows(payload: string | null): string[] | undefined {
  return payload?.startsWith('{') ? (JSON.parse(payload) as { flows: string[] }).flows : undefined;
}

function timerValue(definition: { timeDate?: Expression; timeDuration?: Expression; timeCycle?: Expression }): [TimerKind, Expression] {
  if (definition.timeDate) return ['date', definition.timeDate];
  if (definition.timeDuration) return ['duration', definition.timeDuration];
  if (definition.timeCycle) return ['cycle', definition.timeCycle];
  throw new Error('a timer without a value: the compiler should have refused it');
}
