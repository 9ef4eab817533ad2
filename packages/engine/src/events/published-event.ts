// The one place where an outbox row becomes the event every sink, page and stream publishes: the
// payload the command wrote, plus the id (the row's place in commit order), tenant, instance, process and,
// when the command was traced, its traceparent.
// Variable values pass through a mask on the way, so that protected values never leave the service.
import type { MaskVariable, PublishedEvent } from '../api/engine.js';

export type { MaskVariable, PublishedEvent };

export const keepValue: MaskVariable = (_name, value) => value;

/** the columns of an outbox row an event is made of */
export interface OutboxEventRow {
  position: number | string;
  type: string;
  payload: string;
  tenant_id: string | null;
  process_instance_id: string | null;
  process_definition_key: string | null;
  trace_parent?: string | null;
}

export function toPublishedEvent(row: OutboxEventRow, mask: MaskVariable = keepValue): PublishedEvent {
  const { variables, ...fields } = JSON.parse(row.payload) as Record<string, unknown>;
  return {
    id: String(row.position),
    type: row.type,
    ...(row.process_instance_id ? { instance_id: row.process_instance_id } : {}),
    ...(row.process_definition_key ? { process_definition_key: row.process_definition_key } : {}),
    ...fields,
    ...(isMap(variables) ? { variables: masked(variables, mask) } : {}),
    timestamp: String(fields.timestamp),
    tenant_id: row.tenant_id,
    ...(row.trace_parent ? { traceparent: row.trace_parent } : {}),
  };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const masked = (variables: Record<string, unknown>, mask: MaskVariable): Record<string, unknown> =>
  mask === keepValue ? variables : Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, mask(name, value)]));
