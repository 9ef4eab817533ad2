// Timers, async continuations and service calls waiting to run: GET /jobs.
import type { ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import type { JobQuery } from '../api/engine.js';
import type { Job, Page } from '../api/types.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { invalid, notFound } from '../errors.js';
import type { Database, Row } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import { pageWindow, sortKey, timeParam, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt } from './wire-values.js';

const TYPES = new Set(['timer', 'async', 'service']);

export async function listJobs(ctx: QueryContext, query: JobQuery = {}): Promise<Page<Job>> {
  const types = query.type === undefined ? undefined : [query.type].flat();
  if (types && (!types.length || !types.every((type) => TYPES.has(type)))) throw invalid(`type must be one or more of ${[...TYPES].join(', ')}`);
  const window = pageWindow(query);
  const dueAfter = query.due_after === undefined ? undefined : timeParam('due_after', query.due_after);
  const dueBefore = query.due_before === undefined ? undefined : timeParam('due_before', query.due_before);
  const filter = (eb: ExpressionBuilder<Database, 'jobs'>) => {
    const conditions = inCallerTenants('jobs.tenant_id', ctx.caller);
    if (query.id !== undefined) conditions.push(eb('jobs.id', '=', query.id));
    if (query.process_instance_id !== undefined) conditions.push(eb('jobs.process_instance_id', '=', query.process_instance_id));
    if (query.process_definition_id !== undefined) conditions.push(eb('jobs.process_definition_id', '=', query.process_definition_id));
    if (query.process_definition_key !== undefined) conditions.push(eb('jobs.process_definition_key', '=', query.process_definition_key));
    if (types) conditions.push(eb('jobs.type', 'in', types));
    if (query.activity_id !== undefined) conditions.push(eb('jobs.activity_id', '=', query.activity_id));
    if (query.suspended !== undefined) conditions.push(eb('jobs.suspended', '=', query.suspended));
    if (query.tenant_id !== undefined) conditions.push(eb('jobs.tenant_id', '=', query.tenant_id));
    if (query.failed === true) conditions.push(eb('jobs.retries', '=', 0));
    if (query.failed === false) conditions.push(eb('jobs.retries', '>', 0));
    if (query.with_exception !== undefined) conditions.push(eb('jobs.exception_message', query.with_exception ? 'is not' : 'is', null));
    if (query.executable === true) conditions.push(eb('jobs.retries', '>', 0), eb('jobs.due_at', '<=', ctx.now()));
    if (dueAfter) conditions.push(eb('jobs.due_at', '>=', dueAfter));
    if (dueBefore) conditions.push(eb('jobs.due_at', '<', dueBefore));
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, {
    due_at: sql.ref('jobs.due_at'),
    created_at: sql.ref('jobs.created_at'),
    retries: sql.ref('jobs.retries'),
  }, 'due_at');
  const [counted, rows] = await Promise.all([
    ctx.db.selectFrom('jobs').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('jobs').where(filter).selectAll()
      .orderBy(sort.expression, sort.direction).orderBy('jobs.id')
      .limit(window.limit).offset(window.offset).execute(),
  ]);
  return toPage(rows.map(toJob), counted.total, window);
}

export async function getJob(ctx: QueryContext, id: string): Promise<Job> {
  const row = isEngineId(id)
    ? await ctx.db.selectFrom('jobs').selectAll().where((eb) => eb.and([eb('jobs.id', '=', id), ...inCallerTenants('jobs.tenant_id', ctx.caller)])).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Job', id);
  return toJob(row);
}

const toJob = (row: Row<'jobs'>): Job => ({
  id: row.id,
  type: row.type,
  ...opt('process_instance_id', row.process_instance_id),
  process_definition_id: row.process_definition_id,
  process_definition_key: row.process_definition_key,
  ...opt('execution_id', row.execution_id),
  activity_id: row.activity_id,
  due_at: iso(row.due_at),
  retries: row.retries,
  ...opt('exception_message', row.exception_message),
  suspended: row.suspended,
  created_at: iso(row.created_at),
  ...opt('tenant_id', row.tenant_id),
});
