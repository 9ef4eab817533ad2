import { parseIsoDateTime } from './iso-date-time.js';
import { parseIsoDuration, type IsoDuration } from './iso-duration.js';
import { TimerValueError } from './timer-value-error.js';

/** an ISO 8601 repeating interval: R3/PT10M, R/PT10M, R3/2026-12-01T10:00:00Z/PT1H */
export interface RepeatingInterval {
  /** firings in all; undefined when unbounded (`R/`) */
  readonly count: number | undefined;
  readonly start: Date | undefined;
  readonly period: IsoDuration;
  /** the period as written, in capitals, to write what is left to repeat */
  readonly periodText: string;
}

// The start is whatever lies between the first and the last slash: a zone such as [Europe/Berlin] has one.
const INTERVAL = /^R(\d*)\/(?:(.+)\/)?([^/]+)$/i;

export const isRepeatingInterval = (text: string): boolean => /^R/i.test(text.trim());

/** reads `text` (R0 included) or throws a TimerValueError naming it */
export function parseRepeatingInterval(text: string): RepeatingInterval {
  const trimmed = text.trim();
  const match = INTERVAL.exec(trimmed);
  const count = match?.[1] ? Number(match[1]) : undefined;
  if (!match || (count !== undefined && !Number.isSafeInteger(count))) {
    throw new TimerValueError(
      `timer cycle '${text}' is not an ISO 8601 repeating interval such as R3/PT10M or R3/2026-12-01T10:00:00Z/PT1H`,
    );
  }
  const [, , startText, periodText = ''] = match;
  const start = startText === undefined ? undefined : parseIsoDateTime(startText);
  if (startText !== undefined && !start) {
    throw new TimerValueError(`timer cycle '${text}': start '${startText}' is not an ISO 8601 date-time such as 2026-12-01T10:00:00Z`);
  }
  const period = parseIsoDuration(periodText, `timer cycle '${text}': period`);
  // A zero period would fire the same instant over and over.
  if (period.months === 0 && period.days === 0 && period.ms === 0) {
    throw new TimerValueError(`timer cycle '${text}': period '${periodText}' is zero; a cycle needs a period longer than zero`);
  }
  return { count, start, period, periodText: periodText.trim().toUpperCase() };
}

/** what is left to repeat once `periods` more of `interval` have passed; undefined when none is left */
export function repeatAfterFiring(interval: RepeatingInterval, periods = 1): string | undefined {
  if (interval.count === undefined) return `R/${interval.periodText}`;
  return interval.count > periods ? `R${interval.count - periods}/${interval.periodText}` : undefined;
}
