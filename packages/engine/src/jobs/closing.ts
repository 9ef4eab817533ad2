// For closing: what close() waits for may never end (a handler that hangs, a service that does not
// answer, a Redis that is away), so it waits until the work ends or the engine gives up on it, and the
// work it gave up on is told to stop.

/**
 * Whether the promise settles before the signal aborts (false at once when it already has; with no
 * signal, it is waited for). A rejection before then is passed on.
 */
export function settlesBefore(promise: Promise<unknown>, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) return promise.then(() => true);
  if (signal.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve, reject) => {
    const stop = () => resolve(false);
    signal.addEventListener('abort', stop, { once: true });
    promise.then(() => resolve(true), reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** whether the promise settles within the time; a rejection within it is passed on */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), ms);
  try {
    return await settlesBefore(promise, timeout.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the work with a signal of its own that aborts when `givenUp` does. Its own, because the work
 * hands it to code that may keep what it is given (a handler, fetch): the engine's signal lives as long
 * as the engine, one of a run is let go when the run ends.
 */
export async function cancellable<T>(givenUp: AbortSignal, work: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
  const own = new AbortController();
  const abort = () => own.abort();
  givenUp.addEventListener('abort', abort, { once: true });
  try {
    return await work(own.signal);
  } finally {
    givenUp.removeEventListener('abort', abort);
  }
}
