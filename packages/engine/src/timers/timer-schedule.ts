// When a BPMN timer fires, from its value after the expression was evaluated. Reads what Camunda 7
// and Zeebe accept; everything is UTC.
import { nextCronFiring } from './cron-schedule.js';
import { parseIsoDateTime } from './iso-date-time.js';
import { addIsoDuration, fixedDurationMs, parseIsoDuration, type IsoDuration } from './iso-duration.js';
import { isRepeatingInterval, parseRepeatingInterval, repeatAfterFiring } from './repeating-interval.js';
import { TimerValueError } from './timer-value-error.js';

export { TimerValueError } from './timer-value-error.js';

export type TimerKind = 'date' | 'duration' | 'cycle';

export interface Firing {
  /** when the timer fires; a moment already past means at once */
  due: Date;
  /** for cycles: what is left to schedule after this firing (e.g. 'R2/PT10M', or the same cron), undefined when nothing is left */
  repeat?: string;
}

const EXPECTED: Record<TimerKind, string> = {
  date: 'an ISO 8601 date-time such as 2026-12-01T10:00:00Z',
  duration: 'an ISO 8601 duration such as PT10M',
  cycle: 'an ISO 8601 repeating interval such as R3/PT10M or a cron expression such as 0 0/5 * * * ?',
};

/**
 * The first firing of a timer reached at `now`; throws TimerValueError naming the value and what is wrong.
 * A date in the past is returned as it is. A cycle with a start date fires first at the start, also
 * when the start is past (then at once), where Camunda 7 would skip to the first firing after `now`;
 * every later firing skips what was missed (nextFiring).
 */
export function scheduleTimer(kind: TimerKind, value: unknown, now: Date): Firing {
  if (kind === 'date') return { due: dateOf(value) };
  const text = textOf(kind, value);
  if (kind === 'duration') return { due: later(now, parseIsoDuration(text, 'timer duration'), `timer duration '${text}'`) };
  if (!isRepeatingInterval(text)) {
    const due = nextCronFiring(text, now);
    if (!due) throw new TimerValueError(`timer cycle '${text}' has no firing after ${now.toISOString()}`);
    return { due, repeat: text };
  }
  const interval = parseRepeatingInterval(text);
  if (interval.count === 0) throw new TimerValueError(`timer cycle '${text}' repeats 0 times, so it never fires`);
  return firing(interval.start ?? later(now, interval.period, `timer cycle '${text}'`), repeatAfterFiring(interval));
}

/**
 * The firing after one that was due at `previousDue`, from what its `repeat` said; undefined when
 * exhausted. As in Camunda 7 it is the first firing of the cycle after `now`, so that after a stop the
 * firings missed meanwhile are skipped rather than run one after another, and, as Camunda 7 counts a
 * cycle's repetitions from its start, the skipped ones are used up too. A firing run before it was due
 * (executeJob) keeps the beat: the next one still comes after `previousDue`.
 */
export function nextFiring(repeat: string, previousDue: Date, now: Date): Firing | undefined {
  const text = repeat.trim();
  const after = previousDue > now ? previousDue : now;
  if (!isRepeatingInterval(text)) {
    const due = nextCronFiring(text, after);
    return due && { due, repeat: text };
  }
  const interval = parseRepeatingInterval(text);
  if (interval.start) throw new TimerValueError(`timer repeat '${text}' has a start date; only the first firing of a cycle takes one`);
  const next = firstPeriodAfter(previousDue, interval.period, after, `timer repeat '${text}'`);
  if (interval.count !== undefined && next.periods > interval.count) return undefined;
  return firing(next.due, repeatAfterFiring(interval, next.periods));
}

/** the first of `from` + n periods (n ≥ 1) strictly after `after`, and that n */
function firstPeriodAfter(from: Date, period: IsoDuration, after: Date, subject: string): { due: Date; periods: number } {
  const ms = fixedDurationMs(period);
  if (ms !== undefined) {
    // a short period after a long stop would take too many steps one at a time
    const periods = Math.floor((after.getTime() - from.getTime()) / ms) + 1;
    return { due: later(from, { months: 0, days: 0, ms: periods * ms }, subject), periods };
  }
  // months follow the calendar, so each firing counts from the one before (Jan 31, Feb 29, Mar 29)
  let due = later(from, period, subject);
  let periods = 1;
  for (; due <= after; periods++) due = later(due, period, subject);
  return { due, periods };
}

function firing(due: Date, repeat: string | undefined): Firing {
  return repeat === undefined ? { due } : { due, repeat };
}

function later(from: Date, duration: IsoDuration, subject: string): Date {
  const due = addIsoDuration(from, duration);
  if (Number.isNaN(due.getTime())) throw new TimerValueError(`${subject} reaches past the last date a timer can hold`);
  return due;
}

function dateOf(value: unknown): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TimerValueError(`timer date is an invalid Date; expected ${EXPECTED.date}`);
    return new Date(value.getTime());
  }
  const text = textOf('date', value);
  const due = parseIsoDateTime(text);
  if (!due) throw new TimerValueError(`timer date '${text}' is not ${EXPECTED.date}`);
  return due;
}

function textOf(kind: TimerKind, value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value === null || value === undefined) throw new TimerValueError(`timer ${kind} has no value; expected ${EXPECTED[kind]}`);
  // A bare number has no unit: milliseconds, seconds? Neither Camunda 7 nor Zeebe guesses, nor does this.
  if (typeof value === 'number') {
    throw new TimerValueError(`timer ${kind} ${value} is a number, which is not read as a time; expected ${EXPECTED[kind]}`);
  }
  const type = value instanceof Date ? 'a Date' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  throw new TimerValueError(`timer ${kind} is ${type}; expected ${EXPECTED[kind]}`);
}
