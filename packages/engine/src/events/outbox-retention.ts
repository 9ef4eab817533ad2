// Deletes events older than the retention period once every sink has them, in batches, so that the
// outbox stays bounded and no statement holds locks for long. A sink no process has delivered to for a
// whole retention period (one taken out of the configuration) holds nothing back.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../persistence/database.js';

const BATCH = 5_000;

/** answers how many events it deleted */
export async function deleteDeliveredEvents(db: Kysely<Database>, cutoff: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await sql`
      delete from outbox where seq in (
        select seq from outbox
        where position <= coalesce(
          (select min(position) from outbox_sinks where updated_at > ${cutoff}),
          (select last_position from outbox_positions where id = 1))
        and created_at < ${cutoff}
        order by position limit ${BATCH})`.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < BATCH) return deleted;
  }
}
