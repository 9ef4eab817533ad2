// Camunda 7's camunda:historyTimeToLive on a process: how many days its ended instances are kept, as a
// number of days ("30") or an ISO 8601 duration of days only ("P30D"), as Camunda 7 accepts it.

const DAYS = /^(?:(\d+)|P(\d+)D)$/;
/** about 27,000 years: beyond it an end time plus the TTL is no date PostgreSQL can hold */
const MAX_DAYS = 10_000_000;

/** the days, or a sentence saying why the value is none */
export function parseHistoryTimeToLive(value: string): number | string {
  const match = DAYS.exec(value.trim());
  const days = match ? Number(match[1] ?? match[2]) : NaN;
  if (!Number.isSafeInteger(days) || days > MAX_DAYS) {
    return `camunda:historyTimeToLive '${value}' is not a number of days (such as 30 or P30D) up to ${MAX_DAYS}`;
  }
  return days;
}
