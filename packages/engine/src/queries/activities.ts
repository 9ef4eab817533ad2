// Activity instances as the API shows them: an instance's current activities, its activity history and
// its execution path all come from activity_instances (one row per arrival of a token at an element),
// and for a token waiting after its activity, from the async-after job it waits on.
import { sql } from 'kysely';
import type { Activity, ActivityStatus, CurrentActivity, ExecutionPath } from '../api/types.js';
import type { FlowNode, ProcessModel } from '../model/index.js';
import type { Row } from '../persistence/database.js';
import type { QueryContext } from './query-context.js';
import { iso, opt, optIso, optNum } from './wire-values.js';

const activityRows = (ctx: QueryContext) =>
  ctx.db.selectFrom('activity_instances')
    .leftJoin('tasks', 'tasks.id', 'activity_instances.task_id')
    .select([
      'activity_instances.id', 'activity_instances.process_instance_id', 'activity_instances.activity_id',
      'activity_instances.activity_name', 'activity_instances.activity_type', 'activity_instances.status',
      'activity_instances.start_time', 'activity_instances.end_time', 'activity_instances.duration',
      'activity_instances.task_id', 'activity_instances.execution_id', 'activity_instances.transition_id',
      'activity_instances.parent_activity_instance_id', 'activity_instances.called_process_instance_id',
      'activity_instances.in_path',
      // a claim or delegation changes the task, so the task row knows the assignee of an open task
      sql<string | null>`case when tasks.id is null then activity_instances.assignee else tasks.assignee end`.as('assignee'),
    ])
    .orderBy('activity_instances.seq');

type ActivityRow = Awaited<ReturnType<ReturnType<typeof activityRows>['execute']>>[number];

/** Every activity instance of one process instance, in path order. */
export const activitiesOf = (ctx: QueryContext, instanceId: string): Promise<ActivityRow[]> =>
  activityRows(ctx).where('activity_instances.process_instance_id', '=', instanceId).execute();

/**
 * The current activities of several process instances, keyed by process instance id: the open activity
 * instances (a loop's body among them, as a container, of type multiInstanceBody or standardLoopBody), then
 * the tokens waiting on an async-after job.
 */
export async function currentActivitiesOf(ctx: QueryContext, instanceIds: readonly string[]): Promise<Map<string, CurrentActivity[]>> {
  const byInstance = new Map<string, CurrentActivity[]>(instanceIds.map((id) => [id, []]));
  if (instanceIds.length === 0) return byInstance;
  const [open, waiting] = await Promise.all([
    activityRows(ctx)
      .where('activity_instances.process_instance_id', 'in', [...instanceIds])
      .where('activity_instances.end_time', 'is', null)
      .execute(),
    ctx.db.selectFrom('jobs')
      .select(['process_instance_id', 'process_definition_id', 'execution_id', 'activity_id', 'created_at', 'retries'])
      .where('process_instance_id', 'in', [...instanceIds])
      .where('handler', '=', 'async-after')
      .execute(),
  ]);
  for (const row of open) byInstance.get(row.process_instance_id)?.push(toCurrentActivity(row));
  const jobsByInstance = new Map<string, typeof waiting>();
  for (const job of waiting) {
    const jobs = jobsByInstance.get(job.process_instance_id!);
    if (jobs) jobs.push(job);
    else jobsByInstance.set(job.process_instance_id!, [job]);
  }
  for (const [instanceId, jobs] of jobsByInstance) {
    byInstance.get(instanceId)?.push(...asyncAfterTokens(jobs, await ctx.model(jobs[0]!.process_definition_id)));
  }
  return byInstance;
}

export const toCurrentActivity = (row: Pick<ActivityRow, 'id' | 'activity_id' | 'activity_name' | 'activity_type' | 'status' | 'start_time' | 'assignee'>): CurrentActivity => ({
  id: row.id,
  activity_id: row.activity_id,
  name: row.activity_name ?? '',
  type: row.activity_type,
  status: row.status as ActivityStatus,
  started_at: iso(row.start_time),
  ...opt('assignee', row.assignee),
});

/**
 * Tokens waiting on the async-after jobs of their activities (Camunda 7's transition instances), in the
 * order they began to wait. The activity instance has ended and stays completed, but the token is still
 * at the activity until the job takes it on; the model names the activity, as it named that instance.
 * A token goes by its execution's id, as in Camunda 7 (an execution is in one transition at a time),
 * since a forking activity's several tokens share the activity instance.
 */
export function asyncAfterTokens(jobs: readonly Pick<Row<'jobs'>, 'execution_id' | 'activity_id' | 'created_at' | 'retries'>[], model: ProcessModel): CurrentActivity[] {
  return jobs.map((job): CurrentActivity => {
    const node = model.elements.get(job.activity_id)!;
    return {
      id: job.execution_id!,
      activity_id: job.activity_id,
      name: node.name,
      type: node.kind,
      // a job out of retries holds a failedJob incident
      status: job.retries > 0 ? 'waiting' : 'failed',
      started_at: iso(job.created_at),
    };
  }).sort((a, b) => compare(a.started_at, b.started_at) || compare(a.id, b.id));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** an activity history row as the API gives it; the model adds what its element is */
export const toActivity = (row: ActivityRow, model: ProcessModel): Activity => ({
  id: row.id,
  activity_id: row.activity_id,
  instance_id: row.process_instance_id,
  name: row.activity_name ?? '',
  type: row.activity_type,
  status: row.status as ActivityStatus,
  start_time: iso(row.start_time),
  ...optIso('end_time', row.end_time),
  ...optNum('duration', row.duration),
  ...opt('assignee', row.assignee),
  ...opt('task_id', row.task_id),
  execution_id: row.execution_id,
  ...opt('parent_activity_instance_id', row.parent_activity_instance_id),
  ...opt('called_instance_id', row.called_process_instance_id),
  ...opt('called_process_instance_id', row.called_process_instance_id),
  ...elementFacts(model.elements.get(row.activity_id)),
});

function elementFacts(node: FlowNode | undefined): Pick<Activity, 'event_definition' | 'ends_scope'> {
  if (!node) return {};
  const definition = node.kind.endsWith('Event') && node.eventDefinition.kind !== 'none' ? { event_definition: node.eventDefinition.kind } : {};
  return { ...definition, ...(node.outgoing.length === 0 ? { ends_scope: true } : {}) };
}

/** The execution path: the rows that are a step of the path (not a multi-instance body), in order. */
export const toExecutionPath = (rows: readonly ActivityRow[]): ExecutionPath[] =>
  rows.filter((row) => row.in_path).map((row) => ({
    activity_id: row.activity_id,
    activity_name: row.activity_name ?? '',
    timestamp: iso(row.start_time),
    execution_id: row.execution_id,
    ...opt('transition_id', row.transition_id),
  }));
