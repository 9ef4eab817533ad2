// camunda:failedJobRetryTimeCycle: how often a failing job is retried and how long it waits in between.
import { fixedDurationMs, parseIsoDuration } from './iso-duration.js';
import { TimerValueError } from './timer-value-error.js';

export interface RetryPolicy {
  retries: number;
  /** delay in ms before retry k (k = 1 for the first retry); undefined → use the engine's default backoff */
  delays?: readonly number[];
}

const MAX_BACKOFF_MS = 3_600_000;

/** 'R5/PT5M' → { retries: 5, delays: [300000] }; 'PT1M,PT5M,PT10M' → { retries: 3, delays: [60000, 300000, 600000] }; throws TimerValueError when unreadable */
export function parseRetryCycle(text: string): RetryPolicy {
  const trimmed = text.trim();
  if (/^R/i.test(trimmed)) {
    const match = /^R(\d+)\/([^/]+)$/i.exec(trimmed);
    // A retry count has to end, and a start date means nothing for a retry.
    if (!match || !Number.isSafeInteger(Number(match[1]))) {
      throw new TimerValueError(
        `retry cycle '${text}' is not a number of retries and a delay such as R5/PT5M (without an unbounded R/ or a start date)`,
      );
    }
    return { retries: Number(match[1]), delays: [delayMs(match[2], text)] };
  }
  const delays = trimmed.split(',').map((part) => delayMs(part, text));
  return { retries: delays.length, delays };
}

/**
 * ms to wait before the next attempt, after a failure that left `retriesLeft` (> 0) of `policy.retries`:
 * with delays, the delay for that attempt (the last delay repeats when the list is shorter); without,
 * baseMs * 2^(attempt-1) capped at 1 hour. The attempt is policy.retries - retriesLeft, from 1.
 */
export function retryDelayMs(policy: RetryPolicy, retriesLeft: number, baseMs: number): number {
  if (!(retriesLeft > 0)) throw new RangeError(`no retry is left to wait for (retriesLeft: ${retriesLeft})`);
  // Retries set by hand can exceed the policy's count; the retry after such a reset waits like the first.
  const attempt = Math.max(1, policy.retries - retriesLeft);
  const { delays } = policy;
  if (delays !== undefined && delays.length > 0) return delays[Math.min(attempt, delays.length) - 1];
  return Math.min(baseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}

function delayMs(part: string, text: string): number {
  const ms = fixedDurationMs(parseIsoDuration(part, `retry cycle '${text}': delay`));
  if (ms === undefined) {
    throw new TimerValueError(`retry cycle '${text}': delay '${part.trim()}' counts months or years, which have no fixed length; use days such as P30D`);
  }
  return ms;
}
