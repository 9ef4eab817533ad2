import { describe, expect, it } from 'vitest';
import { scheduleTimer, TimerValueError } from '../../src/timers/index.js';

const now = new Date('2026-06-15T08:00:00Z');
const at = (iso: string) => new Date(iso);

describe('scheduleTimer: date', () => {
  it.each([
    ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01T10:00:00+01:00', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T10:00:00-0530', '2026-12-01T15:30:00.000Z'],
    ['2026-12-01T10:00:00+02', '2026-12-01T08:00:00.000Z'],
    ['2026-12-01T10:00:00.250Z', '2026-12-01T10:00:00.250Z'],
    ['2026-12-01T10:00Z', '2026-12-01T10:00:00.000Z'],
    ['2028-02-29T23:59:59Z', '2028-02-29T23:59:59.000Z'],
    ['  2026-12-01T10:00:00Z\n', '2026-12-01T10:00:00.000Z'],
  ])('reads %s', (value, due) => {
    expect(scheduleTimer('date', value, now)).toEqual({ due: at(due) });
  });

  it('reads a date-time without an offset as UTC, whatever the server zone', () => {
    expect(scheduleTimer('date', '2026-12-01T10:00:00', now)).toEqual({ due: at('2026-12-01T10:00:00Z') });
  });

  it('reads a date alone as midnight UTC', () => {
    expect(scheduleTimer('date', '2026-12-01', now)).toEqual({ due: at('2026-12-01T00:00:00Z') });
  });

  it("reads Zeebe's zone suffix through the offset before it", () => {
    expect(scheduleTimer('date', '2026-12-01T10:00:00+01:00[Europe/Berlin]', now)).toEqual({ due: at('2026-12-01T09:00:00Z') });
  });

  it('takes a Date as it is, as a copy', () => {
    const value = at('2026-12-01T10:00:00Z');
    const firing = scheduleTimer('date', value, now);
    expect(firing).toEqual({ due: at('2026-12-01T10:00:00Z') });
    expect(firing.due).not.toBe(value);
  });

  it('returns a past date unchanged, for the caller to fire at once', () => {
    expect(scheduleTimer('date', '2020-01-01T00:00:00Z', now)).toEqual({ due: at('2020-01-01T00:00:00Z') });
  });

  it.each([
    '2026-02-30T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T10:60:00Z',
    '2026-12-01T10:00:00+19:00',
    '2026-12-01T10:00:00[Europe/Berlin]',
    '01.12.2026 10:00',
    'tomorrow',
    '',
  ])('refuses %j', (value) => {
    expect(() => scheduleTimer('date', value, now)).toThrow(
      new TimerValueError(`timer date '${value.trim()}' is not an ISO 8601 date-time such as 2026-12-01T10:00:00Z`),
    );
  });

  it('refuses an invalid Date, a number, and no value', () => {
    expect(() => scheduleTimer('date', new Date('nonsense'), now)).toThrow(
      'timer date is an invalid Date; expected an ISO 8601 date-time such as 2026-12-01T10:00:00Z',
    );
    expect(() => scheduleTimer('date', 1_796_119_200_000, now)).toThrow(
      'timer date 1796119200000 is a number, which is not read as a time; expected an ISO 8601 date-time such as 2026-12-01T10:00:00Z',
    );
    expect(() => scheduleTimer('date', null, now)).toThrow('timer date has no value; expected an ISO 8601 date-time such as 2026-12-01T10:00:00Z');
  });
});

describe('scheduleTimer: duration', () => {
  it.each([
    ['PT10M', '2026-06-15T08:10:00.000Z'],
    ['P1DT2H30M', '2026-06-16T10:30:00.000Z'],
    ['PT36H', '2026-06-16T20:00:00.000Z'],
    ['PT0.5S', '2026-06-15T08:00:00.500Z'],
    ['PT1,25S', '2026-06-15T08:00:01.250Z'],
    ['pt1m', '2026-06-15T08:01:00.000Z'],
    ['P2W', '2026-06-29T08:00:00.000Z'],
    ['P1Y2M3D', '2027-08-18T08:00:00.000Z'],
    ['PT0S', '2026-06-15T08:00:00.000Z'],
    [' PT10M ', '2026-06-15T08:10:00.000Z'],
  ])('%s after now', (value, due) => {
    expect(scheduleTimer('duration', value, now)).toEqual({ due: at(due) });
  });

  // Months keep the day of the month but stop at the month's last day, as java.time and xs:duration do.
  it.each([
    ['2028-01-31T09:00:00Z', 'P1M', '2028-02-29T09:00:00.000Z'],
    ['2026-01-31T09:00:00Z', 'P1M', '2026-02-28T09:00:00.000Z'],
    ['2028-01-30T09:00:00Z', 'P1M', '2028-02-29T09:00:00.000Z'],
    ['2028-02-29T09:00:00Z', 'P1Y', '2029-02-28T09:00:00.000Z'],
    ['2028-03-31T09:00:00Z', 'P1M', '2028-04-30T09:00:00.000Z'],
    ['2028-01-31T09:00:00Z', 'P1M1D', '2028-03-01T09:00:00.000Z'],
    ['2026-12-31T09:00:00Z', 'P2M', '2027-02-28T09:00:00.000Z'],
  ])('from %s, %s is %s', (from, value, due) => {
    expect(scheduleTimer('duration', value, at(from))).toEqual({ due: at(due) });
  });

  it.each(['P1X', 'P', 'PT', 'P1DT', 'P1.5D', 'PT1.5M', 'P1W2D', 'T10M', '10 minutes', 'P-1D', ''])('refuses %j', (value) => {
    expect(() => scheduleTimer('duration', value, now)).toThrow(
      new TimerValueError(`timer duration '${value}' is not an ISO 8601 duration such as PT10M`),
    );
  });

  it('refuses a negative duration', () => {
    expect(() => scheduleTimer('duration', '-PT5M', now)).toThrow(
      "timer duration '-PT5M' is negative; expected a duration of zero or more such as PT10M",
    );
  });

  it('refuses a number, saying that it does not guess a unit', () => {
    expect(() => scheduleTimer('duration', 5000, now)).toThrow(
      new TimerValueError('timer duration 5000 is a number, which is not read as a time; expected an ISO 8601 duration such as PT10M'),
    );
  });

  it('refuses other types by name', () => {
    expect(() => scheduleTimer('duration', new Date(), now)).toThrow('timer duration is a Date; expected an ISO 8601 duration such as PT10M');
    expect(() => scheduleTimer('duration', ['PT1M'], now)).toThrow('timer duration is a list;');
    expect(() => scheduleTimer('duration', { minutes: 1 }, now)).toThrow('timer duration is an object;');
    expect(() => scheduleTimer('duration', true, now)).toThrow('timer duration is a boolean;');
    expect(() => scheduleTimer('duration', undefined, now)).toThrow('timer duration has no value;');
  });

  it('refuses a duration that ends past the last date a Date holds', () => {
    expect(() => scheduleTimer('duration', 'P999999Y', now)).toThrow("timer duration 'P999999Y' reaches past the last date a timer can hold");
  });

  it('throws a TimerValueError so named', () => {
    expect(() => scheduleTimer('duration', 'P1X', now)).toThrow(TimerValueError);
    expect(() => scheduleTimer('duration', 'P1X', now)).toThrow(expect.objectContaining({ name: 'TimerValueError' }));
  });
});
