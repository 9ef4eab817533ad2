// What one instance asks of the others of its tree (call activities), and of the deployed decisions: the
// interpreter of one instance never reaches another's state, nor the store. The command that runs it
// carries these requests out once the interpreter has run, in the same transaction, and answers through
// the interpreters of the instances concerned.
import type { VersionBinding } from '../definitions/version-binding.js';
import type { TypedValue } from '../variables/variable-codec.js';
import type { ExecutionRow, InstanceRow } from './instance-state.js';

/** the process a call activity calls, as its expressions evaluated */
export interface ProcessCall extends VersionBinding {
  readonly processKey: string;
  readonly businessKey?: string | null;
  readonly variables: ReadonlyMap<string, TypedValue>;
}

/** the decision a business rule task evaluates, as its expressions evaluated, with the variables it sees */
export interface DecisionCall extends VersionBinding {
  readonly decisionKey: string;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** an error or escalation that nothing in its instance catches */
export interface Thrown {
  readonly kind: 'error' | 'escalation';
  readonly code: string | undefined;
  readonly message?: string;
}

/**
 * how an error or escalation thrown up to the callers ended; `failed`: a call activity on the way could
 * not take the variables its called instance passes back, and it went no further
 */
export type PropagationOutcome = 'interrupted' | 'continued' | 'uncaught' | { readonly failed: string };

export interface InstanceCalls {
  /**
   * the business rule task's token evaluates a deployed decision, which needs the store: the token waits
   * for its result (or an incident), which comes in the same command
   */
  decide(token: ExecutionRow, call: DecisionCall): void;
  /** the call activity's token calls a process; the token waits until the called instance ends */
  callProcess(token: ExecutionRow, call: ProcessCall): void;
  /** the instance a call activity called ends too (status terminated), with what it called in turn */
  terminate(calledInstanceId: string): void;
  /** the instance ended: the call activity that called it, if any, learns how */
  ended(instance: InstanceRow, status: 'completed' | 'externally_terminated' | 'terminated', variables: ReadonlyMap<string, TypedValue>): void;
  /**
   * nothing in this instance catches what the token threw: the call activities above try; the token waits
   * for the outcome
   */
  propagate(thrower: ExecutionRow, thrown: Thrown): void;
}

