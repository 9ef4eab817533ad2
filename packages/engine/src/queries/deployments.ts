// Deployments and the files they hold: listed, read, and a file's content as deployed. A deployment keeps
// no files of its own: each is found in the definitions made from it, which keep the whole file.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Deployment, DeploymentDetails, DeploymentQuery, DeploymentResource, DeploymentResourceContent } from '../api/deployments.js';
import type { Page } from '../api/types.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { EngineError, notFound } from '../errors.js';
import type { Database, Row } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import { pageTotal, pageWindow, sortKey, timeParam, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt } from './wire-values.js';

export async function listDeployments(ctx: QueryContext, query: DeploymentQuery = {}): Promise<Page<Deployment>> {
  const window = pageWindow(query);
  const after = query.deployed_after === undefined ? undefined : timeParam('deployed_after', query.deployed_after);
  const before = query.deployed_before === undefined ? undefined : timeParam('deployed_before', query.deployed_before);
  const filter = (eb: ExpressionBuilder<Database, 'deployments'>) => {
    const conditions = inCallerTenants('deployments.tenant_id', ctx.caller);
    if (query.id !== undefined) conditions.push(eb('deployments.id', '=', query.id));
    if (query.name !== undefined) conditions.push(eb('deployments.name', '=', query.name));
    if (query.name_like !== undefined) conditions.push(eb('deployments.name', 'like', query.name_like));
    if (query.source !== undefined) conditions.push(eb('deployments.source', '=', query.source));
    if (query.without_source === true) conditions.push(eb('deployments.source', 'is', null));
    if (query.tenant_id_in !== undefined) {
      const named = query.tenant_id_in.length ? [eb('deployments.tenant_id', 'in', query.tenant_id_in)] : [];
      conditions.push(eb.or([...named, ...(query.include_without_tenant_id === true ? [eb('deployments.tenant_id', 'is', null)] : [])]));
    }
    if (query.without_tenant_id === true) conditions.push(eb('deployments.tenant_id', 'is', null));
    if (after !== undefined) conditions.push(eb('deployments.deployed_at', '>', after));
    if (before !== undefined) conditions.push(eb('deployments.deployed_at', '<', before));
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, {
    id: sql.ref('deployments.id'),
    name: sql.ref('deployments.name'),
    deployed_at: sql.ref('deployments.deployed_at'),
    tenant_id: sql.ref('deployments.tenant_id'),
  }, 'id');
  const rows = await ctx.db.selectFrom('deployments').selectAll().where(filter)
    .orderBy(sort.expression, sort.direction).orderBy('deployments.id').limit(window.limit).offset(window.offset).execute();
  const total = await pageTotal(window, rows.length, async () => (await ctx.db.selectFrom('deployments').where(filter)
    .select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow()).total);
  return toPage(rows.map(toDeployment), total, window);
}

export async function getDeployment(ctx: QueryContext, id: string): Promise<DeploymentDetails> {
  const row = isEngineId(id)
    ? await ctx.db.selectFrom('deployments').selectAll()
      .where((eb) => eb.and([eb('deployments.id', '=', id), ...inCallerTenants('deployments.tenant_id', ctx.caller)])).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Deployment', id);
  return { ...toDeployment(row), resources: await resourcesOf(ctx.db, id) };
}

export async function getDeploymentResource(ctx: QueryContext, deploymentId: string, resourceId: string): Promise<DeploymentResourceContent> {
  const resource = (await getDeployment(ctx, deploymentId)).resources.find((r) => r.id === resourceId);
  // a definition deleted since the deployment was read leaves no content
  const content = resource ? await contentOf(ctx.db, resource) : undefined;
  if (resource && content !== undefined) return { ...resource, content };
  throw new EngineError('NOT_FOUND', `Deployment '${deploymentId}' holds no resource '${resourceId}'`);
}

/** the first row made from each file, the rows in the order they were made */
function firstOfEachFile<T extends { resource_hash: string }>(rows: readonly T[]): T[] {
  const files = new Map<string, T>();
  for (const row of rows) if (!files.has(row.resource_hash)) files.set(row.resource_hash, row);
  return [...files.values()];
}

async function resourcesOf(db: Kysely<Database>, deploymentId: string): Promise<DeploymentResource[]> {
  const [processes, decisions, forms] = await Promise.all([
    db.selectFrom('process_definitions').select(['id', 'key', 'resource_hash']).where('deployment_id', '=', deploymentId).orderBy('id').execute(),
    db.selectFrom('decision_definitions').select(['id', 'key', 'decision_requirements_key', 'resource_hash'])
      .where('deployment_id', '=', deploymentId).orderBy('id').execute(),
    db.selectFrom('forms').select(['id', 'form_key']).where('deployment_id', '=', deploymentId).orderBy('id').execute(),
  ]);
  const byName = (a: DeploymentResource, b: DeploymentResource) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [
    ...firstOfEachFile(processes).map((p): DeploymentResource => ({ id: p.id, name: `${p.key}.bpmn`, type: 'bpmn' })).sort(byName),
    ...firstOfEachFile(decisions).map((d): DeploymentResource => ({ id: d.id, name: `${d.decision_requirements_key ?? d.key}.dmn`, type: 'dmn' })).sort(byName),
    ...forms.map((f): DeploymentResource => ({ id: f.id, name: `${f.form_key}.form`, type: 'form' })).sort(byName),
  ];
}

async function contentOf(db: Kysely<Database>, { id, type }: DeploymentResource): Promise<string | undefined> {
  if (type === 'bpmn') return (await db.selectFrom('process_definitions').select('bpmn_xml').where('id', '=', id).executeTakeFirst())?.bpmn_xml;
  if (type === 'dmn') return (await db.selectFrom('decision_definitions').select('dmn_xml').where('id', '=', id).executeTakeFirst())?.dmn_xml;
  return (await db.selectFrom('forms').select('schema').where('id', '=', id).executeTakeFirst())?.schema;
}

const toDeployment = (row: Row<'deployments'>): Deployment => ({
  id: row.id,
  ...opt('name', row.name),
  ...opt('source', row.source),
  ...opt('tenant_id', row.tenant_id),
  deployed_at: iso(row.deployed_at),
  deployed_by: row.deployed_by,
});
