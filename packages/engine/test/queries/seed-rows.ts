// Row factories with sensible defaults for seeding the read-side tests: each takes what the test cares
// about and fills in the rest, so a test reads as the situation it sets up.
import { sql, type Kysely } from 'kysely';
import type { Database, NewRow } from '../../src/persistence/database.js';
import { newId } from '../../src/util/ids.js';
import { encodeVariable, typedFromValue } from '../../src/variables/variable-codec.js';
import { NOW } from './query-database.js';

type Db = Kysely<Database>;
export type Definition = NewRow<'process_definitions'>;
export type Instance = NewRow<'process_instances'>;

/** A time relative to NOW, in minutes (negative: before). */
export const at = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

export async function definition(db: Db, over: Partial<Definition> = {}): Promise<Definition> {
  const deployment = { id: newId(), name: 'test', deployed_by: 'deployer', deployed_at: at(-10_000), tenant_id: over.tenant_id ?? null };
  await db.insertInto('deployments').values(deployment).execute();
  const row: Definition = {
    id: newId(), key: 'order', name: 'Order', version: 1, deployment_id: deployment.id, deployed_at: at(-10_000),
    deployed_by: 'deployer', bpmn_xml: '<definitions/>', resource_hash: newId(), active: true, suspended: false, ...over,
  };
  await db.insertInto('process_definitions').values(row).execute();
  return row;
}

export async function instance(db: Db, def: Definition, over: Partial<Instance> = {}): Promise<Instance> {
  const id = over.id ?? newId();
  const row: Instance = {
    id, process_definition_id: def.id, process_definition_key: def.key, root_instance_id: id,
    started_by: 'alice', start_time: at(-60), status: 'active', suspension_state: 'active', sequence_counter: 0,
    tenant_id: def.tenant_id ?? null, ...over,
  };
  await db.insertInto('process_instances').values(row).execute();
  return row;
}

/** An instance that ended `minutes` after it started. */
export const endedInstance = (db: Db, def: Definition, start: Date, minutes: number, status = 'completed', over: Partial<Instance> = {}) =>
  instance(db, def, {
    start_time: start, end_time: new Date(start.getTime() + minutes * 60_000), duration: minutes * 60_000, status, ...over,
  });

export async function variable(db: Db, inst: Instance, name: string, value: unknown, scopeId: string = inst.id): Promise<void> {
  await db.insertInto('process_variables')
    .values({
      id: newId(), instance_id: inst.id, execution_id: scopeId, name, ...encodeVariable(typedFromValue(value)),
      is_transient: false, revision: 1, created_at: NOW, updated_at: NOW,
    })
    .execute();
}

export async function activity(db: Db, inst: Instance, over: Partial<NewRow<'activity_instances'>> & { seq: number; activity_id: string }) {
  const row: NewRow<'activity_instances'> = {
    id: newId(), process_instance_id: inst.id, process_definition_id: inst.process_definition_id,
    process_definition_key: inst.process_definition_key, execution_id: inst.id, activity_type: 'userTask',
    status: 'completed', start_time: at(-60), in_path: true, ...over,
  };
  await db.insertInto('activity_instances').values(row).execute();
  return row;
}

export async function task(db: Db, inst: Instance, over: Partial<NewRow<'tasks'>> = {}): Promise<NewRow<'tasks'>> {
  const row: NewRow<'tasks'> = {
    id: newId(), name: 'Review', process_instance_id: inst.id, process_definition_id: inst.process_definition_id,
    process_definition_key: inst.process_definition_key, task_definition_key: 'review', execution_id: inst.id,
    created: at(-30), status: 'created', priority: 50, suspension_state: 'active', candidate_users: [], candidate_groups: [], ...over,
  };
  await db.insertInto('tasks').values(row).execute();
  return row;
}

export async function candidate(db: Db, taskId: string, who: { user_id?: string; group_id?: string }): Promise<void> {
  await db.insertInto('task_identity_links').values({ id: newId(), task_id: taskId, type: 'candidate', ...who }).execute();
  // the task's own candidate arrays, as the engine writes them beside the links: each name once, in code-point order
  const [column, name] = who.user_id === undefined ? ['candidate_groups', who.group_id] as const : ['candidate_users', who.user_id] as const;
  const names = sql<string[]>`array(select distinct n collate "C" from unnest(array_append(${sql.ref(column)}, ${name}::text)) n order by 1)`;
  await db.updateTable('tasks').set({ [column]: names }).where('id', '=', taskId).execute();
}

export async function incident(db: Db, inst: Instance, over: Partial<NewRow<'incidents'>> = {}): Promise<NewRow<'incidents'>> {
  const row: NewRow<'incidents'> = {
    id: newId(), incident_type: 'failedJob', process_instance_id: inst.id, process_definition_id: inst.process_definition_id,
    incident_timestamp: at(-20), incident_message: 'boom', status: 'open', ...over,
  };
  await db.insertInto('incidents').values(row).execute();
  return row;
}

export async function incidentHistory(db: Db, incidentId: string, over: Partial<NewRow<'incident_history'>> & { action: string }) {
  await db.insertInto('incident_history')
    .values({ id: newId(), incident_id: incidentId, message: over.action, timestamp: at(-20), ...over })
    .execute();
}

export async function externalTask(db: Db, inst: Instance, over: Partial<NewRow<'external_tasks'>> = {}) {
  const row: NewRow<'external_tasks'> = {
    id: newId(), process_instance_id: inst.id, process_definition_id: inst.process_definition_id,
    process_definition_key: inst.process_definition_key, execution_id: inst.id, activity_id: 'charge',
    topic_name: 'charge', retries: 3, created_at: at(-15), priority: 0, suspended: false, ...over,
  };
  await db.insertInto('external_tasks').values(row).execute();
  return row;
}

export async function job(db: Db, inst: Instance, over: Partial<NewRow<'jobs'>> = {}): Promise<NewRow<'jobs'>> {
  const row: NewRow<'jobs'> = {
    id: newId(), type: 'timer', handler: 'timer-catch', process_instance_id: inst.id, process_definition_id: inst.process_definition_id,
    process_definition_key: inst.process_definition_key, execution_id: inst.id, activity_id: 'wait', tenant_id: inst.tenant_id ?? null,
    due_at: at(60), retries: 3, suspended: false, created_at: at(-15), ...over,
  };
  await db.insertInto('jobs').values(row).execute();
  return row;
}

export async function audit(db: Db, inst: Instance, over: Partial<NewRow<'audit_log'>> & { operation: string }) {
  await db.insertInto('audit_log')
    .values({ id: newId(), process_instance_id: inst.id, timestamp: at(-60), ...over })
    .execute();
}
