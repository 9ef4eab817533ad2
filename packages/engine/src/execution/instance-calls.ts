// What one instance asks of the others of its tree (call activities): the interpreter of one instance
// never reaches another's state. The command that runs it carries these requests out once the
// interpreter has run, in the same transaction, and answers through the interpreters of the instances
// concerned.
import type { TypedValue } from '../variables/variable-codec.js';
import type { ExecutionRow, InstanceRow } from './instance-state.js';

/** the process a call activity calls, as its expressions evaluated */
export interface ProcessCall {
  readonly processKey: string;
  readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  readonly version?: number;
  readonly versionTag?: string;
  /** the tenant to look the process up in; undefined: the caller's */
  readonly tenantId?: string | null;
  readonly businessKey?: string | null;
  readonly variables: ReadonlyMap<string, TypedValue>;
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

