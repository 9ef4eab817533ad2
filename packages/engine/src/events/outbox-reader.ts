// Reads positioned events back, oldest first: for the sinks, the stream's subscribers and GET /events.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { inCallerTenants } from '../access/visible-rows.js';
import type { Caller } from '../access/caller.js';
import type { Database } from '../persistence/database.js';
import type { OutboxEventRow } from './published-event.js';

export interface EventFilter {
  /** event types, e.g. process_manager.task.created */
  types?: string[];
  process_instance_id?: string;
  process_definition_key?: string;
  /** only events of no tenant or of the caller's tenants */
  caller?: Caller;
}

export interface EventQuery extends EventFilter {
  /** the id (position) of the last event already seen */
  after?: number;
  limit: number;
  /** the last position to read (inclusive) */
  upTo?: number;
}

type Outbox = SelectQueryBuilder<Database, 'outbox', object>;

const filtered = (query: Outbox, filter: EventFilter, after: number, upTo?: number): Outbox => {
  let q = query.where('position', '>', after);
  if (upTo !== undefined) q = q.where('position', '<=', upTo);
  if (filter.types?.length) q = q.where('type', 'in', filter.types);
  if (filter.process_instance_id) q = q.where('process_instance_id', '=', filter.process_instance_id);
  if (filter.process_definition_key) q = q.where('process_definition_key', '=', filter.process_definition_key);
  const tenants = inCallerTenants('outbox.tenant_id', filter.caller);
  return tenants.length ? q.where((eb) => eb.and(tenants)) : q;
};

export async function readEvents(db: Kysely<Database>, query: EventQuery): Promise<(OutboxEventRow & { position: number })[]> {
  const rows = await filtered(db.selectFrom('outbox'), query, query.after ?? 0, query.upTo)
    .select(['position', 'type', 'payload', 'tenant_id', 'process_instance_id', 'process_definition_key', 'trace_parent'])
    .orderBy('position').limit(query.limit).execute();
  return rows.map((r) => ({ ...r, position: Number(r.position) }));
}

/** how many kept events match the filter after `after` */
export async function countEvents(db: Kysely<Database>, filter: EventFilter, after = 0): Promise<number> {
  const row = await filtered(db.selectFrom('outbox'), filter, after)
    .select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirstOrThrow();
  return Number(row.total);
}
