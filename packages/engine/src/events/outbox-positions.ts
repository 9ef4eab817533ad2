// Gives outbox rows their place in the published order, under the lock of the one outbox_positions row,
// each position continuing where the last one given stopped. So the positions a reader sees always run
// unbroken from 1, and a reader that follows them misses nothing. Two ways:
//
// - On the embedded store, a command run by the engine's own transactions (a deployment too) inserts its
//   events with their positions, in the last statement before its COMMIT (positionedEvents, with the events
//   of the other commands of its transaction): one transaction runs at a time, so positions follow the order
//   of the commits, and a transaction that rolls back gives its positions back. (On PostgreSQL the counter's
//   lock would then be held until each COMMIT, and the group commit's lanes would commit one after the other.)
// - Other rows (every command's on PostgreSQL, commands in a caller's transaction, those an earlier version
//   left) are inserted without one, and the relay positions them once committed (assignPositions). A row's seq is
//   taken at insert, before its transaction commits, so seq order is not commit order across transactions:
//   positions are handed out only to rows already committed.
//
// Within one instance, commands run one after another under its lock, so either way the order of
// positions keeps the instance's commit order.
import { sql, type Compilable, type Kysely } from 'kysely';
import type { Database, NewRow } from '../persistence/database.js';
import { pipeline } from '../persistence/pipeline.js';
import { compilable, insertText, SqlExpression } from '../persistence/row-statements.js';

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

/** events inserted by one statement at most, well within a statement's parameters */
const EVENTS_PER_STATEMENT = 500;

/** inserts events with their positions, in their order: the transaction's last statements before its COMMIT */
export function positionedEvents(rows: readonly NewRow<'outbox'>[]): Compilable[] {
  const statements: Compilable[] = [];
  for (let from = 0; from < rows.length; from += EVENTS_PER_STATEMENT) {
    const chunk = rows.slice(from, from + EVENTS_PER_STATEMENT);
    const parameters: unknown[] = [];
    const insert = insertText(['outbox', chunk.map((row, i) => ({ ...row, position: new SqlExpression(`(select "base" from "counter") + ${i + 1}`) }))], parameters);
    statements.push(compilable(`with "counter" as (update "outbox_positions" set "last_position" = "last_position" + ${chunk.length} `
      + `where "id" = 1 returning "last_position" - ${chunk.length} as "base") ${insert}`, parameters));
  }
  return statements;
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
