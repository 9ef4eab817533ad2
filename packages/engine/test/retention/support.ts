// What the retention tests share: models whose instances leave rows in every table an instance owns,
// an engine on a clock the test moves, and a count of those rows per table, read with the engine closed
// (PGlite lets one process open a data directory at a time).
import { sql } from 'kysely';
import { createEngine, type Engine, type EngineOptions } from '../../src/index.js';
import { openDatabase } from '../../src/persistence/open-database.js';
import type { TestDatabase } from '../../src/testing/index.js';
import { camunda, flow } from '../support/job-engines.js';

export const DAY_MS = 86_400_000;

/** start (with variables) → user task `work` with a candidate group → end; `ttl` is camunda:historyTimeToLive */
export const withTask = (key: string, ttl?: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:userTask id="work" camunda:candidateGroups="staff" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />`).replace(`<bpmn:process id="${key}"`, `<bpmn:process id="${key}"${ttl === undefined ? '' : ` camunda:historyTimeToLive="${ttl}"`}`);

/** start → a gateway whose one flow needs `go`: started without it, a conditionError incident waits there */
export const withIncident = (key: string, ttl: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'gate')}
    <bpmn:exclusiveGateway id="gate" />${flow('f2', 'gate', 'end', '${go == true}')}
    <bpmn:endEvent id="end" />`).replace(`<bpmn:process id="${key}"`, `<bpmn:process id="${key}" camunda:historyTimeToLive="${ttl}"`);

/** start → call activity calling `calledKey` → end */
export const calling = (key: string, calledKey: string, ttl: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'call')}
    <bpmn:callActivity id="call" calledElement="${calledKey}" />${flow('f2', 'call', 'end')}
    <bpmn:endEvent id="end" />`).replace(`<bpmn:process id="${key}"`, `<bpmn:process id="${key}" camunda:historyTimeToLive="${ttl}"`);

export interface Clock {
  now: Date;
  advance(days: number): void;
}

export const clockAt = (start: Date): Clock => ({
  now: start,
  advance(days) {
    this.now = new Date(this.now.getTime() + days * DAY_MS);
  },
});

export const openEngine = (database: TestDatabase, clock: Clock, options: EngineOptions = {}): Promise<Engine> =>
  createEngine({ ...database.options, now: () => clock.now, ...options, retention: { cleanupIntervalMs: 0, ...options.retention } });

/** completes the instance's open user tasks: the instance ends */
export async function completeTasks(engine: Engine, instanceId: string): Promise<void> {
  for (const task of (await engine.listTasks({ process_instance_id: instanceId })).data) await engine.completeTask(task.id, {});
}

export type RowCounts = Record<string, number>;

/** tables with a column naming the instance, and that column */
const BY_INSTANCE = {
  process_instances: 'id', executions: 'process_instance_id', process_variables: 'instance_id', tasks: 'process_instance_id',
  external_tasks: 'process_instance_id', event_subscriptions: 'process_instance_id', jobs: 'process_instance_id',
  incidents: 'process_instance_id', activity_instances: 'process_instance_id', audit_log: 'process_instance_id',
  outbox: 'process_instance_id', decision_instances: 'process_instance_id',
} as const;

export interface Ownership {
  instanceIds: string[];
  /** ids of the tasks and incidents the instances had, whose identity links and history name no instance */
  taskIds: string[];
  incidentIds: string[];
}

const countWhere = async (db: Awaited<ReturnType<typeof openDatabase>>['db'], table: string, column: string, ids: string[]): Promise<number> => {
  if (!ids.length) return 0;
  const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} IN (${sql.join(ids)})`.execute(db);
  return Number(rows[0]!.n);
};

/** what the instances own, with the ids of their tasks and incidents, read while no engine has the database open */
export async function ownership(database: TestDatabase, instanceIds: string[]): Promise<Ownership> {
  const opened = await openDatabase(database.options);
  try {
    const taskIds = (await opened.db.selectFrom('tasks').select('id').where('process_instance_id', 'in', instanceIds).execute()).map((r) => r.id);
    const incidentIds = (await opened.db.selectFrom('incidents').select('id').where('process_instance_id', 'in', instanceIds).execute()).map((r) => r.id);
    return { instanceIds, taskIds, incidentIds };
  } finally {
    await opened.close();
  }
}

/** rows per table that belong to the instances */
export async function rowCounts(database: TestDatabase, owned: Ownership): Promise<RowCounts> {
  const opened = await openDatabase(database.options);
  try {
    const counts: RowCounts = {};
    for (const [table, column] of Object.entries(BY_INSTANCE)) counts[table] = await countWhere(opened.db, table, column, owned.instanceIds);
    counts.task_identity_links = await countWhere(opened.db, 'task_identity_links', 'task_id', owned.taskIds);
    counts.incident_history = await countWhere(opened.db, 'incident_history', 'incident_id', owned.incidentIds);
    return counts;
  } finally {
    await opened.close();
  }
}

/** the removal times of the instances, by id */
export async function removalTimes(database: TestDatabase, instanceIds: string[]): Promise<Record<string, string | null>> {
  const opened = await openDatabase(database.options);
  try {
    const rows = await opened.db.selectFrom('process_instances').select(['id', 'removal_time']).where('id', 'in', instanceIds).execute();
    return Object.fromEntries(rows.map((r) => [r.id, r.removal_time === null ? null : new Date(r.removal_time).toISOString()]));
  } finally {
    await opened.close();
  }
}

export const NONE: RowCounts = Object.fromEntries([...Object.keys(BY_INSTANCE), 'task_identity_links', 'incident_history'].map((t) => [t, 0]));
