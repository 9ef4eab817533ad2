// Reads one instance's runtime state inside the command's transaction, under the lock of its root row.
import type { Transaction } from 'kysely';
import type { Database } from './database.js';
import { InstanceState, type DefinitionInfo, type InstanceRow } from '../execution/instance-state.js';
import type { ProcessModel } from '../model/index.js';
import { pipeline } from './pipeline.js';

const OPEN_TASK = ['created', 'assigned', 'delegated'];

export type StateOf = (definition: DefinitionInfo, model: ProcessModel) => InstanceState;

/**
 * Locks the instance's root row, then its own (the root first, so commands on one tree never deadlock),
 * and reads its rows: all in one round trip, as the server runs the reads only once it holds the locks.
 * Answers the instance row and how to make the state of it once its model is known.
 */
export async function lockAndLoad(trx: Transaction<Database>, instanceId: string): Promise<{ instance: InstanceRow; state: StateOf } | undefined> {
  const id = instanceId;
  const [, locked, executions, variables, tasks, externalTasks, subscriptions, jobs, incidents, activityInstances, links] = await pipeline(trx, [
    trx.selectFrom('process_instances').select('id')
      .where('id', '=', (eb) => eb.selectFrom('process_instances').select('root_instance_id').where('id', '=', id))
      .forUpdate(),
    trx.selectFrom('process_instances').selectAll().where('id', '=', id).forUpdate(),
    trx.selectFrom('executions').selectAll().where('process_instance_id', '=', id),
    trx.selectFrom('process_variables').selectAll().where('instance_id', '=', id),
    trx.selectFrom('tasks').selectAll().where('process_instance_id', '=', id).where('status', 'in', OPEN_TASK),
    trx.selectFrom('external_tasks').selectAll().where('process_instance_id', '=', id),
    trx.selectFrom('event_subscriptions').selectAll().where('process_instance_id', '=', id),
    trx.selectFrom('jobs').selectAll().where('process_instance_id', '=', id),
    trx.selectFrom('incidents').selectAll().where('process_instance_id', '=', id).where('status', '=', 'open'),
    trx.selectFrom('activity_instances').selectAll().where('process_instance_id', '=', id).where('end_time', 'is', null),
    trx.selectFrom('task_identity_links').selectAll()
      .where('task_id', 'in', (eb) => eb.selectFrom('tasks').select('id').where('process_instance_id', '=', id).where('status', 'in', OPEN_TASK)),
  ]);
  const instance = locked[0];
  if (!instance) return undefined;
  const state: StateOf = (definition, model) => {
    const s = new InstanceState(normaliseInstance(instance), definition, model, { isNew: false });
    s.executions.load(executions);
    s.variables.load(variables.map((v) => ({ ...v, value_long: v.value_long === null ? null : Number(v.value_long) })));
    s.tasks.load(tasks);
    s.identityLinks.load(links);
    s.externalTasks.load(externalTasks);
    s.subscriptions.load(subscriptions);
    s.jobs.load(jobs);
    s.incidents.load(incidents);
    s.activityInstances.load(activityInstances.map((a) => ({ ...a, duration: a.duration === null ? null : Number(a.duration) })));
    return s;
  };
  return { instance, state };
}

/** int8 arrives as a string from postgres.js and a number from PGlite; the diff must not see a change */
const normaliseInstance = (row: InstanceRow): InstanceRow => ({ ...row, duration: row.duration === null ? null : Number(row.duration) });
