import { describe, expect, it } from 'vitest';
import { nextFiring, scheduleTimer, TimerValueError, type Firing } from '../../src/timers/index.js';

const at = (iso: string) => new Date(iso);

/** the due times of the first `max` firings of a cycle, following its repeats, each run when it is due */
function firings(value: string, now: Date, max = 10): string[] {
  const dues: string[] = [];
  let firing: Firing | undefined = scheduleTimer('cycle', value, now);
  while (firing && dues.length < max) {
    dues.push(firing.due.toISOString());
    firing = firing.repeat === undefined ? undefined : nextFiring(firing.repeat, firing.due, firing.due);
  }
  return dues;
}

describe('cycle: ISO 8601 repeating interval', () => {
  const now = at('2026-06-15T08:00:00Z');

  it('R3/PT10M fires three times, a period apart, counting down what is left', () => {
    const first = scheduleTimer('cycle', 'R3/PT10M', now);
    expect(first).toEqual({ due: at('2026-06-15T08:10:00Z'), repeat: 'R2/PT10M' });
    const second = nextFiring('R2/PT10M', first.due, first.due);
    expect(second).toEqual({ due: at('2026-06-15T08:20:00Z'), repeat: 'R1/PT10M' });
    expect(nextFiring('R1/PT10M', second!.due, second!.due)).toEqual({ due: at('2026-06-15T08:30:00Z') });
    expect(firings('R3/PT10M', now)).toEqual(['2026-06-15T08:10:00.000Z', '2026-06-15T08:20:00.000Z', '2026-06-15T08:30:00.000Z']);
  });

  it('R1 fires once and leaves nothing to repeat', () => {
    expect(scheduleTimer('cycle', 'R1/PT10M', now)).toEqual({ due: at('2026-06-15T08:10:00Z') });
  });

  it('R/ repeats without end', () => {
    expect(scheduleTimer('cycle', 'R/PT10M', now)).toEqual({ due: at('2026-06-15T08:10:00Z'), repeat: 'R/PT10M' });
    expect(nextFiring('R/PT10M', at('2026-06-15T08:10:00Z'), at('2026-06-15T08:10:00Z'))).toEqual({ due: at('2026-06-15T08:20:00Z'), repeat: 'R/PT10M' });
    expect(firings('R/PT10M', now, 5)).toHaveLength(5);
  });

  it('keeps its beat when a firing runs late: the next is a period after the previous due time', () => {
    expect(nextFiring('R/PT1H', at('2026-01-01T00:00:00Z'), at('2026-01-01T00:20:00Z'))).toEqual({ due: at('2026-01-01T01:00:00Z'), repeat: 'R/PT1H' });
  });

  it('skips the firings missed during a stop: the next is the first of the cycle after now, and the skipped ones are used up', () => {
    expect(nextFiring('R9/PT1H', at('2026-01-01T01:00:00Z'), at('2026-01-01T05:30:00Z'))).toEqual({ due: at('2026-01-01T06:00:00Z'), repeat: 'R4/PT1H' });
    expect(nextFiring('R5/PT1H', at('2026-01-01T01:00:00Z'), at('2026-01-01T05:30:00Z'))).toEqual({ due: at('2026-01-01T06:00:00Z') });
    expect(nextFiring('R4/PT1H', at('2026-01-01T01:00:00Z'), at('2026-01-01T05:30:00Z'))).toBeUndefined();
  });

  it('fires strictly after now: a stop ending on a firing of the cycle skips it too', () => {
    expect(nextFiring('R/PT1H', at('2026-01-01T01:00:00Z'), at('2026-01-01T03:00:00Z'))).toEqual({ due: at('2026-01-01T04:00:00Z'), repeat: 'R/PT1H' });
  });

  it('after a firing run before it was due (executeJob), the next is a period after its due time', () => {
    expect(nextFiring('R3/PT1H', at('2026-01-01T01:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual({ due: at('2026-01-01T02:00:00Z'), repeat: 'R2/PT1H' });
  });

  it('skips years of one-second firings at once', () => {
    expect(nextFiring('R/PT1S', at('2020-01-01T00:00:00Z'), at('2026-06-15T08:00:00.500Z'))).toEqual({ due: at('2026-06-15T08:00:01Z'), repeat: 'R/PT1S' });
  });

  it('skips missed calendar months counting each from the one before', () => {
    expect(nextFiring('R/P1M', at('2026-01-31T09:00:00Z'), at('2026-04-15T00:00:00Z'))).toEqual({ due: at('2026-04-28T09:00:00Z'), repeat: 'R/P1M' });
  });

  it('reads lower case and writes the repeat in capitals', () => {
    expect(scheduleTimer('cycle', 'r2/pt5m', now)).toEqual({ due: at('2026-06-15T08:05:00Z'), repeat: 'R1/PT5M' });
  });

  it('fires first at a start date, then every period', () => {
    expect(scheduleTimer('cycle', 'R3/2026-12-01T10:00:00Z/PT1H', now)).toEqual({ due: at('2026-12-01T10:00:00Z'), repeat: 'R2/PT1H' });
    expect(firings('R3/2026-12-01T10:00:00Z/PT1H', now)).toEqual([
      '2026-12-01T10:00:00.000Z',
      '2026-12-01T11:00:00.000Z',
      '2026-12-01T12:00:00.000Z',
    ]);
  });

  it('fires at a start date already past, i.e. at once, without skipping the missed firings', () => {
    expect(scheduleTimer('cycle', 'R/2026-01-01T00:00:00Z/P1D', now)).toEqual({ due: at('2026-01-01T00:00:00Z'), repeat: 'R/P1D' });
  });

  it('reads a start with an offset and a zone name', () => {
    expect(scheduleTimer('cycle', 'R2/2026-12-01T10:00:00+01:00[Europe/Berlin]/PT1H', now)).toEqual({
      due: at('2026-12-01T09:00:00Z'),
      repeat: 'R1/PT1H',
    });
  });

  // Each firing counts from the one before, so a month clamped to Feb 29 stays on the 29th (as Camunda 7).
  it('adds calendar months from firing to firing', () => {
    expect(firings('R3/2028-01-31T09:00:00Z/P1M', now)).toEqual([
      '2028-01-31T09:00:00.000Z',
      '2028-02-29T09:00:00.000Z',
      '2028-03-29T09:00:00.000Z',
    ]);
  });

  it('R0 never fires: an error at the start, nothing left as a repeat', () => {
    expect(() => scheduleTimer('cycle', 'R0/PT10M', now)).toThrow(new TimerValueError("timer cycle 'R0/PT10M' repeats 0 times, so it never fires"));
    expect(nextFiring('R0/PT10M', now, now)).toBeUndefined();
  });

  it.each(['R3', 'R', 'R3/', 'Rx/PT1M', 'R-1/PT1M', 'R99999999999999999/PT1M'])('refuses %j', (value) => {
    expect(() => scheduleTimer('cycle', value, now)).toThrow(
      new TimerValueError(`timer cycle '${value}' is not an ISO 8601 repeating interval such as R3/PT10M or R3/2026-12-01T10:00:00Z/PT1H`),
    );
  });

  it('names a bad period, start or a zero period', () => {
    expect(() => scheduleTimer('cycle', 'R3/P1X', now)).toThrow(
      new TimerValueError("timer cycle 'R3/P1X': period 'P1X' is not an ISO 8601 duration such as PT10M"),
    );
    expect(() => scheduleTimer('cycle', 'R3/-PT1M', now)).toThrow("timer cycle 'R3/-PT1M': period '-PT1M' is negative");
    expect(() => scheduleTimer('cycle', 'R3/2026-13-01T00:00:00Z/PT1H', now)).toThrow(
      new TimerValueError("timer cycle 'R3/2026-13-01T00:00:00Z/PT1H': start '2026-13-01T00:00:00Z' is not an ISO 8601 date-time such as 2026-12-01T10:00:00Z"),
    );
    expect(() => scheduleTimer('cycle', 'R/PT0S', now)).toThrow(
      new TimerValueError("timer cycle 'R/PT0S': period 'PT0S' is zero; a cycle needs a period longer than zero"),
    );
  });

  it('refuses a repeat that carries a start date', () => {
    expect(() => nextFiring('R2/2026-12-01T10:00:00Z/PT1H', now, now)).toThrow(
      new TimerValueError("timer repeat 'R2/2026-12-01T10:00:00Z/PT1H' has a start date; only the first firing of a cycle takes one"),
    );
  });

  it('refuses a value that is not text', () => {
    expect(() => scheduleTimer('cycle', 600_000, now)).toThrow(
      new TimerValueError(
        'timer cycle 600000 is a number, which is not read as a time; expected an ISO 8601 repeating interval such as R3/PT10M or a cron expression such as 0 0/5 * * * ?',
      ),
    );
  });
});

describe('cycle: cron', () => {
  it('reads Quartz (Camunda 7) with ?, firing on the next multiple of 5 minutes across the hour', () => {
    expect(scheduleTimer('cycle', '0 0/5 * * * ?', at('2026-06-15T10:56:30Z'))).toEqual({
      due: at('2026-06-15T11:00:00Z'),
      repeat: '0 0/5 * * * ?',
    });
    expect(firings('0 0/5 * * * ?', at('2026-06-15T10:50:00Z'), 4)).toEqual([
      '2026-06-15T10:55:00.000Z',
      '2026-06-15T11:00:00.000Z',
      '2026-06-15T11:05:00.000Z',
      '2026-06-15T11:10:00.000Z',
    ]);
  });

  it('reads Spring (Zeebe) and fires strictly after now', () => {
    expect(scheduleTimer('cycle', '0 */5 * * * *', at('2026-06-15T10:55:00Z'))).toEqual({
      due: at('2026-06-15T11:00:00Z'),
      repeat: '0 */5 * * * *',
    });
    expect(scheduleTimer('cycle', '0 */5 * * * *', at('2026-06-15T10:54:59.999Z')).due).toEqual(at('2026-06-15T10:55:00Z'));
  });

  it('crosses midnight and the end of a month', () => {
    expect(firings('0 30 23 * * ?', at('2026-06-30T23:00:00Z'), 2)).toEqual(['2026-06-30T23:30:00.000Z', '2026-07-01T23:30:00.000Z']);
  });

  it('repeats the same cron text, trimmed, without end', () => {
    expect(nextFiring(' 0 0 * * * ? ', at('2026-06-15T10:00:00Z'), at('2026-06-15T10:00:00Z'))).toEqual({ due: at('2026-06-15T11:00:00Z'), repeat: '0 0 * * * ?' });
  });

  it('skips the firings missed during a stop, and after a firing run early comes the one after its due time', () => {
    expect(nextFiring('0 0 * * * ?', at('2026-06-15T10:00:00Z'), at('2026-06-15T13:20:00Z'))).toEqual({ due: at('2026-06-15T14:00:00Z'), repeat: '0 0 * * * ?' });
    expect(nextFiring('0 0 * * * ?', at('2026-06-15T10:00:00Z'), at('2026-06-15T09:30:00Z'))).toEqual({ due: at('2026-06-15T11:00:00Z'), repeat: '0 0 * * * ?' });
  });

  // 2026-01-01 is a Thursday; Monday 2026-01-05.
  const thursday = at('2026-01-01T00:00:00Z');

  it('numbers days of the week 1 = SUN … 7 = SAT in Quartz, 0 or 7 = SUN in Spring', () => {
    expect(scheduleTimer('cycle', '0 0 12 ? * 2', thursday).due).toEqual(at('2026-01-05T12:00:00Z'));
    expect(scheduleTimer('cycle', '0 0 12 ? * 1', thursday).due).toEqual(at('2026-01-04T12:00:00Z'));
    expect(scheduleTimer('cycle', '0 0 12 ? * 7', thursday).due).toEqual(at('2026-01-03T12:00:00Z'));
    expect(scheduleTimer('cycle', '0 0 12 * * 1', thursday).due).toEqual(at('2026-01-05T12:00:00Z'));
    expect(scheduleTimer('cycle', '0 0 12 * * 0', thursday).due).toEqual(at('2026-01-04T12:00:00Z'));
    expect(scheduleTimer('cycle', '0 0 12 * * 7', thursday).due).toEqual(at('2026-01-04T12:00:00Z'));
  });

  it('reads day names alike in both dialects', () => {
    expect(firings('0 0 12 ? * MON-FRI', thursday, 3)).toEqual(['2026-01-01T12:00:00.000Z', '2026-01-02T12:00:00.000Z', '2026-01-05T12:00:00.000Z']);
    expect(firings('0 0 12 * * mon,wed', thursday, 2)).toEqual(['2026-01-05T12:00:00.000Z', '2026-01-07T12:00:00.000Z']);
  });

  it('reads Quartz ranges, steps, L and # in the day of the week', () => {
    expect(firings('0 0 12 ? * 2-3', thursday, 2)).toEqual(['2026-01-05T12:00:00.000Z', '2026-01-06T12:00:00.000Z']);
    // 2/2 is MON, WED, FRI and not SUN: Quartz's week ends on SAT.
    expect(firings('0 0 12 ? * 2/2', thursday, 4)).toEqual([
      '2026-01-02T12:00:00.000Z',
      '2026-01-05T12:00:00.000Z',
      '2026-01-07T12:00:00.000Z',
      '2026-01-09T12:00:00.000Z',
    ]);
    expect(scheduleTimer('cycle', '0 0 12 ? * 6L', thursday).due).toEqual(at('2026-01-30T12:00:00Z'));
    expect(scheduleTimer('cycle', '0 0 12 ? * 6#2', thursday).due).toEqual(at('2026-01-09T12:00:00Z'));
    expect(scheduleTimer('cycle', '0 0 12 ? * L', thursday).due).toEqual(at('2026-01-03T12:00:00Z'));
  });

  it('reads L as the last day of the month', () => {
    expect(firings('0 0 12 L * ?', thursday, 2)).toEqual(['2026-01-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z']);
  });

  it('reads the Quartz year field', () => {
    expect(firings('0 0 12 1 1 ? 2028', thursday)).toEqual(['2028-01-01T12:00:00.000Z']);
    expect(firings('0 0 12 1 1 ? 2030,2027', thursday)).toEqual(['2027-01-01T12:00:00.000Z', '2030-01-01T12:00:00.000Z']);
    expect(firings('0 0 12 1 1 ? 2027/2', thursday, 3)).toEqual([
      '2027-01-01T12:00:00.000Z',
      '2029-01-01T12:00:00.000Z',
      '2031-01-01T12:00:00.000Z',
    ]);
    expect(firings('0 0 0 1 1 ? 2027-2028', at('2026-12-31T23:00:00Z'))).toEqual(['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']);
    expect(scheduleTimer('cycle', '0 0 12 1 1 ? *', at('2026-06-01T00:00:00Z'))).toEqual({
      due: at('2027-01-01T12:00:00Z'),
      repeat: '0 0 12 1 1 ? *',
    });
  });

  it('refuses a cron expression with no firing left', () => {
    expect(() => scheduleTimer('cycle', '0 0 12 1 1 ? 2020', thursday)).toThrow(
      new TimerValueError("timer cycle '0 0 12 1 1 ? 2020' has no firing after 2026-01-01T00:00:00.000Z"),
    );
    expect(nextFiring('0 0 12 1 1 ? 2028', at('2028-01-01T12:00:00Z'), at('2028-01-01T12:00:00Z'))).toBeUndefined();
  });

  it("reads Spring's macros", () => {
    expect(scheduleTimer('cycle', '@hourly', at('2026-06-15T10:20:00Z'))).toEqual({ due: at('2026-06-15T11:00:00Z'), repeat: '@hourly' });
  });

  const neither =
    'is neither an ISO 8601 repeating interval (which starts with R, such as R3/PT10M) nor a cron expression such as 0 0/5 * * * ?';

  it.each([
    ['*/5 * * * *', 'it has 5 field(s), a timer cron expression has 6 (seconds first) or 7 (Quartz, with the year last)'],
    ['PT10M', 'it has 1 field(s), a timer cron expression has 6 (seconds first) or 7 (Quartz, with the year last)'],
    ['0 0 12 ? * 8', 'day of the week 8: Quartz numbers them 1 (SUN) to 7 (SAT)'],
    ['0 0 12 ? * 0', 'day of the week 0: Quartz numbers them 1 (SUN) to 7 (SAT)'],
    ['0 0 12 1 1 ? 1969', "year field '1969' must stay within 1970-2099, with ranges from low to high and steps of 1 or more"],
    ['0 0 12 1 1 ? 2030-2027', "year field '2030-2027' must stay within 1970-2099, with ranges from low to high and steps of 1 or more"],
    ['0 0 12 1 1 ? next', "year field 'next' is not a year, range, step or list of these"],
    ['0 60 * * * ?', 'Constraint error, got value 60 expected range 0-59'],
    ['0 0 12 30 2 ?', 'Invalid explicit day of month definition'],
    ['0 0 12 15W * ?', 'Invalid characters, got value: 15W'],
  ])('refuses %j', (value, reason) => {
    expect(() => scheduleTimer('cycle', value, thursday)).toThrow(new TimerValueError(`timer cycle '${value}' ${neither}: ${reason}`));
  });
});
