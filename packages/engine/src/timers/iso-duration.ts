import { TimerValueError } from './timer-value-error.js';

/**
 * An ISO 8601 duration split the way it is added: months and days follow the calendar (a month is
 * not a fixed number of days), the rest is exact time.
 */
export interface IsoDuration {
  readonly months: number;
  readonly days: number;
  readonly ms: number;
}

// Only seconds take a fraction, as in xs:duration (Camunda 7) and java.time.Duration (Zeebe).
// PnW stands alone, as Camunda 7 reads it.
const DURATION = /^P(?:(\d+)W|(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?)$/;

const DAY_MS = 86_400_000;

/**
 * Reads `text` (case-insensitive) or throws a TimerValueError that starts with `subject`,
 * e.g. "timer duration" → "timer duration 'P1X' is not an ISO 8601 duration such as PT10M".
 */
export function parseIsoDuration(text: string, subject: string): IsoDuration {
  const upper = text.trim().toUpperCase();
  if (upper.startsWith('-')) {
    throw new TimerValueError(`${subject} '${text}' is negative; expected a duration of zero or more such as PT10M`);
  }
  const match = DURATION.exec(upper);
  // The pattern lets every part be absent; ISO 8601 wants at least one, and one after a T.
  if (!match || upper === 'P' || upper.endsWith('T')) {
    throw new TimerValueError(`${subject} '${text}' is not an ISO 8601 duration such as PT10M`);
  }
  const [, weeks, years, months, days, hours, minutes, seconds] = match.map(numberOf);
  return {
    months: years * 12 + months,
    days: weeks * 7 + days,
    ms: hours * 3_600_000 + minutes * 60_000 + Math.round(seconds * 1000),
  };
}

/**
 * `date` + `duration` in UTC. Adding months keeps the day of the month but stops at the month's last
 * day (Jan 31 + P1M = Feb 29 in a leap year, else Feb 28), as java.time and xs:duration do; days are
 * added after the months. The result is an invalid Date when it is out of the range a Date holds.
 */
export function addIsoDuration(date: Date, duration: IsoDuration): Date {
  const result = new Date(date.getTime());
  if (duration.months !== 0) {
    const day = result.getUTCDate();
    result.setUTCDate(1);
    result.setUTCMonth(result.getUTCMonth() + duration.months);
    result.setUTCDate(Math.min(day, daysInMonth(result)));
  }
  result.setUTCDate(result.getUTCDate() + duration.days);
  return new Date(result.getTime() + duration.ms);
}

/** the length in ms of a duration without months or years, which have no fixed length; undefined otherwise */
export function fixedDurationMs(duration: IsoDuration): number | undefined {
  return duration.months === 0 ? duration.days * DAY_MS + duration.ms : undefined;
}

function numberOf(part: string | undefined): number {
  return Number(part?.replace(',', '.') ?? 0);
}

function daysInMonth(date: Date): number {
  const lastDay = new Date(date.getTime());
  lastDay.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
  return lastDay.getUTCDate();
}
