// Audit rows on the wire: the audit trail of an instance, of the versions of a process definition, and
// the list of every entry the caller may see.
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { readsAllWork } from '../access/caller.js';
import { inCallerTenants, visibleInstances } from '../access/visible-rows.js';
import type { AuditCategory, AuditEntityType, AuditEntryQuery, ListedAuditEntry } from '../api/audit-queries.js';
import type { AuditEntry, DefinitionAuditEntry, Page } from '../api/types.js';
import type { Database, Row } from '../persistence/database.js';
import { pageTotal, pageWindow, sortKey, timeParam, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt, optIso } from './wire-values.js';

const keepsAudit = (ctx: QueryContext) => ctx.historyLevel === 'audit' || ctx.historyLevel === 'full';

const toAuditEntry = (row: Row<'audit_log'>): AuditEntry => ({
  id: row.id,
  timestamp: iso(row.timestamp),
  operation: row.operation,
  ...opt('user_id', row.user_id),
  ...opt('task_id', row.task_id),
  ...opt('activity_id', row.activity_id),
  ...opt('activity_name', row.activity_name),
  ...opt('activity_type', row.activity_type),
  ...opt('execution_id', row.execution_id),
  ...opt('assignee', row.assignee),
  ...opt('property', row.property),
  ...opt('org_value', row.org_value),
  ...opt('new_value', row.new_value),
});

/** what was done to an instance, in order; empty below history level `audit` */
export async function auditTrailOf(ctx: QueryContext, instanceId: string): Promise<AuditEntry[]> {
  if (!keepsAudit(ctx)) return [];
  const rows = await ctx.db.selectFrom('audit_log').selectAll()
    .where('process_instance_id', '=', instanceId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => toAuditEntry(ctx.protection ? ctx.protection.openAudit(row) : row));
}

/**
 * What was done to every version of a process key in one tenant (deployed, changed, suspended, deleted),
 * in order, so that a deleted version's entries stay readable from the others.
 */
export async function definitionAuditTrail(ctx: QueryContext, key: string, tenantId: string | null): Promise<DefinitionAuditEntry[]> {
  if (!keepsAudit(ctx)) return [];
  const rows = await ctx.db.selectFrom('audit_log').selectAll()
    .where('process_instance_id', 'is', null)
    .where('process_definition_key', '=', key)
    .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({ ...toAuditEntry(row), process_definition_id: row.process_definition_id ?? '' }));
}

const INSTANCE: readonly [AuditEntityType, AuditCategory] = ['ProcessInstance', 'Operator'];
const TASK: readonly [AuditEntityType, AuditCategory] = ['Task', 'TaskWorker'];
const DEFINITION: readonly [AuditEntityType, AuditCategory] = ['ProcessDefinition', 'Operator'];
const INCIDENT: readonly [AuditEntityType, AuditCategory] = ['Incident', 'Operator'];
const EXTERNAL_TASK: readonly [AuditEntityType, AuditCategory] = ['ExternalTask', 'Operator'];
const VARIABLE: readonly [AuditEntityType, AuditCategory] = ['Variable', 'Operator'];

/** what each operation acts on and who does it, as Camunda's user operation log records them */
const KINDS: Readonly<Record<string, readonly [AuditEntityType, AuditCategory]>> = {
  Start: INSTANCE, Delete: INSTANCE, Suspend: INSTANCE, Activate: INSTANCE, ModifyProcessInstance: INSTANCE, Migrate: INSTANCE,
  CorrelateMessage: INSTANCE, SignalEvent: INSTANCE,
  Claim: TASK, Unclaim: TASK, Assign: TASK, Delegate: TASK, Resolve: TASK, Complete: TASK,
  SetVariable: VARIABLE, RemoveVariable: VARIABLE,
  ResolveIncident: INCIDENT, SetAnnotation: INCIDENT, ClearAnnotation: INCIDENT,
  Unlock: EXTERNAL_TASK, SetExternalTaskRetries: EXTERNAL_TASK,
  SetJobDuedate: ['Job', 'Operator'],
  Deploy: ['Deployment', 'Operator'],
  UpdateDefinition: DEFINITION, SuspendDefinition: DEFINITION, ActivateDefinition: DEFINITION, DeleteDefinition: DEFINITION,
};

// Computed in SQL rather than after reading, so that filtering by them pages and counts like any column.
const kindOf = (part: 0 | 1, otherwise: RawBuilder<string>): RawBuilder<string> => sql<string>`(case ${sql.ref('audit_log.operation')} ${
  sql.join(Object.entries(KINDS).map(([operation, kind]) => sql`when ${sql.lit(operation)} then ${sql.lit(kind[part])}`), sql` `)
} else ${otherwise} end)`;
const ENTITY_TYPE = kindOf(0, sql<string>`(case when audit_log.task_id is not null then 'Task'
  when audit_log.process_instance_id is not null then 'ProcessInstance' else 'ProcessDefinition' end)`);
const CATEGORY = kindOf(1, sql<string>`'Operator'`);

/** entries of the instances the caller may read, and of the definitions of its tenants */
function visibleEntries(ctx: QueryContext): Expression<SqlBool>[] {
  const conditions = inCallerTenants('audit_log.tenant_id', ctx.caller);
  if (ctx.caller && !readsAllWork(ctx.caller)) {
    const instance = sql.join(visibleInstances(ctx.caller), sql` and `);
    conditions.push(sql<SqlBool>`(audit_log.process_instance_id is null or exists (
      select 1 from process_instances where process_instances.id = audit_log.process_instance_id and ${instance}))`);
  }
  return conditions;
}

/**
 * The audit entries of every instance and definition the caller may see, oldest first unless sorted by
 * `-timestamp` (entries of one command, which share a time, in the order written); empty below history
 * level `audit`. `after` and `before` exclude the time itself.
 */
export async function listAuditEntries(ctx: QueryContext, query: AuditEntryQuery = {}): Promise<Page<ListedAuditEntry>> {
  const window = pageWindow(query);
  const sort = sortKey(query.sort, { timestamp: sql.ref('audit_log.timestamp') }, 'timestamp');
  const after = query.after === undefined ? undefined : timeParam('after', query.after);
  const before = query.before === undefined ? undefined : timeParam('before', query.before);
  if (!keepsAudit(ctx)) return toPage([], 0, window);
  const equal = {
    id: query.id, process_instance_id: query.process_instance_id, process_definition_id: query.process_definition_id,
    process_definition_key: query.process_definition_key, task_id: query.task_id, execution_id: query.execution_id, user_id: query.user_id,
    operation: query.operation, property: query.property,
  } as const;
  const filter = (eb: ExpressionBuilder<Database, 'audit_log'>) => {
    const conditions = visibleEntries(ctx);
    for (const [column, value] of Object.entries(equal)) {
      if (value !== undefined) conditions.push(eb(`audit_log.${column as keyof typeof equal}`, '=', value));
    }
    if (query.entity_types !== undefined) conditions.push(oneOf(eb, ENTITY_TYPE, query.entity_types));
    if (query.categories !== undefined) conditions.push(oneOf(eb, CATEGORY, query.categories));
    if (after) conditions.push(eb('audit_log.timestamp', '>', after));
    if (before) conditions.push(eb('audit_log.timestamp', '<', before));
    return eb.and(conditions);
  };
  const rows = await ctx.db.selectFrom('audit_log').where(filter).selectAll('audit_log')
    .select([ENTITY_TYPE.as('entity_type'), CATEGORY.as('category')])
    .orderBy(sort.expression, sort.direction).orderBy('audit_log.seq', sort.direction)
    .limit(window.limit).offset(window.offset).execute();
  const total = await pageTotal(window, rows.length, async () => (await ctx.db.selectFrom('audit_log').where(filter)
    .select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow()).total);
  return toPage(rows.map((row) => {
    const opened = ctx.protection ? ctx.protection.openAudit(row) : row;
    return {
      ...toAuditEntry(opened),
      entity_type: row.entity_type as AuditEntityType,
      category: row.category as AuditCategory,
      ...opt('process_instance_id', row.process_instance_id),
      ...opt('process_definition_id', row.process_definition_id),
      ...opt('process_definition_key', row.process_definition_key),
      ...opt('tenant_id', row.tenant_id),
      ...optIso('removal_time', row.removal_time),
    };
  }), total, window);
}

const oneOf = (eb: ExpressionBuilder<Database, 'audit_log'>, value: RawBuilder<string>, values: readonly string[]): Expression<SqlBool> =>
  (values.length === 0 ? sql<SqlBool>`false` : eb(value, 'in', values));
