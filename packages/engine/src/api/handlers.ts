// The in-process workers of service-task topics (Engine.handle).
import type { LockedExternalTask } from './types.js';

/**
 * An in-process worker for a service-task topic. It gets the task locked for it, with its variables;
 * what it returns becomes process variables. Throwing a BpmnError raises that error at the task; any
 * other error counts as a failed attempt (retries with backoff, then a failedExternalTask incident).
 */
export type ServiceHandler = (task: LockedExternalTask, context: HandlerContext) =>
  Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface HandlerContext {
  /**
   * Aborted when the engine, closing, stops waiting for its handlers (`closeTimeoutMs`): what the
   * handler returns afterwards is not reported, and the task is worked again once its lock expires.
   */
  signal: AbortSignal;
}

export interface HandleOptions {
  /** ms a task stays locked for this handler (default 60,000) */
  lock_duration?: number;
  /** tasks of this topic worked at once in this process (default 10) */
  concurrency?: number;
}
