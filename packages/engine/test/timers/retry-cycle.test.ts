import { describe, expect, it } from 'vitest';
import { parseRetryCycle, retryDelayMs, TimerValueError } from '../../src/timers/index.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('parseRetryCycle', () => {
  it.each([
    ['R5/PT5M', { retries: 5, delays: [5 * MINUTE] }],
    ['r3/pt30s', { retries: 3, delays: [30_000] }],
    ['R1/P1D', { retries: 1, delays: [24 * HOUR] }],
    ['R0/PT5M', { retries: 0, delays: [5 * MINUTE] }],
    ['PT1M,PT5M,PT10M', { retries: 3, delays: [MINUTE, 5 * MINUTE, 10 * MINUTE] }],
    [' PT1M, PT0.5S ,P1W ', { retries: 3, delays: [MINUTE, 500, 7 * 24 * HOUR] }],
    ['PT0S', { retries: 1, delays: [0] }],
  ])('reads %j', (text, policy) => {
    expect(parseRetryCycle(text)).toEqual(policy);
  });

  it.each(['R/PT5M', 'R5', 'R5/2026-12-01T10:00:00Z/PT5M', 'Rx/PT5M'])('refuses %j: a bounded count and a delay', (text) => {
    expect(() => parseRetryCycle(text)).toThrow(
      new TimerValueError(
        `retry cycle '${text}' is not a number of retries and a delay such as R5/PT5M (without an unbounded R/ or a start date)`,
      ),
    );
  });

  it('names the delay it cannot read', () => {
    expect(() => parseRetryCycle('R5/P1X')).toThrow(new TimerValueError("retry cycle 'R5/P1X': delay 'P1X' is not an ISO 8601 duration such as PT10M"));
    expect(() => parseRetryCycle('PT1M,,PT5M')).toThrow(new TimerValueError("retry cycle 'PT1M,,PT5M': delay '' is not an ISO 8601 duration such as PT10M"));
    expect(() => parseRetryCycle('')).toThrow(new TimerValueError("retry cycle '': delay '' is not an ISO 8601 duration such as PT10M"));
    expect(() => parseRetryCycle('PT1M,-PT5M')).toThrow("retry cycle 'PT1M,-PT5M': delay '-PT5M' is negative");
  });

  it('refuses months and years, which have no fixed length in ms', () => {
    expect(() => parseRetryCycle('R2/P1M')).toThrow(
      new TimerValueError("retry cycle 'R2/P1M': delay 'P1M' counts months or years, which have no fixed length; use days such as P30D"),
    );
  });
});

describe('retryDelayMs', () => {
  it('waits the one delay of Rn/ before every retry', () => {
    const policy = parseRetryCycle('R5/PT5M');
    expect([4, 3, 2, 1].map((left) => retryDelayMs(policy, left, 1000))).toEqual([5 * MINUTE, 5 * MINUTE, 5 * MINUTE, 5 * MINUTE]);
  });

  it('waits the listed delays in turn, the first before the first retry', () => {
    const policy = parseRetryCycle('PT1M,PT5M,PT10M');
    expect([2, 1].map((left) => retryDelayMs(policy, left, 1000))).toEqual([MINUTE, 5 * MINUTE]);
  });

  it('repeats the last delay when the list is shorter than the retries', () => {
    const policy = { retries: 5, delays: [MINUTE, 5 * MINUTE] };
    expect([4, 3, 2, 1].map((left) => retryDelayMs(policy, left, 1000))).toEqual([MINUTE, 5 * MINUTE, 5 * MINUTE, 5 * MINUTE]);
  });

  it('backs off exponentially from baseMs without delays', () => {
    const policy = { retries: 5 };
    expect([4, 3, 2, 1].map((left) => retryDelayMs(policy, left, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs({ retries: 3, delays: [] }, 1, 1000)).toBe(2000);
  });

  it('caps the backoff at one hour', () => {
    // attempt 6: 1 min * 2^5 = 32 min; attempt 7 would be 64 min
    expect(retryDelayMs({ retries: 10 }, 4, MINUTE)).toBe(32 * MINUTE);
    expect(retryDelayMs({ retries: 10 }, 3, MINUTE)).toBe(HOUR);
    expect(retryDelayMs({ retries: 2000 }, 1, 1000)).toBe(HOUR);
    expect(retryDelayMs({ retries: 2 }, 1, 2 * HOUR)).toBe(HOUR);
  });

  it('waits as for the first retry when retries were raised above the policy', () => {
    expect(retryDelayMs({ retries: 3 }, 7, 1000)).toBe(1000);
    expect(retryDelayMs({ retries: 3, delays: [MINUTE, 5 * MINUTE] }, 3, 1000)).toBe(MINUTE);
  });

  it('refuses to compute a wait when no retry is left', () => {
    expect(() => retryDelayMs({ retries: 3 }, 0, 1000)).toThrow(new RangeError('no retry is left to wait for (retriesLeft: 0)'));
  });
});
