/**
 * An HTTP call that did not succeed: the network failed, it timed out, or the service answered with a
 * status of 400 or more. The message names the method, the url and what happened, so that the
 * incident a failed call ends in says it all.
 */
export class HttpCallError extends Error {
  /** the status the service answered with; absent when no answer came */
  readonly status?: number;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'HttpCallError';
    this.status = options.status;
  }
}
