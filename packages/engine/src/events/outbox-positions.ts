// Gives committed outbox rows their place in the published order. A row's seq is taken at insert, before
// its transaction commits, so seq order is not commit order across transactions. Positions are handed
// out only to rows already committed, under the lock of the one outbox_positions row: one assignment at
// a time, whichever engine process runs it, each continuing where the last committed one stopped. So the
// positions a reader sees always run unbroken from 1, and a reader that follows them misses nothing.
//
// Within one instance, commands run one after another under its lock: the later one takes its seqs only
// after the earlier committed, so the order of seqs within an assignment and the order of assignments
// both keep the instance's commit order.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../persistence/database.js';
import { pipeline } from '../persistence/pipeline.js';

/** the channel on which a process that assigned positions tells the others (PostgreSQL) */
export const POSITIONS_CHANNEL = 'process_manager_events';

/** rows positioned by one statement at most, so that an assignment is never a long transaction */
const BATCH = 2_000;

export interface Assigned {
  /** the last position given */
  last: number;
  /** as many rows as one assignment takes: more may wait */
  full: boolean;
}

/** positions rows committed so far, up to a batch; undefined when none was waiting */
export async function assignPositions(db: Kysely<Database>, notify: boolean): Promise<Assigned | undefined> {
  const pending = await sql<{ one: number }>`select 1 as one from outbox where position is null limit 1`.execute(db);
  if (!pending.rows.length) return undefined;
  return db.transaction().execute(async (trx) => {
    // sent together, run one after the other: the lock is a statement of its own, so the next one's
    // snapshot is taken after it and sees every earlier assignment
    const statements = [sql`select last_position from outbox_positions where id = 1 for update`, sql<{ last_position: string | number }>`
      with pending as (
        select seq, row_number() over (order by seq) as n from outbox where position is null order by seq limit ${BATCH}
      ), numbered as (
        update outbox o set position = c.last_position + p.n
        from pending p, outbox_positions c where o.seq = p.seq and c.id = 1
        returning o.position
      )
      update outbox_positions set last_position = last_position + (select count(*) from numbered)
      where id = 1 returning last_position, (select count(*) from numbered) as assigned`,
      ...(notify ? [sql`select pg_notify(${POSITIONS_CHANNEL}, last_position::text) from outbox_positions where id = 1`] : [])];
    const [, rows] = await pipeline(trx, statements.map((raw) => ({ compile: () => raw.compile(trx) })));
    const row = (rows as { last_position: string | number; assigned: string | number }[])[0]!;
    return { last: Number(row.last_position), full: Number(row.assigned) >= BATCH };
  });
}

/** the last position given so far */
export async function lastPosition(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('outbox_positions').select('last_position').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.last_position);
}
