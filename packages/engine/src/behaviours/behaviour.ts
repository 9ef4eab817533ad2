// The contract between the interpreter (execution/) and the BPMN semantics (behaviours/). A behaviour is
// stateless and chosen by element kind (registry.ts); it acts on tokens only through the services of its
// context, never on the execution tree itself. The hooks follow Camunda 7's activity behaviours and
// Zeebe's element processors: activate when a token enters, trigger when what it waits for happens,
// childCompleted / childTerminated for containers, terminate when the token is cancelled.
import type { Decision, DecisionResult } from '../decisions/index.js';
import type { Expression } from '../expressions/index.js';
import type { InstanceCalls } from '../execution/instance-calls.js';
import type { ExecutionRow, InstanceRow, SubscriptionRow } from '../execution/instance-state.js';
import type { History } from '../execution/history.js';
import type { Variables } from '../execution/variables.js';
import type { WorkItems } from '../execution/work-items.js';
import type { LoopRole } from '../execution/execution-tree.js';
import type { FlowNode, ProcessModel } from '../model/index.js';
import type { TypedValue } from '../variables/variable-codec.js';

/** which outgoing flows a token takes: the first that holds, every one that holds, or all of them */
export type FlowSelection = 'exclusive' | 'inclusive' | 'all';

/** where a failed token resumes when its incident is retried */
export interface RetryPoint {
  retry: 'execute' | 'leave';
  selection?: FlowSelection;
  /** the activity had already completed (an async-after continuation was choosing its flows) */
  completed?: boolean;
}

export type IncidentKind = 'conditionError' | 'unhandledBpmnError' | 'failedInstruction' | 'failedExternalTask' | 'failedJob';

/** what reached a waiting token */
export interface Trigger {
  /** the element whose event occurred: the token's own, or one of those after its event-based gateway */
  readonly eventId: string;
  /** a call activity's: the variables of the instance it called, which completed */
  readonly called?: ReadonlyMap<string, TypedValue>;
  /** a business rule task's: the decision it evaluated, and what that gave */
  readonly decided?: { readonly decision: Decision; readonly result: DecisionResult };
}

/** What a behaviour may know and do: the instance's services and the transitions of a token's life. */
export interface BehaviourContext {
  readonly model: ProcessModel;
  readonly instance: Readonly<InstanceRow>;
  readonly variables: Variables;
  readonly history: History;
  /** user tasks, external tasks, jobs and subscriptions */
  readonly work: WorkItems;
  /** other instances: the processes call activities call, and the one that called this */
  readonly calls: InstanceCalls;
  now(): Date;
  /** an expression, with the variables visible from the execution */
  evaluate(execution: ExecutionRow, expression: Expression): unknown;
  /** a conditional event's subscription: its condition is evaluated once every token of the command waits */
  evaluateSoon(subscription: SubscriptionRow): void;

  // the execution tree, read only
  execution(id: string): ExecutionRow | undefined;
  node(execution: ExecutionRow): FlowNode;
  parent(execution: ExecutionRow): ExecutionRow | undefined;
  /** the live executions directly beneath a scope execution */
  children(scope: ExecutionRow): ExecutionRow[];
  /** false once the execution has ended or was cancelled */
  alive(execution: ExecutionRow): boolean;
  /** at an element with loop characteristics: the loop's body, or one of its inner instances */
  loopRole(execution: ExecutionRow): LoopRole | undefined;
  /** the process or sub-process whose elements a scope execution runs (none for a loop body) */
  contentScope(scope: ExecutionRow): string | undefined;
  /** the executions waiting at a converging gateway of the scope, in the order they arrived */
  joining(scopeId: string | null, gatewayId: string): ExecutionRow[];

  // transitions
  /** the token completes its element and takes the outgoing flows the selection allows */
  leave(token: ExecutionRow, selection?: FlowSelection): void;
  /** the token's path ends here: its scope learns that a child completed */
  end(token: ExecutionRow): void;
  /** what the waiting token waited for happened: its behaviour's trigger, or it leaves */
  resume(token: ExecutionRow, trigger: Trigger): void;
  /** the token stays at its element until a command triggers it */
  wait(token: ExecutionRow): void;
  /** the token waits at a converging gateway until its behaviour merges the arrived tokens */
  join(token: ExecutionRow): void;
  /** the tokens that joined go on as one, the last to arrive, leaving by the selection */
  merge(tokens: ExecutionRow[], selection: FlowSelection): void;
  /** the token becomes a scope execution, whose children run the element's content */
  beginScope(token: ExecutionRow): void;
  /** the token, which no activity holds, enters the element, which no sequence flow led it to */
  enter(token: ExecutionRow, elementId: string): void;
  /** a new execution beneath the scope enters the element (a start event, a non-interrupting boundary event) */
  enterChild(scope: ExecutionRow, elementId: string): ExecutionRow;
  /** a new execution beneath the scope is at the element, not yet carried out (an event sub-process starting) */
  arriveChild(scope: ExecutionRow, elementId: string): ExecutionRow;
  /** a new inner instance of a loop body's element, with these local variables, carried out at once */
  startInner(body: ExecutionRow, locals: ReadonlyMap<string, TypedValue>): ExecutionRow;
  /** the token completes its element and goes on at one no sequence flow leads to (a link catch event) */
  goTo(token: ExecutionRow, elementId: string): void;
  /** the token is already at the element that occurred (after an event-based gateway): it leaves it */
  passThrough(token: ExecutionRow, elementId: string, flowId: string | null): void;
  /** every child of the scope has ended: the scope execution becomes a token that leaves its element */
  completeScope(scope: ExecutionRow): void;
  /** the execution and everything beneath it end, cancelled */
  cancel(execution: ExecutionRow): void;
  /** an interrupting event stops what the execution does; the execution itself goes on */
  interrupt(execution: ExecutionRow): void;
  /** the instance ends with the status; every execution left ends, cancelled */
  finishInstance(status: 'completed' | 'externally_terminated' | 'terminated', reason: string | null): void;
  /** the token stops with an incident, and resumes at the retry point when it is retried */
  fail(token: ExecutionRow, type: IncidentKind, message: string, point?: RetryPoint): void;
}

export interface Behaviour {
  /** a token entered the element: its input mappings are applied and its boundary events listen */
  activate(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode): void;
  /**
   * containers: the token opens the element as a scope and runs nothing of its content (no start event), as
   * Camunda 7 instantiates the missing ancestors of an activity that a modification starts a token before
   */
  open?(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode): void;
  /** what the waiting token waited for happened; without this hook the token leaves its element */
  trigger?(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode, trigger: Trigger): void;
  /**
   * containers: a child of the scope execution reached its end. The child is still in the tree, its
   * local variables readable, and is removed after this returns.
   */
  childCompleted?(ctx: BehaviourContext, scope: ExecutionRow, node: FlowNode | undefined, child: ExecutionRow): void;
  /** containers: what ran beneath the token was terminated from outside (a called instance) */
  childTerminated?(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode): void;
  /** the token is being cancelled: it withdraws what only its behaviour knows of */
  terminate?(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode): void;
  /** a joining token, once the agenda is empty: true when its behaviour merged it with others */
  settle?(ctx: BehaviourContext, token: ExecutionRow, node: FlowNode): boolean;
}
