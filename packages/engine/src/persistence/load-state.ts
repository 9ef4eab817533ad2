// Reads one instance's runtime state inside the command's transaction, after its root row is locked.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';
import { InstanceState, type DefinitionInfo, type InstanceRow } from '../execution/instance-state.js';
import type { ProcessModel } from '../model/index.js';

const OPEN_TASK = ['created', 'assigned', 'delegated'];

/** Locks the instance's root row (the root first, so commands on one tree never deadlock). */
export async function lockInstance(trx: Transaction<Database>, instanceId: string): Promise<InstanceRow | undefined> {
  const root = await trx.selectFrom('process_instances').selectAll()
    .where('id', '=', (eb) => eb.selectFrom('process_instances').select('root_instance_id').where('id', '=', instanceId))
    .forUpdate().executeTakeFirst();
  if (!root || root.id === instanceId) return root;
  return trx.selectFrom('process_instances').selectAll().where('id', '=', instanceId).forUpdate().executeTakeFirst();
}

export async function loadState(
  db: Kysely<Database>,
  instance: InstanceRow,
  definition: DefinitionInfo,
  model: ProcessModel,
): Promise<InstanceState> {
  const state = new InstanceState(normaliseInstance(instance), definition, model, { isNew: false });
  const id = instance.id;
  // one connection pipelines these, so they cost about one round trip
  const [executions, variables, tasks, externalTasks, subscriptions, jobs, incidents, activityInstances, links] = await Promise.all([
    db.selectFrom('executions').selectAll().where('process_instance_id', '=', id).execute(),
    db.selectFrom('process_variables').selectAll().where('instance_id', '=', id).execute(),
    db.selectFrom('tasks').selectAll().where('process_instance_id', '=', id).where('status', 'in', OPEN_TASK).execute(),
    db.selectFrom('external_tasks').selectAll().where('process_instance_id', '=', id).execute(),
    db.selectFrom('event_subscriptions').selectAll().where('process_instance_id', '=', id).execute(),
    db.selectFrom('jobs').selectAll().where('process_instance_id', '=', id).execute(),
    db.selectFrom('incidents').selectAll().where('process_instance_id', '=', id).where('status', '=', 'open').execute(),
    db.selectFrom('activity_instances').selectAll().where('process_instance_id', '=', id).where('end_time', 'is', null).execute(),
    db.selectFrom('task_identity_links').selectAll()
      .where('task_id', 'in', (eb) => eb.selectFrom('tasks').select('id').where('process_instance_id', '=', id).where('status', 'in', OPEN_TASK))
      .execute(),
  ]);
  state.executions.load(executions);
  state.variables.load(variables.map((v) => ({ ...v, value_long: v.value_long === null ? null : Number(v.value_long) })));
  state.tasks.load(tasks);
  state.identityLinks.load(links);
  state.externalTasks.load(externalTasks);
  state.subscriptions.load(subscriptions);
  state.jobs.load(jobs);
  state.incidents.load(incidents);
  state.activityInstances.load(activityInstances.map((a) => ({ ...a, duration: a.duration === null ? null : Number(a.duration) })));
  return state;
}

/** int8 arrives as a string from postgres.js and a number from PGlite; the diff must not see a change */
const normaliseInstance = (row: InstanceRow): InstanceRow => ({ ...row, duration: row.duration === null ? null : Number(row.duration) });
