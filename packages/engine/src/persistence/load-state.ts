// Reads one instance's runtime state inside the command's transaction, under the lock of its root row
// (on a store that no other transaction can use meanwhile, without one).
import { randomUUID } from 'node:crypto';
import { sql, type Compilable, type CompiledQuery, type Expression, type Transaction, expressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database, Row, TableName } from './database.js';
import { InstanceState, type DefinitionInfo, type InstanceRow } from '../execution/instance-state.js';
import type { TrackedTable } from '../execution/tracked-table.js';
import type { ProcessModel } from '../model/index.js';
import type { VariableProtection } from '../protection/variable-protection.js';
import { pipeline } from './pipeline.js';
import type { StateCache } from './state-cache.js';

const OPEN_TASK = ['created', 'assigned', 'delegated'];

/**
 * The timestamptz columns of the tables read as JSON, which carries them as text: they are made the
 * Date a driver gives, so that a command sees the same rows either way (a test holds this list to the schema).
 */
export const JSON_TIMESTAMPS = {
  executions: [],
  process_variables: ['created_at', 'updated_at'],
  tasks: ['created', 'end_time', 'due', 'follow_up'],
  external_tasks: ['lock_expiration_time', 'created_at'],
  event_subscriptions: ['created_at'],
  jobs: ['due_at', 'lock_expires_at', 'created_at'],
  incidents: ['incident_timestamp', 'resolved_at'],
  activity_instances: ['start_time', 'end_time'],
} as const satisfies Partial<Record<TableName, readonly string[]>>;

/**
 * A statement of a fixed shape for one instance, built and compiled at its first use only: each run binds
 * its own id where the first had a marker. Building these through the query builder at every
 * command took a noticeable share of the engine's time.
 */
class InstanceStatement<O> {
  static readonly #MARKER = `instance-id-${randomUUID()}`;
  #compiled: CompiledQuery<O> | undefined;

  constructor(private readonly build: (trx: Transaction<Database>, id: string) => Compilable<O>) {}

  bind(trx: Transaction<Database>, id: string): Compilable<O> {
    const compiled = (this.#compiled ??= this.build(trx, InstanceStatement.#MARKER).compile());
    const parameters = compiled.parameters.map((p) => (p === InstanceStatement.#MARKER ? id : p));
    return { compile: () => ({ ...compiled, parameters }) };
  }
}

/** the tables whose rows belong to one instance and name it: a command on such a row locks its instance */
export type OwnedTable = 'tasks' | 'external_tasks' | 'incidents';

/** which instance a command is on: by its id, or as the instance that a task, external task or incident belongs to */
export type InstanceTarget = string | { table: OwnedTable; id: string };

/** the instance's id in a statement, given the marker its run binds */
type IdOf = (marker: string) => Expression<string | null> | string;

// The root and the instance (the same row for a top-level instance) are locked in the order the lock
// clause names them, the root first. Each is found by its primary key alone: the plan a prepared statement
// keeps for any id is made once, maybe while the table is still small and never analysed, and for the two
// ids as one condition it chose to scan the whole table, at every command until autovacuum analysed it.
const lockStatement = (idOf: IdOf) => new InstanceStatement((trx, marker) => trx.selectFrom('process_instances as root')
  .innerJoin('process_instances as instance', 'instance.root_instance_id', 'root.id')
  .selectAll('instance')
  .where('instance.id', '=', idOf(marker))
  .forUpdate(['root', 'instance']));

/** the instance's rows of the eight tables, each as a JSON array: one statement costs the database far less than eight */
const ownedRows = (id: Expression<string | null> | string) => {
  const eb = expressionBuilder<Database, never>();
  return [
    jsonArrayFrom(eb.selectFrom('executions').selectAll().where('process_instance_id', '=', id)).as('executions'),
    jsonArrayFrom(eb.selectFrom('process_variables').selectAll().where('instance_id', '=', id)).as('process_variables'),
    jsonArrayFrom(eb.selectFrom('tasks').selectAll().where('process_instance_id', '=', id).where('status', 'in', OPEN_TASK)).as('tasks'),
    jsonArrayFrom(eb.selectFrom('external_tasks').selectAll().where('process_instance_id', '=', id)).as('external_tasks'),
    jsonArrayFrom(eb.selectFrom('event_subscriptions').selectAll().where('process_instance_id', '=', id)).as('event_subscriptions'),
    jsonArrayFrom(eb.selectFrom('jobs').selectAll().where('process_instance_id', '=', id)).as('jobs'),
    jsonArrayFrom(eb.selectFrom('incidents').selectAll().where('process_instance_id', '=', id).where('status', '=', 'open')).as('incidents'),
    jsonArrayFrom(eb.selectFrom('activity_instances').selectAll().where('process_instance_id', '=', id).where('end_time', 'is', null))
      .as('activity_instances'),
  ];
};

type JsonTable = keyof typeof JSON_TIMESTAMPS;

/** an instance's row and its rows of the eight tables, as a command loads them */
export type InstanceRows = { instance: InstanceRow } & { [T in JsonTable]: Row<T>[] };

/** each table's rows in a command's state, and which of them ownedRows() reads when not all */
const TRACKED: { [T in JsonTable]: { of: (s: InstanceState) => TrackedTable<Row<T> & { id: string }>; read?: (row: Row<T>) => boolean } } = {
  executions: { of: (s) => s.executions },
  process_variables: { of: (s) => s.variables },
  tasks: { of: (s) => s.tasks, read: (t) => OPEN_TASK.includes(t.status) },
  external_tasks: { of: (s) => s.externalTasks },
  event_subscriptions: { of: (s) => s.subscriptions },
  jobs: { of: (s) => s.jobs },
  incidents: { of: (s) => s.incidents, read: (i) => i.status === 'open' },
  activity_instances: { of: (s) => s.activityInstances, read: (a) => a.end_time === null },
};
const JSON_TABLES = Object.keys(TRACKED) as JsonTable[];
type Tracked = { of: (s: InstanceState) => TrackedTable<{ id: string }>; read?: (row: { id: string }) => boolean };

/** the rows ownedRows() reads, as a command's state holds them: what the store holds once the command has committed */
export function rowsOfState(state: InstanceState): InstanceRows {
  const rows: Record<string, unknown> = { instance: state.instance };
  for (const table of JSON_TABLES) {
    const { of, read } = TRACKED[table] as Tracked;
    rows[table] = read ? of(state).filter(read) : [...of(state).values()];
  }
  return rows as InstanceRows;
}

const readStatement = (idOf: IdOf) => new InstanceStatement((trx, marker) => trx.selectNoFrom(ownedRows(idOf(marker))));

// A store no other transaction can use while the command's runs (PGlite: one connection, held by the
// command's transaction) needs no row lock, and its rows can come with the instance in one statement.
const loadStatement = (idOf: IdOf) => new InstanceStatement((trx, marker) => trx.selectFrom('process_instances as instance')
  .selectAll('instance')
  .select(ownedRows(sql.ref<string>('instance.id')))
  .where('instance.id', '=', idOf(marker)));

/** the statements that load an instance named by its id, or through a row of it: then its lookup travels with them */
const statementsOf = (idOf: IdOf) => ({ lock: lockStatement(idOf), read: readStatement(idOf), load: loadStatement(idOf) });
const byInstanceId = statementsOf((marker) => marker);
const owned = (table: OwnedTable) =>
  statementsOf((marker) => sql<string | null>`(select process_instance_id from ${sql.table(table)} where id = ${marker})`);
const byOwner: Record<OwnedTable, typeof byInstanceId> = { tasks: owned('tasks'), external_tasks: owned('external_tasks'), incidents: owned('incidents') };

export type StateOf = (definition: DefinitionInfo, model: ProcessModel) => InstanceState;

/**
 * Locks the instance's root row, then its own (the root first, so commands on one tree never deadlock),
 * and reads its rows, in one round trip: the read is a statement of its own after the lock, so that it
 * sees what a command that held the lock before has committed. Answers the instance row and how to make
 * the state of it once its model is known. With protection, the state holds protected values opened. An
 * instance named through a row of it is found in the same round trip. On an `exclusive` store the instance
 * and its rows are one statement, and nothing is locked; or, where a cache keeps them, no statement at all.
 * `claim` is the instance's claim on that cache, for its rows to be kept once the command has committed.
 */
export async function lockAndLoad(
  trx: Transaction<Database>,
  target: InstanceTarget,
  options: { exclusive: boolean; protection?: VariableProtection; cache?: StateCache },
): Promise<{ instance: InstanceRow; state: StateOf; claim?: number } | undefined> {
  const { protection, cache } = options;
  const kept = cache?.take(target);
  if (kept) return { instance: kept.rows.instance, state: stateOf(kept.rows), claim: kept.claim };
  const [{ lock, read, load }, id] = typeof target === 'string' ? [byInstanceId, target] : [byOwner[target.table], target.id];
  let instance: InstanceRow | undefined;
  let rows: OwnedRows | undefined;
  if (options.exclusive) {
    const [row] = (await trx.executeQuery(load.bind(trx, id).compile())).rows;
    if (row) [instance, rows] = [withoutOwnedRows(row), row];
  } else {
    [[instance], [rows]] = await pipeline(trx, [lock.bind(trx, id), read.bind(trx, id)]);
  }
  if (!instance || !rows) return undefined;
  const rowsOf = <T extends JsonTable>(table: T): Row<T>[] => revived(table, rows[table]);
  const variables = rowsOf('process_variables').map(revivedNumbers);
  const state = stateOf({
    instance: normaliseInstance(instance),
    executions: rowsOf('executions'),
    process_variables: protection ? variables.map((v) => protection.openVariable(v)) : variables,
    tasks: rowsOf('tasks'),
    external_tasks: rowsOf('external_tasks'),
    event_subscriptions: rowsOf('event_subscriptions'),
    jobs: protection ? rowsOf('jobs').map((j) => protection.openJob(j)) : rowsOf('jobs'),
    incidents: rowsOf('incidents'),
    activity_instances: rowsOf('activity_instances').map((a) => ({ ...a, duration: a.duration === null ? null : Number(a.duration) })),
  });
  return { instance, state, claim: cache?.claim(instance.id) };
}

/** the state of an instance with these rows, once its model is known */
const stateOf = (rows: InstanceRows): StateOf => (definition, model) => {
  const s = new InstanceState(rows.instance, definition, model, { isNew: false });
  for (const table of JSON_TABLES) (TRACKED[table] as Tracked).of(s).load(rows[table]);
  return s;
};

type OwnedRows = Record<JsonTable, object[]>;

/** the instance's own columns of a row that also holds its rows of the eight tables */
function withoutOwnedRows(row: InstanceRow & OwnedRows): InstanceRow {
  const instance: Partial<InstanceRow & OwnedRows> = { ...row };
  for (const table of JSON_TABLES) delete instance[table];
  return instance as InstanceRow;
}

/** rows read as JSON, with their timestamps made Dates again: then they are the rows a driver gives */
export function revived<T extends JsonTable>(table: T, rows: readonly object[]): Row<T>[] {
  const columns: readonly string[] = JSON_TIMESTAMPS[table];
  for (const row of rows as Record<string, unknown>[]) {
    for (const column of columns) if (typeof row[column] === 'string') row[column] = new Date(row[column]);
  }
  return rows as Row<T>[];
}

/**
 * JSON gives a double that is not finite as text, and int8 is made a number as for every driver
 * (value_bytes, which JSON would give as hex text, is never written)
 */
const revivedNumbers = (v: Row<'process_variables'>): Row<'process_variables'> => ({
  ...v,
  value_long: v.value_long === null ? null : Number(v.value_long),
  value_double: v.value_double === null ? null : Number(v.value_double),
});

/** int8 arrives as a string from postgres.js and a number from PGlite; the diff must not see a change */
const normaliseInstance = (row: InstanceRow): InstanceRow => ({ ...row, duration: row.duration === null ? null : Number(row.duration) });
