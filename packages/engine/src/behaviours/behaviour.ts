// What an element's behaviour may do to the token that entered it. Behaviours are stateless and
// chosen by element kind; the mechanisms (flow selection, scopes, joins, errors, incidents) live in
// the interpreter that implements this interface.
import type { Expression } from '../expressions/index.js';
import type { ExecutionRow } from '../execution/instance-state.js';
import type { FlowNode } from '../model/index.js';

export type FlowSelection = 'exclusive' | 'inclusive' | 'all';

export interface Activation {
  now(): Date;
  evaluate(token: ExecutionRow, expression: Expression): unknown;
  setVariable(token: ExecutionRow, name: string, value: unknown): void;
  /** take the outgoing flows of the token's element */
  leave(token: ExecutionRow, selection: FlowSelection): void;
  /** the token's path ends here (end events) */
  end(token: ExecutionRow): void;
  /** the token stays at its element until a command triggers it */
  wait(token: ExecutionRow): void;
  /** the token waits at a converging gateway until the gateway may fire */
  join(token: ExecutionRow, node: FlowNode, kind: 'parallel' | 'inclusive'): void;
  /** the token becomes the scope of an embedded sub-process, whose start event is entered */
  enterSubProcess(token: ExecutionRow, node: FlowNode): void;
  createUserTask(token: ExecutionRow, node: FlowNode): void;
  createExternalTask(token: ExecutionRow, node: FlowNode): void;
  /** the engine makes the node's HTTP call as a service job; the token waits for its result */
  callService(token: ExecutionRow, node: FlowNode): void;
  /** the token waits at its catch event or receive task for the message, signal or timer it names */
  waitForEvent(token: ExecutionRow, node: FlowNode): void;
  throwSignal(node: FlowNode, signalName: string): void;
  followLink(token: ExecutionRow, node: FlowNode): void;
  /** false when an interrupting catcher ended the thrower's token */
  throwEscalation(token: ExecutionRow, escalationCode: string | undefined): boolean;
  /** the token waits at an event-based gateway for the first of the events after it */
  waitForEvents(token: ExecutionRow, gateway: FlowNode): void;
  throwError(token: ExecutionRow, errorCode: string | undefined, message?: string): void;
  /** terminate end event: every token of the token's scope ends */
  terminateScope(token: ExecutionRow): void;
}

export interface Behaviour {
  execute(activation: Activation, token: ExecutionRow, node: FlowNode): void;
}
