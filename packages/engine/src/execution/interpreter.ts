// The token-flow interpreter of one instance: the entry points commands call. Each changes the state in
// memory and runs the agenda (never recursing, so loops and long chains do not grow the stack) until
// every token waits; the command that drove it writes the changed state. Model problems become
// incidents on the token. The mechanism is transitions.ts, the BPMN semantics behaviours/.
import type { Decision, DecisionResult } from '../decisions/index.js';
import type { FlowSelection, IncidentKind, RetryPoint } from '../behaviours/behaviour.js';
import { catchEvent } from '../behaviours/catch-event.js';
import { deliver, eventOccurred } from '../behaviours/event-definitions/deliver.js';
import { throwError, uncaughtError } from '../behaviours/event-definitions/error.js';
import { findCatcher, keepCaught } from '../behaviours/event-definitions/find-catcher.js';
import { listenInScope } from '../behaviours/activities/event-sub-process.js';
import { passBack } from '../behaviours/activities/call-activity.js';
import { ExpressionError } from '../expressions/index.js';
import type { ProcessModel } from '../model/index.js';
import { invalid } from '../errors.js';
import type { TypedValue } from '../variables/variable-codec.js';
import type { InstanceCalls, PropagationOutcome, Thrown } from './instance-calls.js';
import type { DefinitionInfo, ExecutionRow, IncidentRow, InstanceState, SubscriptionRow } from './instance-state.js';
import { chosenFlows } from './flow-selection.js';
import { listenAfterMigration, migrateRows, type MigrationMapping } from './migration.js';
import { modify, type ModificationStep } from './modification.js';
import { StepLimit } from './step-limit.js';
import { Transitions, type InterpreterOptions } from './transitions.js';

export type { InterpreterOptions } from './transitions.js';
export type { ModificationStep } from './modification.js';
export { StepLimit } from './step-limit.js';
export type { IncidentKind } from '../behaviours/behaviour.js';

const NO_VARIABLES: ReadonlyMap<string, TypedValue> = new Map();

export class Interpreter {
  readonly #t: Transitions;

  constructor(state: InstanceState, options: InterpreterOptions, calls: InstanceCalls, steps: StepLimit) {
    this.#t = new Transitions(state, calls, options, steps);
  }

  get state() {
    return this.#t.state;
  }

  get variables() {
    return this.#t.variables;
  }

  get history() {
    return this.#t.history;
  }

  get work() {
    return this.#t.work;
  }

  now(): Date {
    return this.#t.now();
  }

  /** an error text to store beside the execution, the protected values it sees masked in it */
  redacted(executionId: string, text: string): string {
    return this.#t.redacted(executionId, text);
  }

  /** a new instance: the root execution holds the variables, a token enters the start event */
  start(startEventId: string, variables: ReadonlyMap<string, TypedValue>): void {
    const t = this.#t;
    const root = t.tree.create(null, null, { id: this.state.instance.id, is_scope: true, state: 'scope' });
    for (const [name, value] of variables) t.variables.setLocal(root.id, name, value);
    try {
      listenInScope(t, root);
    } catch (e) {
      // no token holds the process scope yet, where an incident could wait: the start is refused
      if (!(e instanceof ExpressionError)) throw e;
      throw invalid(`The instance cannot start: an event sub-process of process '${this.state.model.id}' cannot listen: ${e.message}`);
    }
    t.enterChild(root, startEventId);
    t.run();
  }

  /** a waiting token's work is done (task completed, message received, worker finished) */
  complete(token: ExecutionRow, variables: ReadonlyMap<string, TypedValue> = NO_VARIABLES): void {
    for (const [name, value] of variables) this.#t.variables.set(token.id, name, value);
    this.#t.resume(token, { eventId: token.activity_id! });
    this.#t.run();
  }

  /** what variables changed outside a token's work lets go on: conditional events */
  settle(): void {
    this.#t.run();
  }

  /** every conditional event of the instance evaluates its condition, as after an activation */
  evaluateConditions(): void {
    this.#t.evaluateAllConditions();
    this.#t.run();
  }

  /** resume a token held by an incident where it failed */
  retry(token: ExecutionRow): void {
    const point: RetryPoint = token.data ? JSON.parse(token.data) : { retry: 'execute' };
    token.state = 'active';
    token.data = null;
    this.#reactivate(token);
    if (point.retry === 'leave') this.#t.leave(token, point.selection ?? 'inclusive', point.completed);
    else this.#t.activate(token, this.#t.node(token));
    this.#t.run();
  }

  /** an async continuation's job runs: the element is carried out, or its outgoing flows taken */
  continueAsync(token: ExecutionRow, handler: 'async-before' | 'async-after', payload: string | null): void {
    token.state = 'active';
    this.#reactivate(token);
    if (handler === 'async-before') this.#t.activate(token, this.#t.node(token));
    else {
      const flows = chosenFlows(payload);
      if (flows) this.#t.take(token, flows);
      else this.#t.leave(token, (payload as FlowSelection | null) ?? 'inclusive', true);
    }
    this.#t.run();
  }

  /** an activity that waited or failed is active again, unless it had already ended (async-after) */
  #reactivate(token: ExecutionRow): void {
    const activity = this.history.activity(token.activity_instance_id);
    if (activity && !activity.end_time) activity.status = 'active';
  }

  /** an event the token waits for has occurred (deliver.ts says which); its variables go to the token's scopes */
  trigger(token: ExecutionRow, eventId: string, variables: ReadonlyMap<string, TypedValue> = NO_VARIABLES): void {
    for (const [name, value] of variables) this.#t.variables.set(token.id, name, value);
    eventOccurred(this.#t, token, eventId);
    this.#t.run();
  }

  /** a message or signal reached the event its subscription waits at (deliver.ts); false when its execution is gone */
  deliver(subscription: SubscriptionRow, variables: ReadonlyMap<string, TypedValue>, operation: 'CorrelateMessage' | 'SignalEvent'): boolean {
    const delivered = deliver(this.#t, subscription, variables, operation);
    this.#t.run();
    return delivered;
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
    throwError(this.#t, token, errorCode, message);
    this.#t.run();
  }

  /** tokens started and activity instances cancelled, step by step (process instance modification) */
  modify(steps: readonly ModificationStep[], reason: string): void {
    modify(this.#t, steps, reason);
    this.#t.run();
  }

  /**
   * the instance runs the target from now on, and what the target adds around what runs listens, as do the
   * events of `retrigger` with the target's trigger (migration.ts)
   */
  migrate(target: { info: DefinitionInfo; model: ProcessModel }, mapping: MigrationMapping, retrigger: ReadonlySet<string>): void {
    listenAfterMigration(this.#t, migrateRows(this.state, target, mapping, retrigger));
  }

  /** every token ends and the instance stops with the given status */
  terminateInstance(status: 'externally_terminated' | 'terminated', reason: string | null): void {
    const root = this.#t.tree.get(this.state.instance.id);
    if (root) for (const child of this.#t.children(root)) this.#t.cancel(child);
    this.#t.finishInstance(status, reason);
  }

  /** the token's work failed in a way a retry may cure (a service call's result that cannot be mapped) */
  failAt(token: ExecutionRow, message: string): void {
    this.#t.fail(token, 'failedInstruction', message);
  }

  openIncident(token: ExecutionRow, type: IncidentKind, message: string, configuration: string | null = null): IncidentRow {
    return this.#t.openIncident(token, type, message, configuration);
  }

  // ---- what other instances of the tree tell this one (instance-calls.ts)

  /** the decision the business rule task's token asked for gave its result */
  decided(token: ExecutionRow, decided: { decision: Decision; result: DecisionResult }): void {
    this.#t.resume(token, { eventId: token.activity_id!, decided });
    this.#t.run();
  }

  /** the instance the call activity's token called has ended */
  calledEnded(token: ExecutionRow, status: 'completed' | 'externally_terminated', variables: ReadonlyMap<string, TypedValue>): void {
    const t = this.#t;
    const behaviour = t.behaviourAt(token);
    if (status === 'completed') t.resume(token, { eventId: token.activity_id!, called: variables });
    else behaviour.childTerminated?.(t, token, t.node(token));
    t.run();
  }

  /**
   * An error or escalation nobody caught in the instance the token's call activity called (whose
   * variables are `called`): does this one? As in Camunda 7, the called instance's variables pass back on
   * the way, caught here or not.
   */
  catchThrown(callToken: ExecutionRow, thrown: Thrown, called: ReadonlyMap<string, TypedValue>): PropagationOutcome {
    const t = this.#t;
    const node = t.node(callToken);
    const failure = node.calledElement?.outputsOnThrow ? passBack(t, callToken, node, called) : undefined;
    if (failure) return { failed: `${failure}; the ${thrown.kind} '${thrown.code ?? ''}' thrown here goes no further` };
    const catcher = findCatcher(t, callToken, thrown.kind, thrown.code);
    if (!catcher) return 'uncaught';
    const calling = callToken.activity_instance_id;
    catchEvent(t, catcher.execution, catcher.event);
    keepCaught(t, catcher, thrown.code, thrown.message);
    t.run();
    // an interrupting boundary event of the call activity itself goes on with the call activity's execution
    return t.alive(callToken) && callToken.activity_instance_id === calling ? 'continued' : 'interrupted';
  }

  /** what the token threw to the callers of its instance was caught there without ending it, or not at all */
  thrownOutcome(thrower: ExecutionRow, thrown: Thrown, outcome: Exclude<PropagationOutcome, 'interrupted'>): void {
    // a retry throws it again
    if (typeof outcome === 'object') this.#t.fail(thrower, 'failedInstruction', outcome.failed);
    else if (thrown.kind === 'error' && outcome === 'uncaught') uncaughtError(this.#t, thrower, thrown.code, thrown.message);
    else this.#t.resume(thrower, { eventId: thrower.activity_id! });
    this.#t.run();
  }
}

