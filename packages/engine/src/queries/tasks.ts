// User tasks (GET /tasks, GET /tasks/{id}) with their candidates and the variables visible at them.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { TaskQuery } from '../api/engine.js';
import type { Page, ProcessVariable, TaskDetails, TaskStatus } from '../api/types.js';
import { visibleTasks } from '../access/visible-rows.js';
import { notFound } from '../errors.js';
import { taskForm } from '../model/describe-process.js';
import type { Database, Row } from '../persistence/database.js';
import { revived, type InstanceRows } from '../persistence/load-state.js';
import { isEngineId } from '../util/ids.js';
import { pageTotal, pageWindow, sortKey, timeParam, toPage, type PageWindow, type SortKey } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { visibilityColumns, visibleFrom, type VisibilityRows } from './variables.js';
import { iso, opt, optIso } from './wire-values.js';

/** Statuses of a task someone can still work on: the default of GET /tasks (migrations 0014 and 0015 name them too). */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['created', 'assigned', 'delegated'];

/** Lists tasks; each item carries the details too, so list and single answers share one shape. */
export async function listTasks(ctx: QueryContext, query: TaskQuery = {}): Promise<Page<TaskDetails>> {
  const window = pageWindow(query);
  const kept = keptTasks(ctx, query);
  if (kept) return toPage(await toTasks(ctx, { rows: kept.rows.slice(window.offset, window.offset + window.limit), related: kept.related }), kept.rows.length, window);
  const dueBefore = query.due_before === undefined ? undefined : timeParam('due_before', query.due_before);
  const filter = (eb: ExpressionBuilder<Database, 'tasks'>) => {
    const open = query.status === undefined ? OPEN_TASK_STATUSES : OPEN_TASK_STATUSES.filter((status) => status === query.status);
    // Open tasks are found by their candidate arrays, through migration 0015's indexes of open tasks (the
    // second condition follows from the first, and tells the planner so); ended ones through their links.
    const candidates = (kind: 'user' | 'group', value: string) => {
      const column = kind === 'user' ? 'candidate_users' : 'candidate_groups';
      if (open.length) return eb.and([eb(`tasks.${column}`, '@>', sql<string[]>`array[${value}]::text[]`), eb(`tasks.${column}`, '<>', sql<string[]>`'{}'`)]);
      return eb.exists(eb.selectFrom('task_identity_links').select('task_identity_links.id')
        .whereRef('task_identity_links.task_id', '=', 'tasks.id')
        .where('task_identity_links.type', '=', 'candidate')
        .where(`task_identity_links.${kind === 'user' ? 'user_id' : 'group_id'}`, '=', value));
    };
    const conditions = [
      // open statuses written out, not as parameters: a plan made for any parameters could not use the indexes of open tasks
      open.length ? eb('tasks.status', 'in', open.map((status) => sql.lit(status))) : eb('tasks.status', '=', query.status!),
      ...visibleTasks(ctx.caller),
    ];
    if (query.assignee !== undefined) conditions.push(eb('tasks.assignee', '=', query.assignee));
    if (query.candidate_user !== undefined) conditions.push(candidates('user', query.candidate_user));
    if (query.candidate_group !== undefined) conditions.push(candidates('group', query.candidate_group));
    if (query.unassigned === true) conditions.push(eb('tasks.assignee', 'is', null));
    if (query.process_instance_id !== undefined) conditions.push(eb('tasks.process_instance_id', '=', query.process_instance_id));
    if (query.process_definition_key !== undefined) conditions.push(eb('tasks.process_definition_key', '=', query.process_definition_key));
    if (query.task_definition_key !== undefined) conditions.push(eb('tasks.task_definition_key', '=', query.task_definition_key));
    if (dueBefore) conditions.push(eb('tasks.due', '<', dueBefore));
    if (query.tenant_id !== undefined) conditions.push(eb('tasks.tenant_id', '=', query.tenant_id));
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, SORTABLE, 'created');
  const page = await tasksWithVariables(ctx, filter, sort, window);
  const count = async () => (await ctx.db.selectFrom('tasks').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow()).total;
  const [tasks, total] = await Promise.all([toTasks(ctx, page), pageTotal(window, page.rows.length, count)]);
  return toPage(tasks, total, window);
}

export async function getTask(ctx: QueryContext, id: string): Promise<TaskDetails> {
  const kept = keptTask(ctx, id);
  const [task] = !isEngineId(id) ? [] : await toTasks(ctx, kept
    ?? await tasksWithVariables(ctx, (eb) => eb.and([eb('tasks.id', '=', id), ...visibleTasks(ctx.caller)]), BY_CREATION, { limit: 1, offset: 0 }));
  if (!task) throw notFound('Task', id);
  return task;
}

const SORTABLE = {
  created: sql.ref('tasks.created'),
  due: sql.ref('tasks.due'),
  follow_up: sql.ref('tasks.follow_up'),
  priority: sql.ref('tasks.priority'),
  name: sql.ref('tasks.name'),
  assignee: sql.ref('tasks.assignee'),
  task_definition_key: sql.ref('tasks.task_definition_key'),
};

const BY_CREATION = sortKey(undefined, SORTABLE, 'created');

/** what a list of one instance's open tasks may ask and still be answered from the rows the embedded store keeps */
const KEPT_QUERY_KEYS = new Set(['process_instance_id', 'status', 'limit', 'offset', 'sort']);

/**
 * The open tasks of one instance, in the list's default order (created, then id), from the rows the embedded
 * store keeps of it: a task list by instance, as a client asks for the task it then completes, reads no
 * statement. Undefined where the query asks more, the caller sees less than everything, or nothing is kept.
 */
function keptTasks(ctx: QueryContext, query: TaskQuery): TasksWithVariables | undefined {
  const instanceId = query.process_instance_id;
  if (!ctx.cachedInstance || instanceId === undefined || (query.sort !== undefined && query.sort !== 'created')) return undefined;
  if (Object.keys(query).some((key) => !KEPT_QUERY_KEYS.has(key) && query[key as keyof TaskQuery] !== undefined)) return undefined;
  if (visibleTasks(ctx.caller).length > 0 || (query.status !== undefined && !OPEN_TASK_STATUSES.includes(query.status))) return undefined;
  const kept = ctx.cachedInstance(instanceId);
  if (!kept) return undefined;
  const time = (row: Row<'tasks'>) => new Date(row.created).getTime();
  const rows = kept.tasks.filter((task) => (query.status === undefined ? OPEN_TASK_STATUSES.includes(task.status as TaskStatus) : task.status === query.status))
    .sort((a, b) => time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return withKeptVariables(kept, rows);
}

/** an open task, from the rows the embedded store keeps of its instance, as a task form reads it before completing */
function keptTask(ctx: QueryContext, id: string): TasksWithVariables | undefined {
  if (!ctx.cachedInstance || visibleTasks(ctx.caller).length > 0) return undefined;
  const kept = ctx.cachedInstance({ table: 'tasks', id });
  const task = kept?.tasks.find((row) => row.id === id);
  return kept && task ? withKeptVariables(kept, [task]) : undefined;
}

const withKeptVariables = (kept: Readonly<InstanceRows>, rows: Row<'tasks'>[]): TasksWithVariables =>
  ({ rows, related: { executions: kept.executions, variables: kept.process_variables } });

type TaskFilter = (eb: ExpressionBuilder<Database, 'tasks'>) => Expression<SqlBool>;

/** task rows, and what says which variables each one sees */
interface TasksWithVariables {
  rows: Row<'tasks'>[];
  related: VisibilityRows;
}

/**
 * A window of the tasks the filter selects, in the sort's order, with the scope trees and variables of their
 * instances, in one statement. Within the aggregate the page is named as the table, so that the sort's
 * expressions order it there too.
 */
async function tasksWithVariables(ctx: QueryContext, filter: TaskFilter, sort: SortKey, window: PageWindow): Promise<TasksWithVariables> {
  const { page, ...related } = await ctx.db
    .with('page', (db) => db.selectFrom('tasks').where(filter).selectAll()
      .orderBy(sort.expression, sort.direction).orderBy('tasks.id')
      .limit(window.limit).offset(window.offset))
    .selectNoFrom((eb) => [
      sql<object[]>`(select coalesce(json_agg(tasks order by ${sort.expression} ${sql.raw(sort.direction)}, tasks.id), '[]') from page as tasks)`.as('page'),
      ...visibilityColumns(eb, sql<string>`(select coalesce(process_instance_id, execution_id) from page)`),
    ])
    .executeTakeFirstOrThrow();
  return { rows: revived('tasks', page), related };
}

/** Maps tasks to the wire, with the variables visible at them and their forms. */
async function toTasks(ctx: QueryContext, { rows, related }: TasksWithVariables): Promise<TaskDetails[]> {
  const definitionIds = [...new Set(rows.map((r) => r.process_definition_id))];
  const targets = rows.map((r) => ({ instanceId: r.process_instance_id ?? r.execution_id, executionId: r.execution_id }));
  const models = new Map(await Promise.all(definitionIds.map(async (id) => [id, await ctx.model(id)] as const)));
  const variables = visibleFrom(ctx, targets, related);
  return rows.map((row) => toTaskDetails(
    row, variables.get(row.execution_id) ?? {}, taskForm(models.get(row.process_definition_id)!, row.task_definition_key),
  ));
}

/** A task row on the wire, given the variables visible at it and its form. */
export function toTaskDetails(
  row: Row<'tasks'>,
  variables: Record<string, ProcessVariable>,
  form: Pick<TaskDetails, 'form_fields' | 'form_schema'>,
): TaskDetails {
  return {
    id: row.id,
    name: row.name,
    ...opt('description', row.description),
    process_instance_id: row.process_instance_id ?? '',
    process_definition_id: row.process_definition_id,
    process_definition_key: row.process_definition_key,
    task_definition_key: row.task_definition_key,
    ...opt('assignee', row.assignee),
    ...opt('owner', row.owner),
    created: iso(row.created),
    ...optIso('due', row.due),
    ...optIso('follow_up', row.follow_up),
    priority: row.priority,
    status: row.status as TaskStatus,
    ...opt('form_key', row.form_key),
    ...opt('tenant_id', row.tenant_id),
    candidate_users: row.candidate_users,
    candidate_groups: row.candidate_groups,
    variables,
    execution_id: row.execution_id,
    ...opt('case_execution_id', row.case_execution_id),
    ...opt('case_definition_id', row.case_definition_id),
    suspension_state: row.suspension_state === 'suspended' ? 'suspended' : 'active',
    ...opt('parent_task_id', row.parent_task_id),
    ...opt('delegation_state', row.delegation_state as TaskDetails['delegation_state'] | null),
    ...optIso('end_time', row.end_time),
    ...opt('completed_by', row.completed_by),
    ...form,
  };
}