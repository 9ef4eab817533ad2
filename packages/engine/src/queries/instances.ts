// Process instances: the list, one instance, and one instance with its history (GET /instances…).
import type { ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import type { InstanceQuery } from '../api/engine.js';
import type { CurrentActivity, Page, ProcessInstance, ProcessInstanceDetails, ProcessInstanceStatus, ProcessVariable } from '../api/types.js';
import { invalid, notFound } from '../errors.js';
import type { Database } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import { visibleInstances } from '../access/visible-rows.js';
import { auditTrailOf } from './audit-entries.js';
import { activitiesOf, currentActivitiesOf, toActivity, toExecutionPath } from './activities.js';
import { incidentsOfInstance } from './incidents.js';
import { afterPosition, decodeCursor, encodeCursor } from './keyset.js';
import { pageTotal, pageWindow, sortKey, timeParam, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { variablesByScope } from './variables.js';
import { iso, opt, optIso, optNum } from './wire-values.js';

/** Suspension is kept apart from the life-cycle status; the wire folds it into `status`. */
export const wireStatus = sql<ProcessInstanceStatus>`case when process_instances.status = 'active' and process_instances.suspension_state = 'suspended' then 'suspended' else process_instances.status end`;

const instanceRows = (ctx: QueryContext) =>
  ctx.db.selectFrom('process_instances')
    .innerJoin('process_definitions', 'process_definitions.id', 'process_instances.process_definition_id')
    .select([
      'process_instances.id', 'process_instances.process_definition_id', 'process_instances.process_definition_key',
      'process_definitions.name as process_definition_name', 'process_instances.business_key',
      'process_instances.start_time', 'process_instances.end_time', 'process_instances.duration', 'process_instances.removal_time',
      'process_instances.started_by', 'process_instances.tenant_id', 'process_instances.super_instance_id',
      'process_instances.delete_reason', wireStatus.as('status'),
    ]);

type InstanceRow = Awaited<ReturnType<ReturnType<typeof instanceRows>['execute']>>[number];

export async function listInstances(ctx: QueryContext, query: InstanceQuery = {}): Promise<Page<ProcessInstance>> {
  const window = pageWindow(query);
  const startedAfter = query.started_after === undefined ? undefined : timeParam('started_after', query.started_after);
  const startedBefore = query.started_before === undefined ? undefined : timeParam('started_before', query.started_before);
  const filter = (eb: ExpressionBuilder<Database, 'process_instances'>) => {
    const conditions = visibleInstances(ctx.caller);
    if (query.status !== undefined) conditions.push(statusIs(eb, query.status));
    if (query.process_definition_key !== undefined) conditions.push(eb('process_instances.process_definition_key', '=', query.process_definition_key));
    if (query.process_definition_id !== undefined) conditions.push(eb('process_instances.process_definition_id', '=', query.process_definition_id));
    if (query.business_key !== undefined) conditions.push(eb('process_instances.business_key', '=', query.business_key));
    if (query.tenant_id !== undefined) conditions.push(eb('process_instances.tenant_id', '=', query.tenant_id));
    if (query.super_instance_id !== undefined) conditions.push(eb('process_instances.super_instance_id', '=', query.super_instance_id));
    if (startedAfter) conditions.push(eb('process_instances.start_time', '>=', startedAfter));
    if (startedBefore) conditions.push(eb('process_instances.start_time', '<', startedBefore));
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, {
    start_time: sql.ref('process_instances.start_time'),
    end_time: sql.ref('process_instances.end_time'),
    duration: sql.ref('process_instances.duration'),
    business_key: sql.ref('process_instances.business_key'),
    status: wireStatus,
    process_definition_key: sql.ref('process_instances.process_definition_key'),
  }, '-start_time');
  if (query.cursor !== undefined && window.offset !== 0) throw invalid('cursor and offset cannot be combined; a cursor names its page', { offset: window.offset });
  const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort.spec);
  const rows = await instanceRows(ctx).where(filter)
    .$if(position !== undefined, (qb) => qb.where(afterPosition(sort, 'process_instances.id', position!)))
    .orderBy(sort.expression, sort.direction).orderBy('process_instances.id')
    .limit(window.limit).offset(window.offset).execute();
  const count = async () =>
    (await ctx.db.selectFrom('process_instances').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow()).total;
  // a page after a cursor does not say how many rows came before it
  const [instances, total] = await Promise.all([toInstances(ctx, rows), position === undefined ? pageTotal(window, rows.length, count) : count()]);
  const last = rows.length === window.limit ? rows.at(-1) : undefined;
  const page = toPage(instances, total, window);
  return last ? { ...page, next_cursor: encodeCursor(sort.spec, { value: last[sort.name as keyof InstanceRow], id: last.id }) } : page;
}

/** One instance as start, terminate and suspend answer it: variables and current activities, no history. */
export async function getInstanceSummary(ctx: QueryContext, id: string): Promise<ProcessInstance> {
  const [instance] = await toInstances(ctx, [await instanceRow(ctx, id)]);
  return instance!;
}

/**
 * One instance with its history (GET /instances/{id}). Below history level `full` the parts whose
 * history is not kept are empty: `none` keeps no activity history, `activity` no audit trail.
 */
export async function getInstanceDetails(ctx: QueryContext, id: string): Promise<ProcessInstanceDetails> {
  const row = await instanceRow(ctx, id);
  const keepsActivities = ctx.historyLevel !== 'none';
  const [[instance], activities, incidents, auditTrail, model] = await Promise.all([
    toInstances(ctx, [row]),
    keepsActivities ? activitiesOf(ctx, id) : [],
    incidentsOfInstance(ctx, id),
    auditTrailOf(ctx, id),
    ctx.model(row.process_definition_id),
  ]);
  return {
    ...instance!,
    activities: activities.map((activity) => toActivity(activity, model)),
    incidents,
    execution_path: toExecutionPath(activities),
    audit_trail: auditTrail,
    ...opt('delete_reason', row.delete_reason),
  };
}

async function instanceRow(ctx: QueryContext, id: string): Promise<InstanceRow> {
  const row = isEngineId(id)
    ? await instanceRows(ctx).where((eb) => eb.and([eb('process_instances.id', '=', id), ...visibleInstances(ctx.caller)])).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Process instance', id);
  return row;
}

/** Maps instance rows to the wire, fetching the variables and current activities of all of them at once. */
async function toInstances(ctx: QueryContext, rows: readonly InstanceRow[]): Promise<ProcessInstance[]> {
  const ids = rows.map((r) => r.id);
  // process-level variables live on the scope execution whose id is the instance id
  const [variables, current] = await Promise.all([variablesByScope(ctx, ids), currentActivitiesOf(ctx, ids)]);
  return rows.map((row) => toProcessInstance(row, variables.get(row.id) ?? {}, current.get(row.id) ?? []));
}

/** An instance row (its definition's name and its wire status joined in) on the wire. */
export function toProcessInstance(
  row: Omit<InstanceRow, 'delete_reason'>,
  variables: Record<string, ProcessVariable>,
  currentActivities: CurrentActivity[],
): ProcessInstance {
  return {
    id: row.id,
    process_definition_id: row.process_definition_id,
    process_definition_key: row.process_definition_key,
    process_definition_name: row.process_definition_name,
    ...opt('business_key', row.business_key),
    start_time: iso(row.start_time),
    ...optIso('end_time', row.end_time),
    ...optNum('duration', row.duration),
    ...optIso('removal_time', row.removal_time),
    status: row.status,
    started_by: row.started_by,
    ...opt('tenant_id', row.tenant_id),
    ...opt('super_instance_id', row.super_instance_id),
    variables,
    current_activities: currentActivities,
  };
}

/** The status filter on the stored columns, so that the status indexes stay usable. */
function statusIs(eb: ExpressionBuilder<Database, 'process_instances'>, status: ProcessInstanceStatus) {
  if (status === 'suspended') {
    return eb.or([
      eb('process_instances.status', '=', 'suspended'),
      eb.and([eb('process_instances.status', '=', 'active'), eb('process_instances.suspension_state', '=', 'suspended')]),
    ]);
  }
  if (status === 'active') {
    return eb.and([eb('process_instances.status', '=', 'active'), eb('process_instances.suspension_state', '<>', 'suspended')]);
  }
  return eb('process_instances.status', '=', status);
}
