// An event page's query as the API gives it, checked: `after` is an event id (a position), the limit
// that of every list.
import type { EventQuery } from '../api/engine.js';
import { invalid } from '../errors.js';
import { pageWindow } from '../queries/list-query.js';
import type { EventFilter } from './outbox-reader.js';

export function eventQuery(query: EventQuery): EventFilter & { after: number; limit: number } {
  const { limit } = pageWindow({ limit: query.limit });
  return { types: query.types, process_instance_id: query.process_instance_id, process_definition_key: query.process_definition_key, after: eventPosition(query.after), limit };
}

/** the position an event id names; none before the first */
export function eventPosition(id: string | undefined): number {
  if (id === undefined || id === '') return 0;
  if (!/^\d{1,15}$/.test(id)) throw invalid(`'${id}' is not an event id`, { after: id });
  return Number(id);
}
