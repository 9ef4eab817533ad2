// PGlite runs no autovacuum. Without it, every row deleted or left behind by an update (each completion
// deletes executions and updates its instance, task and activity instance; the relay updates every event;
// retention deletes whole instances) kept its space for good: the store grew with every command, even at
// a constant number of instances, and the planner never had statistics. This does autovacuum's work on
// that store, by its default rules, between commands: each table is one statement, so that commands waiting
// for the store's one connection run between tables.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/** PostgreSQL's autovacuum defaults: a table is due once this many of its rows, plus a share of it, changed */
const RULES = {
  vacuumThreshold: 50, vacuumScaleFactor: 0.2,
  insertThreshold: 1000, insertScaleFactor: 0.2,
  analyzeThreshold: 50, analyzeScaleFactor: 0.1,
  /** autovacuum_freeze_max_age: a table whose oldest transaction id is older is vacuumed whatever changed */
  freezeMaxAge: 200_000_000,
};

export interface VacuumPass {
  vacuumed: string[];
  analyzed: string[];
}

interface DueTable {
  name: string;
  vacuum: boolean;
  analyze: boolean;
}

/**
 * Vacuums and analyses the tables that autovacuum would now, and answers which. Tables of every schema are
 * vacuumed when their transaction ids grow old, so that the store never stops at wraparound; the engine's own
 * tables also when enough of their rows are dead, inserted or changed since the last time.
 */
export async function vacuumDueTables(db: Kysely<Database>): Promise<VacuumPass> {
  // the counters a backend keeps are made visible at the end of a statement, at most once a second unless asked
  await sql`select pg_stat_force_next_flush()`.execute(db);
  const tuples = sql`greatest(c.reltuples, 0)`;
  const { rows } = await sql<DueTable>`
    select name, vacuum, "analyze" from (
      select c.relname, format('%I.%I', n.nspname, c.relname) as name,
        age(c.relfrozenxid) > ${RULES.freezeMaxAge}
          or coalesce(s.n_dead_tup > ${RULES.vacuumThreshold} + ${RULES.vacuumScaleFactor} * ${tuples}
            or s.n_ins_since_vacuum > ${RULES.insertThreshold} + ${RULES.insertScaleFactor} * ${tuples}, false) as vacuum,
        coalesce(s.n_mod_since_analyze > ${RULES.analyzeThreshold} + ${RULES.analyzeScaleFactor} * ${tuples}, false) as "analyze"
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_stat_user_tables s on s.relid = c.oid and n.nspname = current_schema()
      where c.relkind in ('r', 'm')
    ) due
    where vacuum or "analyze"
    order by relname`.execute(db);
  for (const table of rows) {
    // PGlite's statements hold the thread: without a turn of the event loop, no command would run between tables
    await nextTurn();
    const name = sql.raw(table.name);
    if (table.vacuum) await sql`vacuum ${sql.raw(table.analyze ? '(analyze) ' : '')}${name}`.execute(db);
    else await sql`analyze ${name}`.execute(db);
  }
  return { vacuumed: rows.filter((t) => t.vacuum).map((t) => t.name), analyzed: rows.filter((t) => t.analyze).map((t) => t.name) };
}
