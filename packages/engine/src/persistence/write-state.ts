// Stores what a command changed: its deletes, updates and multi-row inserts together as one statement. A
// delete from a table the command also inserts into goes first, in a statement of its own (children before
// parents, so that foreign keys hold at every statement): it may free a unique key the insert takes again.
import type { Compilable, Transaction } from 'kysely';
import type { InstanceState, JobRow, VariableRow } from '../execution/instance-state.js';
import type { RowDiff, TrackedTable } from '../execution/tracked-table.js';
import type { VariableProtection } from '../protection/variable-protection.js';
import type { Database, TableName } from './database.js';
import { send } from './pipeline.js';
import { deleteRows, insertRows, updateRow, writeRows, type Delete, type Insert, type Update } from './row-statements.js';
import type { StateCache } from './state-cache.js';

const CHUNK = 500;

type Tracked = [TableName, TrackedTable<{ id: string }>];

/**
 * Sends the statements without waiting for their answers (send: they travel with the COMMIT); `answered`
 * settles with them. With protection, protected values are encrypted in the rows written, never in the state.
 * A cache of instance rows learns that these statements are a command's own write. The state's events are
 * written here, without positions, unless `events` is false (the caller writes them with their positions).
 */
export async function writeState(
  trx: Transaction<Database>, state: InstanceState, protection?: VariableProtection, cache?: StateCache, events = true,
): Promise<{ answered: Promise<void> }> {
  // one round trip however many rows the command wrote
  const pending: Compilable[] = [];
  const inserts: Insert[] = [];
  const updates: Update[] = [];
  // rows hold int8 columns as numbers (load-state normalises them), which the insert types accept
  if (state.isNew) inserts.push(['process_instances', [state.instance]]);
  else if (state.instanceChanged) updates.push(['process_instances', state.instance]);
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
  const diffs = tables.map(([name, table]) => [name, protection ? sealed(protection, name, table.diff()) : table.diff()] as const);
  const deletes: Delete[] = [];
  for (const [name, diff] of [...diffs].reverse()) {
    if (!diff.deletes.length) continue;
    if (diff.inserts.length) pending.push(deleteRows(name, diff.deletes));
    else deletes.push([name, diff.deletes]);
  }
  for (const [name, diff] of diffs) {
    if (diff.inserts.length) inserts.push([name, diff.inserts]);
    for (const row of diff.updates) updates.push([name, row]);
  }
  const auditLog = protection ? state.auditLog.map((row) => protection.sealAudit(row)) : state.auditLog;
  const history = [['incident_history', state.incidentHistory], ['audit_log', auditLog], ['decision_instances', state.decisionInstances], ['outbox', events ? state.outbox : []]] as const;
  for (const [name, rows] of history) {
    if (rows.length) inserts.push([name, rows]);
  }
  pending.push(...writeAll(updates, inserts, deletes));
  if (cache) for (const statement of pending) cache.commandWrite(statement.compile());
  return pending.length ? send(trx, pending) : { answered: Promise.resolve() };
}

/** the rows of the tables that hold values, as stored */
function sealed(protection: VariableProtection, table: TableName, diff: RowDiff<{ id: string }>): RowDiff<{ id: string }> {
  if (table === 'process_variables') return sealedRows(diff, (row) => protection.sealVariable(row as VariableRow));
  if (table === 'jobs') return sealedRows(diff, (row) => protection.sealJob(row as JobRow));
  return diff;
}

const sealedRows = <T>(diff: RowDiff<T>, seal: (row: T) => T): RowDiff<T> =>
  ({ inserts: diff.inserts.map(seal), updates: diff.updates.map(seal), deletes: diff.deletes });

/** a statement may carry at most 65,535 parameters; stay well below */
const MAX_PARAMETERS = 30_000;

/**
 * the deletes, updates and inserts of a command as one statement when it is small enough, else a statement
 * per table's deletes, per updated row and per chunk of inserted rows
 */
function writeAll(updates: Update[], inserts: Insert[], deletes: Delete[]): Compilable[] {
  if (!updates.length && !inserts.length && !deletes.length) return [];
  const parameters = deletes.reduce((n, [, ids]) => n + ids.length, 0)
    + updates.reduce((n, [, row]) => n + Object.keys(row).length, 0)
    + inserts.reduce((n, [, rows]) => n + rows.length * Object.keys(rows[0]!).length, 0);
  if (parameters <= MAX_PARAMETERS) return [writeRows(updates, inserts, deletes)];
  return [...deletes.map(([name, ids]) => deleteRows(name, ids)), ...updates.map(([name, row]) => updateRow(name, row)), ...inserts.flatMap(([name, rows]) => {
    const statements: Compilable[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) statements.push(insertRows([[name, rows.slice(i, i + CHUNK)]]));
    return statements;
  })];
}
