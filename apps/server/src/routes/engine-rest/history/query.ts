// What Camunda's history queries have beyond its other queries (camunda-query.ts): flags that filter only
// when true, and times written as `2024-01-31T10:00:00.000+0000` whose `…Before` includes the time itself.
import { EngineError } from '@dadms/process-engine';

/** a boolean filter of Camunda's asks for something only when true (`finished=false` filters nothing) */
export const isSet = (flag: boolean | null | undefined): boolean => flag === true;

/** a query's filter, treating Camunda's null as absent */
export const present = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** a time of Camunda's (its zone as `+0000`, or as ISO 8601 writes it) as the engine takes times */
export function fromCamundaTime(name: string, text: string | null | undefined): string | undefined {
  if (text === null || text === undefined) return undefined;
  const time = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isNaN(time)) throw new EngineError('VALIDATION_ERROR', `Cannot convert value '${text}' of ${name} to a date`);
  return new Date(time).toISOString();
}

/** the last time before `time`'s next millisecond: Camunda's `…Before` includes the time itself, the engine's does not */
export const inclusiveBefore = (time: string | undefined): string | undefined =>
  time === undefined ? undefined : new Date(Date.parse(time) + 1).toISOString();
