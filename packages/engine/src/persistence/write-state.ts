// Stores what a command changed: multi-row inserts, per-row updates, deletes — parents inserted
// first and deleted last so foreign keys hold at every statement.
import type { Transaction } from 'kysely';
import type { InstanceState } from '../execution/instance-state.js';
import type { TrackedTable } from '../execution/tracked-table.js';
import type { Database, TableName } from './database.js';

const CHUNK = 500;

type Tracked = [TableName, TrackedTable<{ id: string }>];

export async function writeState(trx: Transaction<Database>, state: InstanceState): Promise<void> {
  // rows hold int8 columns as numbers (load-state normalises them), which the insert types accept
  if (state.isNew) await trx.insertInto('process_instances').values(state.instance as never).execute();
  else if (state.instanceChanged) {
    const { id, ...rest } = state.instance;
    await trx.updateTable('process_instances').set(rest as never).where('id', '=', id).execute();
  }
  const tables: Tracked[] = [
    ['executions', state.executions],
    ['process_variables', state.variables],
    ['tasks', state.tasks],
    ['task_identity_links', state.identityLinks],
    ['external_tasks', state.externalTasks],
    ['event_subscriptions', state.subscriptions],
    ['incidents', state.incidents],
    ['activity_instances', state.activityInstances],
  ];
  const diffs = tables.map(([name, table]) => [name, table.diff()] as const);
  for (const [name, diff] of [...diffs].reverse()) {
    if (diff.deletes.length) await trx.deleteFrom(name).where('id', 'in', diff.deletes).execute();
  }
  for (const [name, diff] of diffs) {
    await insertRows(trx, name, diff.inserts);
    for (const row of diff.updates) {
      const { id, ...rest } = row as Record<string, unknown> & { id: string };
      await trx.updateTable(name).set(rest as never).where('id', '=', id).execute();
    }
  }
  await insertRows(trx, 'incident_history', state.incidentHistory);
  await insertRows(trx, 'audit_log', state.auditLog);
  await insertRows(trx, 'outbox', state.outbox);
}

async function insertRows(trx: Transaction<Database>, table: TableName, rows: readonly object[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx.insertInto(table).values(rows.slice(i, i + CHUNK) as never).execute();
  }
}
