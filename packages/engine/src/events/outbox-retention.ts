// Deletes events older than the retention period once every sink has them, in batches, so that the
// outbox stays bounded and no statement holds locks for long. A sink no process has delivered to for a
// whole retention period (one taken out of the configuration) holds nothing back.
//
// Positions follow commits, so the old events are the first ones by position: a pass reads from the oldest
// up to the first event still within the period, and stops there. It used to look for old events among all
// the positioned ones, and its last batch, finding fewer than it asked for, read on through every event kept.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../persistence/database.js';

const BATCH = 5_000;

/** answers how many events it deleted */
export async function deleteDeliveredEvents(db: Kysely<Database>, cutoff: Date): Promise<number> {
  const { rows: [bounds] } = await sql<{ kept: string | number | null; delivered: string | number | null }>`
    select
      (select position from outbox where position is not null and created_at >= ${cutoff} order by position limit 1) as kept,
      coalesce(
        (select min(position) from outbox_sinks where updated_at > ${cutoff}),
        (select last_position from outbox_positions where id = 1)) as delivered`.execute(db);
  if (bounds?.delivered == null) return 0;
  // an event created just before the cutoff may have its position after the first one kept: it goes next time
  const last = bounds.kept == null ? Number(bounds.delivered) : Math.min(Number(bounds.kept) - 1, Number(bounds.delivered));
  let deleted = 0;
  for (;;) {
    const result = await sql`
      delete from outbox where seq in (select seq from outbox where position <= ${last} order by position limit ${BATCH})`.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < BATCH) return deleted;
  }
}
