// External tasks waiting for (or held by) workers: GET /external-tasks.
import type { ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import type { ExternalTaskQuery } from '../api/engine.js';
import type { ExternalTask, Page } from '../api/types.js';
import type { Database } from '../persistence/database.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { pageWindow, sortKey, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt, optIso } from './wire-values.js';


export async function listExternalTasks(ctx: QueryContext, query: ExternalTaskQuery = {}): Promise<Page<ExternalTask>> {
  const window = pageWindow(query);
  const now = ctx.now();
  const filter = (eb: ExpressionBuilder<Database, 'external_tasks'>) => {
    const conditions = inCallerTenants('external_tasks.tenant_id', ctx.caller);
    if (query.topic_name !== undefined) conditions.push(eb('external_tasks.topic_name', '=', query.topic_name));
    if (query.process_instance_id !== undefined) conditions.push(eb('external_tasks.process_instance_id', '=', query.process_instance_id));
    if (query.activity_id !== undefined) conditions.push(eb('external_tasks.activity_id', '=', query.activity_id));
    // a lock that has expired holds nothing: the task can be fetched again
    if (query.locked === true) conditions.push(eb('external_tasks.lock_expiration_time', '>', now));
    if (query.locked === false) {
      conditions.push(eb.or([eb('external_tasks.lock_expiration_time', 'is', null), eb('external_tasks.lock_expiration_time', '<=', now)]));
    }
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, {
    created_at: sql.ref('external_tasks.created_at'),
    priority: sql.ref('external_tasks.priority'),
    topic_name: sql.ref('external_tasks.topic_name'),
    lock_expiration_time: sql.ref('external_tasks.lock_expiration_time'),
  }, 'created_at');
  const [counted, rows] = await Promise.all([
    ctx.db.selectFrom('external_tasks').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('external_tasks').where(filter).selectAll()
      .orderBy(sort.expression, sort.direction).orderBy('external_tasks.id')
      .limit(window.limit).offset(window.offset).execute(),
  ]);
  const data = rows.map((row): ExternalTask => ({
    id: row.id,
    topic_name: row.topic_name,
    ...opt('worker_id', row.worker_id),
    process_instance_id: row.process_instance_id,
    process_definition_id: row.process_definition_id,
    process_definition_key: row.process_definition_key,
    activity_id: row.activity_id,
    execution_id: row.execution_id,
    ...opt('business_key', row.business_key),
    ...opt('tenant_id', row.tenant_id),
    retries: row.retries,
    ...optIso('lock_expiration_time', row.lock_expiration_time),
    ...opt('error_message', row.error_message),
    suspended: row.suspended,
    priority: row.priority,
    created_at: iso(row.created_at),
  }));
  return toPage(data, counted.total, window);
}
