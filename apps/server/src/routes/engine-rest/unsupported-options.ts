import { EngineError } from '@dadms/process-engine';

/** what Camunda's clients send for an option they do not use: nothing, null, false, or an empty list or map */
const asksNothing = (value: unknown) =>
  value === undefined || value === null || value === false || (typeof value === 'object' && Object.keys(value).length === 0);

/**
 * Options of Camunda's that the engine does not have are refused by name when they ask for something,
 * never ignored; `owner` says whose options they are (`The topic 'charge': `).
 */
export function refuseUnsupported(options: object, names: readonly string[], owner = ''): void {
  const asked = names.filter((name) => !asksNothing((options as Record<string, unknown>)[name]));
  if (asked.length) throw new EngineError('VALIDATION_ERROR', `${owner}${asked.join(', ')} ${asked.length > 1 ? 'are' : 'is'} not supported by this engine`);
}
