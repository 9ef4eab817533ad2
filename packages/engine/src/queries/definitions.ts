// Deployed process definitions: GET /definitions and GET /definitions/{id}.
import type { ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import type { DefinitionQuery } from '../api/engine.js';
import type { Page, ProcessDefinition } from '../api/types.js';
import { notFound } from '../errors.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { definitionAuditTrail } from './audit-entries.js';
import { describeTasks, startForm } from '../model/describe-process.js';
import type { Database } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import { isLatestVersion } from './latest-version.js';
import { pageWindow, sortKey, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt } from './wire-values.js';

/** Everything but the XML and the diagram, which only the single definition carries. */
export const definitionRows = (ctx: QueryContext) =>
  ctx.db.selectFrom('process_definitions')
    .select((eb) => [
      'process_definitions.id', 'process_definitions.key', 'process_definitions.name', 'process_definitions.version',
      'process_definitions.category', 'process_definitions.description', 'process_definitions.deployment_id',
      'process_definitions.deployed_at', 'process_definitions.deployed_by', 'process_definitions.active',
      'process_definitions.suspended', 'process_definitions.tenant_id', 'process_definitions.version_tag',
      eb.selectFrom('process_instances')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('process_instances.process_definition_id', '=', 'process_definitions.id')
        // a definition of no tenant has instances in several: the caller counts those it sees
        .where((sub) => sub.and(inCallerTenants('process_instances.tenant_id', ctx.caller)))
        .as('instances'),
    ]);

type DefinitionRow = Awaited<ReturnType<ReturnType<typeof definitionRows>['execute']>>[number];

export async function listDefinitions(ctx: QueryContext, query: DefinitionQuery = {}): Promise<Page<ProcessDefinition>> {
  const window = pageWindow(query);
  const filter = (eb: ExpressionBuilder<Database, 'process_definitions'>) => {
    const conditions = inCallerTenants('process_definitions.tenant_id', ctx.caller);
    if (query.key !== undefined) conditions.push(eb('process_definitions.key', '=', query.key));
    if (query.category !== undefined) conditions.push(eb('process_definitions.category', '=', query.category));
    if (query.suspended !== undefined) conditions.push(eb('process_definitions.suspended', '=', query.suspended));
    if (query.tenant_id !== undefined) conditions.push(eb('process_definitions.tenant_id', '=', query.tenant_id));
    // a search box: case-insensitive, anywhere in the name, with LIKE's wildcards taken literally
    if (query.name !== undefined) conditions.push(eb('process_definitions.name', 'ilike', `%${query.name.replace(/[\\%_]/g, '\\$&')}%`));
    if (query.latest === true) conditions.push(isLatestVersion('process_definitions'));
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, {
    key: sql.ref('process_definitions.key'),
    name: sql.ref('process_definitions.name'),
    version: sql.ref('process_definitions.version'),
    category: sql.ref('process_definitions.category'),
    deployed_at: sql.ref('process_definitions.deployed_at'),
  }, 'key');
  const [counted, rows] = await Promise.all([
    ctx.db.selectFrom('process_definitions').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    definitionRows(ctx).where(filter)
      .orderBy(sort.expression, sort.direction).orderBy('process_definitions.version', 'desc').orderBy('process_definitions.id')
      .limit(window.limit).offset(window.offset).execute(),
  ]);
  return toPage(rows.map(toDefinition), counted.total, window);
}

/** One definition with its XML, diagram, and the tasks and start form read from its compiled model. */
export async function getDefinition(ctx: QueryContext, id: string): Promise<ProcessDefinition> {
  const row = isEngineId(id)
    ? await definitionRows(ctx).select(['process_definitions.bpmn_xml', 'process_definitions.diagram'])
      .where((eb) => eb.and([eb('process_definitions.id', '=', id), ...inCallerTenants('process_definitions.tenant_id', ctx.caller)]))
      .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Process definition', id);
  const [model, auditTrail] = await Promise.all([ctx.model(id), definitionAuditTrail(ctx, row.key, row.tenant_id)]);
  return {
    ...toDefinition(row),
    bpmn_xml: row.bpmn_xml,
    ...opt('diagram', row.diagram),
    tasks: describeTasks(model),
    ...opt('start_form', startForm(model)),
    audit_trail: auditTrail,
  };
}

export const toDefinition = (row: DefinitionRow): ProcessDefinition => ({
  id: row.id,
  key: row.key,
  name: row.name,
  version: row.version,
  category: row.category ?? '',
  description: row.description ?? '',
  deployment_id: row.deployment_id,
  deployed_at: iso(row.deployed_at),
  deployed_by: row.deployed_by,
  active: row.active,
  suspended: row.suspended,
  instances: row.instances ?? 0,
  ...opt('tenant_id', row.tenant_id),
  ...opt('version_tag', row.version_tag),
});
