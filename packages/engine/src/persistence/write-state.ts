// Stores what a command changed: multi-row inserts, per-row updates, deletes — parents inserted
// first and deleted last so foreign keys hold at every statement.
import type { Compilable, QueryCreator, Transaction } from 'kysely';
import type { InstanceState } from '../execution/instance-state.js';
import type { TrackedTable } from '../execution/tracked-table.js';
import type { Database, TableName } from './database.js';
import { pipeline } from './pipeline.js';

const CHUNK = 500;

type Tracked = [TableName, TrackedTable<{ id: string }>];

export async function writeState(trx: Transaction<Database>, state: InstanceState): Promise<void> {
  // one round trip however many rows the command wrote
  const pending: Compilable[] = [];
  const inserts: Insert[] = [];
  // rows hold int8 columns as numbers (load-state normalises them), which the insert types accept
  if (state.isNew) inserts.push(['process_instances', [state.instance]]);
  else if (state.instanceChanged) {
    const { id, ...rest } = state.instance;
    pending.push(trx.updateTable('process_instances').set(rest as never).where('id', '=', id));
  }
  const tables: Tracked[] = [
    ['executions', state.executions],
    ['process_variables', state.variables],
    ['tasks', state.tasks],
    ['task_identity_links', state.identityLinks],
    ['external_tasks', state.externalTasks],
    ['event_subscriptions', state.subscriptions],
    ['jobs', state.jobs],
    ['incidents', state.incidents],
    ['activity_instances', state.activityInstances],
  ];
  const diffs = tables.map(([name, table]) => [name, table.diff()] as const);
  for (const [name, diff] of [...diffs].reverse()) {
    if (diff.deletes.length) pending.push(trx.deleteFrom(name).where('id', 'in', diff.deletes));
  }
  for (const [name, diff] of diffs) {
    if (diff.inserts.length) inserts.push([name, diff.inserts]);
    for (const row of diff.updates) {
      const { id, ...rest } = row as Record<string, unknown> & { id: string };
      pending.push(trx.updateTable(name).set(rest as never).where('id', '=', id));
    }
  }
  for (const [name, rows] of [['incident_history', state.incidentHistory], ['audit_log', state.auditLog], ['outbox', state.outbox]] as const) {
    if (rows.length) inserts.push([name, rows]);
  }
  pending.push(...insertAll(trx, inserts));
  if (pending.length) await pipeline(trx, pending);
}

type Insert = [TableName, readonly object[]];

/** a statement may carry at most 65,535 parameters; stay well below */
const MAX_PARAMETERS = 30_000;

/**
 * All inserts of a command as one statement of data-modifying CTEs, when it is small enough: PostgreSQL
 * checks foreign keys at the end of the statement, so parents and children may share it.
 */
function insertAll(trx: Transaction<Database>, inserts: Insert[]): Compilable[] {
  const parameters = inserts.reduce((n, [, rows]) => n + rows.length * Object.keys(rows[0]!).length, 0);
  if (inserts.length < 2 || parameters > MAX_PARAMETERS) return inserts.flatMap(([name, rows]) => insertRows(trx, name, rows));
  // the CTE names carry no result anyone reads, so the growing type of the chain is not tracked
  let query = trx as unknown as QueryCreator<Database>;
  inserts.slice(0, -1).forEach(([name, rows], i) => {
    query = query.with(`insert_${i}`, (db) => db.insertInto(name).values(rows as never)) as unknown as QueryCreator<Database>;
  });
  const [lastName, lastRows] = inserts[inserts.length - 1]!;
  return [query.insertInto(lastName).values(lastRows as never)];
}

function insertRows(trx: Transaction<Database>, table: TableName, rows: readonly object[]): Compilable[] {
  const statements: Compilable[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) statements.push(trx.insertInto(table).values(rows.slice(i, i + CHUNK) as never));
  return statements;
}
