// A date-time without an offset is UTC (Camunda 7 would take the server's zone; a server-independent
// reading is the point). Zeebe's `+01:00[Europe/Berlin]` is read through its offset, which fixes the
// instant; a zone name without an offset would need a time-zone database and is refused.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?(\[[^\]]+\])?)?$/i;

/** the instant `text` names, or undefined when it is not an ISO 8601 date or date-time */
export function parseIsoDateTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zulu, sign, offsetHours, offsetMinutes, zone] = match;
  if (zone && !zulu && !sign) return undefined;
  const [y, mo, d, h, mi, s, oh, om] = [year, month, day, hour, minute, second, offsetHours, offsetMinutes].map((part) => Number(part ?? 0));
  if (h > 23 || mi > 59 || s > 59 || oh > 18 || om > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read the years 0–99 as 1900–1999.
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offsetMs = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  return new Date(date.getTime() + ((h * 60 + mi) * 60 + s) * 1000 + ms - offsetMs);
}
