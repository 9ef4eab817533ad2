import { CronExpressionParser } from 'cron-parser';
import { TimerValueError } from './timer-value-error.js';

// Two dialects reach the engine: Camunda 7 uses Quartz (6 or 7 fields, `?` in one of the day fields,
// days of the week numbered 1 = SUN … 7 = SAT), Zeebe uses Spring (6 fields, 0 or 7 = SUN) like
// cron-parser. Quartz requires a `?`, so a `?` or a seventh field marks Quartz; a Spring expression
// with `?` and a numbered day of the week would be misread, names (MON-FRI) mean the same in both.
// cron-parser reads `?` as `*` itself; it has no year field, so the seventh field is applied here.
// Quartz's W and L-n are not supported by cron-parser and are refused with its message.

const QUARTZ_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
// Quartz's year range.
const FIRST_YEAR = 1970;
const LAST_YEAR = 2099;

/** the first firing of the cron expression strictly after `after`, in UTC; undefined when it has none left */
export function nextCronFiring(expression: string, after: Date): Date | undefined {
  const text = expression.trim();
  const fail = (reason: string): never => {
    throw new TimerValueError(
      `timer cycle '${text}' is neither an ISO 8601 repeating interval (which starts with R, such as R3/PT10M) ` +
        `nor a cron expression such as 0 0/5 * * * ?: ${reason}`,
    );
  };
  const fields = text.split(/\s+/);
  // Spring's macros (@daily, …) are one word; a 5-field Unix expression has no seconds and neither engine takes it.
  if (!text.startsWith('@') && fields.length !== 6 && fields.length !== 7) {
    fail(`it has ${fields.length} field(s), a timer cron expression has 6 (seconds first) or 7 (Quartz, with the year last)`);
  }
  const quartz = fields.length === 7 || text.includes('?');
  const years = fields.length === 7 ? parseYears(fields[6], fail) : undefined;
  const sixFields = text.startsWith('@')
    ? text
    : [...fields.slice(0, 5), quartz ? quartzDayOfWeek(fields[5], fail) : fields[5]].join(' ');

  let from = after;
  for (;;) {
    let due: Date;
    try {
      due = CronExpressionParser.parse(sixFields, { currentDate: from, tz: 'UTC' }).next().toDate();
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    if (!years || years.has(due.getUTCFullYear())) return due;
    const laterYears = [...years].filter((year) => year > due.getUTCFullYear());
    if (laterYears.length === 0) return undefined;
    const nextYear = Math.min(...laterYears);
    // 1 ms before the year starts, so that a firing at its first instant counts.
    from = new Date(Date.UTC(nextYear, 0, 1) - 1);
  }
}

/** Quartz's day of the week in cron-parser's numbering (0 = SUN … 6 = SAT) */
function quartzDayOfWeek(field: string, fail: (reason: string) => never): string {
  return field
    .toUpperCase()
    .split(',')
    .map((atom) => {
      const numbered = atom.replace(/SUN|MON|TUE|WED|THU|FRI|SAT/g, (name) => String(QUARTZ_DAYS.indexOf(name) + 1));
      // A lone L is the last day of the week, which for Quartz is Saturday.
      if (numbered === 'L') return '6';
      const [base = '', step] = numbered.split('/');
      // The number after # counts weeks, not days.
      const shifted = base.replace(/(?<!#)\d+/g, (day) => {
        const quartzDay = Number(day);
        if (quartzDay < 1 || quartzDay > 7) fail(`day of the week ${day}: Quartz numbers them 1 (SUN) to 7 (SAT)`);
        return String(quartzDay - 1);
      });
      if (step === undefined) return shifted;
      // cron-parser runs an open step up to 7 (SUN again); Quartz's week ends at SAT.
      const range = shifted === '*' || shifted === '?' ? '0-6' : shifted.includes('-') ? shifted : `${shifted}-6`;
      return `${range}/${step}`;
    })
    .join(',');
}

/** the years a Quartz year field allows: a star, 2027, 2027-2030, steps such as 2027/2, lists of these */
function parseYears(field: string, fail: (reason: string) => never): ReadonlySet<number> {
  const years = new Set<number>();
  for (const atom of field.split(',')) {
    const match = /^(?:[*?]|(\d{4})(?:-(\d{4}))?)(?:\/(\d+))?$/.exec(atom);
    if (!match) return fail(`year field '${field}' is not a year, range, step or list of these`);
    const [, from, to, step] = match;
    const first = from ? Number(from) : FIRST_YEAR;
    const last = to ? Number(to) : from && !step ? first : LAST_YEAR;
    const by = step ? Number(step) : 1;
    if (first < FIRST_YEAR || last > LAST_YEAR || first > last || by < 1) {
      fail(`year field '${field}' must stay within ${FIRST_YEAR}-${LAST_YEAR}, with ranges from low to high and steps of 1 or more`);
    }
    for (let year = first; year <= last; year += by) years.add(year);
  }
  return years;
}
