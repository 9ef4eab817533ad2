// External tasks waiting for (or held by) workers: GET /external-tasks, and one task by its id.
import type { ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import type { ExternalTaskQuery } from '../api/engine.js';
import type { ExternalTask, Page } from '../api/types.js';
import type { Database, Row } from '../persistence/database.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { notFound } from '../errors.js';
import { isEngineId } from '../util/ids.js';
import { pageWindow, sortKey, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt, optIso } from './wire-values.js';

type Filter = ExpressionBuilder<Database, 'external_tasks'>;

/** the query's conditions besides the caller's tenants: those of one column's value first */
function conditions(eb: Filter, query: ExternalTaskQuery, now: Date) {
  const equal = {
    topic_name: query.topic_name, worker_id: query.worker_id, process_instance_id: query.process_instance_id,
    process_definition_id: query.process_definition_id, process_definition_key: query.process_definition_key,
    activity_id: query.activity_id, suspended: query.suspended,
  } as const;
  const all = Object.entries(equal).filter(([, value]) => value !== undefined)
    .map(([column, value]) => eb(`external_tasks.${column as keyof typeof equal}`, '=', value!));
  if (query.ids?.length) all.push(eb('external_tasks.id', 'in', query.ids));
  if (query.tenant_ids?.length) all.push(eb('external_tasks.tenant_id', 'in', query.tenant_ids));
  if (query.failed !== undefined) all.push(eb('external_tasks.retries', query.failed ? '=' : '>', 0));
  // a lock that has expired holds nothing: the task can be fetched again
  if (query.locked === true) all.push(eb('external_tasks.lock_expiration_time', '>', now));
  if (query.locked === false) {
    all.push(eb.or([eb('external_tasks.lock_expiration_time', 'is', null), eb('external_tasks.lock_expiration_time', '<=', now)]));
  }
  return all;
}

export async function listExternalTasks(ctx: QueryContext, query: ExternalTaskQuery = {}): Promise<Page<ExternalTask>> {
  const window = pageWindow(query);
  const now = ctx.now();
  const filter = (eb: Filter) => eb.and([...inCallerTenants('external_tasks.tenant_id', ctx.caller), ...conditions(eb, query, now)]);
  const sort = sortKey(query.sort, Object.fromEntries([
    'created_at', 'priority', 'topic_name', 'lock_expiration_time', 'id', 'process_instance_id', 'process_definition_id', 'process_definition_key', 'tenant_id',
  ].map((field) => [field, sql.ref(`external_tasks.${field}`)])), 'created_at');
  const [counted, rows] = await Promise.all([
    ctx.db.selectFrom('external_tasks').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('external_tasks').where(filter).selectAll()
      .orderBy(sort.expression, sort.direction).orderBy('external_tasks.id')
      .limit(window.limit).offset(window.offset).execute(),
  ]);
  return toPage(rows.map(toExternalTask), counted.total, window);
}

export async function getExternalTask(ctx: QueryContext, id: string): Promise<ExternalTask> {
  const row = isEngineId(id)
    ? await ctx.db.selectFrom('external_tasks').selectAll()
      .where((eb) => eb.and([eb('external_tasks.id', '=', id), ...inCallerTenants('external_tasks.tenant_id', ctx.caller)])).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('External task', id);
  return toExternalTask(row);
}

const toExternalTask = (row: Row<'external_tasks'>): ExternalTask => ({
  id: row.id,
  topic_name: row.topic_name,
  ...opt('worker_id', row.worker_id),
  process_instance_id: row.process_instance_id,
  process_definition_id: row.process_definition_id,
  process_definition_key: row.process_definition_key,
  activity_id: row.activity_id,
  ...opt('activity_instance_id', row.activity_instance_id),
  execution_id: row.execution_id,
  ...opt('business_key', row.business_key),
  ...opt('tenant_id', row.tenant_id),
  retries: row.retries,
  ...optIso('lock_expiration_time', row.lock_expiration_time),
  ...opt('error_message', row.error_message),
  suspended: row.suspended,
  priority: row.priority,
  created_at: iso(row.created_at),
});
